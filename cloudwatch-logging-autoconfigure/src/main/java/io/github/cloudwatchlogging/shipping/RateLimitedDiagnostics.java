package io.github.cloudwatchlogging.shipping;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Passes on at most one warning or error per key and interval, and says how many were held back, so that an outage
 * does not flood the status output with one line per retry.
 */
final class RateLimitedDiagnostics {

    private final ShipperDiagnostics target;

    private final long intervalNanos;

    private final LongSupplier nanoClock;

    private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

    RateLimitedDiagnostics(ShipperDiagnostics target, Duration interval, LongSupplier nanoClock) {
        this.target = target;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    ShipperDiagnostics target() {
        return this.target;
    }

    void warn(String key, String message, @Nullable Throwable cause) {
        String text = admit(key, message);
        if (text != null) {
            this.target.warn(text, cause);
        }
    }

    void error(String key, String message, @Nullable Throwable cause) {
        String text = admit(key, message);
        if (text != null) {
            this.target.error(text, cause);
        }
    }

    private @Nullable String admit(String key, String message) {
        Window window = this.windows.computeIfAbsent(key, (k) -> new Window());
        long now = this.nanoClock.getAsLong();
        synchronized (window) {
            if (window.started && now - window.openedAt < this.intervalNanos) {
                window.suppressed.incrementAndGet();
                return null;
            }
            long suppressed = window.suppressed.getAndSet(0);
            window.started = true;
            window.openedAt = now;
            return (suppressed > 0) ? message + " (" + suppressed + " similar messages suppressed)" : message;
        }
    }

    private static final class Window {

        private boolean started;

        private long openedAt;

        private final AtomicLong suppressed = new AtomicLong();

    }

}
