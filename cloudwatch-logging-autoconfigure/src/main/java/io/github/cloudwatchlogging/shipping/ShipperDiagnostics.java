package io.github.cloudwatchlogging.shipping;

import org.jspecify.annotations.Nullable;

/**
 * Where the shipper reports its own trouble. Never a logger: what the shipper says must not become an event it
 * ships. The Logback adapter writes to Logback's status manager.
 */
public interface ShipperDiagnostics {

    ShipperDiagnostics NONE = new ShipperDiagnostics() {
    };

    default void info(String message) {
    }

    default void warn(String message, @Nullable Throwable cause) {
    }

    default void error(String message, @Nullable Throwable cause) {
    }

}
