package io.github.cloudwatchlogging.shipping;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The loggers whose events are never shipped, whatever logging system feeds the shipper: the AWS SDK, its HTTP
 * clients and this library log while they ship, so shipping their events would feed the queue from its own
 * sending, without end.
 */
public final class FeedbackLoggers {

    static final List<String> PREFIXES = List.of("software.amazon.awssdk", "org.apache.http", "org.apache.hc",
            "io.netty", "io.github.cloudwatchlogging.shipping", "io.github.cloudwatchlogging.logback",
            "io.github.cloudwatchlogging.log4j2", "io.github.cloudwatchlogging.autoconfigure",
            "io.github.cloudwatchlogging.actuate", "io.github.cloudwatchlogging.metrics");

    private FeedbackLoggers() {
    }

    /** Whether events of this logger must not be shipped. */
    public static boolean isExcluded(@Nullable String loggerName) {
        if (loggerName == null) {
            return false;
        }
        for (String prefix : PREFIXES) {
            if (loggerName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

}
