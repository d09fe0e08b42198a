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

    /**
     * Whether what this reports reaches stderr already. Where it does not (Logback's status manager prints nothing
     * after start-up), the shipper prints the count of events it could not deliver itself, so a loss is never silent.
     * @return true if errors are written to stderr
     */
    default boolean writesToStderr() {
        return false;
    }

}
