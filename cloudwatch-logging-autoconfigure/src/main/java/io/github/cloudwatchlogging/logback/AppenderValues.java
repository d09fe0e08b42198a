package io.github.cloudwatchlogging.logback;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.core.util.FileSize;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;

/**
 * Reads the appender's durations and sizes as Spring Boot reads {@code logging.cloudwatch.*}: {@code 30s},
 * {@code 250ms}, {@code PT3S}, or a number of milliseconds; {@code 8MB}, {@code 100KB}, or a number of bytes.
 * Logback's own long forms ({@code 5 seconds}, {@code 8 MB}) are read too. Anything else is refused with the
 * setting's name, never guessed: Logback's own {@code Duration} reads {@code 30s} as 30 milliseconds.
 */
final class AppenderValues {

    private static final Pattern LOGBACK_DURATION = Pattern
        .compile("(\\d+(?:\\.\\d+)?)\\s*(milli(?:second)?|second|minute|hour|day)s?", Pattern.CASE_INSENSITIVE);

    private AppenderValues() {
    }

    static Duration duration(String setting, String value) {
        String text = value.trim();
        try {
            return DurationStyle.detectAndParse(text);
        }
        catch (IllegalArgumentException ex) {
            Matcher logback = LOGBACK_DURATION.matcher(text);
            if (logback.matches()) {
                return Duration.ofMillis(ch.qos.logback.core.util.Duration.valueOf(text).getMilliseconds());
            }
            throw new IllegalArgumentException(setting + " '" + value
                    + "' is not a duration; write it as Spring Boot does, for example 30s, 250ms, 2m or PT30S");
        }
    }

    static long size(String setting, String value) {
        String text = value.trim();
        try {
            return DataSize.parse(text).toBytes();
        }
        catch (IllegalArgumentException ex) {
            try {
                return FileSize.valueOf(text).getSize();
            }
            catch (IllegalArgumentException notLogbacks) {
                throw new IllegalArgumentException(setting + " '" + value
                        + "' is not a size; write it as Spring Boot does, for example 32MB, 512KB or 1000B");
            }
        }
    }

}
