package io.github.cloudwatchlogging.shipping;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The timestamps PutLogEvents takes, seen from now: none more than 2 hours ahead, none older than 14 days. The
 * worker refuses events outside it before batching, counted with the reason CloudWatch Logs would have given, so
 * they never cost a request or skew the 24-hour span of a batch.
 */
final class TimestampWindow {

    static final Duration MAX_AHEAD = Duration.ofHours(2);

    static final Duration MAX_AGE = Duration.ofDays(14);

    private static final long MAX_AHEAD_MILLIS = MAX_AHEAD.toMillis();

    private static final long MAX_AGE_MILLIS = MAX_AGE.toMillis();

    private TimestampWindow() {
    }

    /** Why the service would refuse an event with this timestamp now, or null when it takes it. */
    static @Nullable RejectReason check(long timestamp, long nowMillis) {
        if (timestamp > nowMillis + MAX_AHEAD_MILLIS) {
            return RejectReason.TOO_NEW;
        }
        if (timestamp < nowMillis - MAX_AGE_MILLIS) {
            return RejectReason.TOO_OLD;
        }
        return null;
    }

}
