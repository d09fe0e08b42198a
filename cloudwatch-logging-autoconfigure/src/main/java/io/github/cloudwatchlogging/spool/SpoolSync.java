package io.github.cloudwatchlogging.spool;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What the spool forces to disk, which is what survives a power loss; a killed process loses nothing either way.
 *
 * @param interval how often the mapped segments are forced to disk; null for never ({@link #NONE}) or for every
 * record ({@link #ALWAYS})
 * @param always whether every logging call forces its record before it returns
 */
public record SpoolSync(@Nullable Duration interval, boolean always) {

    /** Nothing forced: the kernel writes the pages back in its own time. */
    public static final SpoolSync NONE = new SpoolSync(null, false);

    /** Every record forced before the logging call returns: a disk write per event. */
    public static final SpoolSync ALWAYS = new SpoolSync(null, true);

    public SpoolSync {
        if (interval != null && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("The spool's sync interval must be positive, not " + interval);
        }
    }

    public static SpoolSync every(Duration interval) {
        return new SpoolSync(interval, false);
    }

    /**
     * Reads {@code none}, {@code always}, or an interval read by {@code durations} (for example {@code 1s}).
     * @throws IllegalArgumentException for anything else
     */
    public static SpoolSync parse(String text, java.util.function.Function<String, Duration> durations) {
        String value = text.trim();
        if (value.equalsIgnoreCase("none")) {
            return NONE;
        }
        if (value.equalsIgnoreCase("always")) {
            return ALWAYS;
        }
        try {
            return every(durations.apply(value));
        }
        catch (RuntimeException ex) {
            throw new IllegalArgumentException(
                    "The spool's sync is none, always or an interval such as 1s, not '" + text + "'", ex);
        }
    }

    @Override
    public String toString() {
        return this.always ? "always" : (this.interval != null) ? this.interval.toString() : "none";
    }

}
