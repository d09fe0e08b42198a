package io.github.cloudwatchlogging.shipping;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter: a uniform wait between zero and {@code min(max, base * 2^attempt)}. */
final class Backoff {

    private final long baseNanos;

    private final long maxNanos;

    Backoff(Duration base, Duration max) {
        this.baseNanos = base.toNanos();
        this.maxNanos = max.toNanos();
    }

    /** How long to wait before attempt {@code attempt + 1}; {@code attempt} counts from zero. */
    long delayNanos(int attempt) {
        return ThreadLocalRandom.current().nextLong(ceilingNanos(attempt) + 1);
    }

    long ceilingNanos(int attempt) {
        int doublings = Math.min(attempt, 30);
        long ceiling = this.baseNanos << doublings;
        return (ceiling <= 0 || ceiling > this.maxNanos) ? this.maxNanos : ceiling;
    }

}
