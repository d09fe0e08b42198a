package io.github.cloudwatchlogging.logback;

import ch.qos.logback.core.spi.ContextAware;
import io.github.cloudwatchlogging.shipping.ShipperDiagnostics;
import org.jspecify.annotations.Nullable;

/** Reports the shipper's trouble to Logback's status manager, never through a logger. */
final class StatusDiagnostics implements ShipperDiagnostics {

    private final ContextAware owner;

    StatusDiagnostics(ContextAware owner) {
        this.owner = owner;
    }

    @Override
    public void info(String message) {
        this.owner.addInfo(message);
    }

    @Override
    public void warn(String message, @Nullable Throwable cause) {
        this.owner.addWarn(message, cause);
    }

    @Override
    public void error(String message, @Nullable Throwable cause) {
        this.owner.addError(message, cause);
    }

}
