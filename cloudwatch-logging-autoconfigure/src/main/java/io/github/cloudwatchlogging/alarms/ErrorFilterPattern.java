package io.github.cloudwatchlogging.alarms;

import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The CloudWatch Logs filter pattern that matches the events at ERROR in the format the starter writes: in a
 * structured format, the level's JSON field; in a pattern, the level's whitespace-separated field, found by its
 * position among the pattern's fields before the message; else, as a last resort, the term {@code ERROR}.
 */
public final class ErrorFilterPattern {

    /** A level conversion of Logback or Log4j2: %p, %5p, %-5level, %le, %level{...}. */
    private static final Pattern LEVEL = Pattern.compile("%-?\\d*(\\.\\d+)?(p|le|level)(\\{.*})?");

    /** The default pattern of both logging systems has the level as its second field. */
    private static final String DEFAULT_PATTERN = "%d %5p";

    private ErrorFilterPattern() {
    }

    /**
     * The filter pattern.
     * @param format "pattern", "ecs", "logstash", "gelf", or a formatter's class name
     * @param pattern the pattern in use with "pattern", or null for the starter's default
     */
    public static String of(String format, @Nullable String pattern) {
        return switch (format.trim().toLowerCase(Locale.ROOT)) {
            case "pattern" -> spaceDelimited((pattern != null) ? pattern : DEFAULT_PATTERN);
            case "ecs" -> "{ $.log.level = \"ERROR\" }";
            case "logstash" -> "{ $.level = \"ERROR\" }";
            case "gelf" -> "{ $.level = 3 }"; // a syslog severity: 3 is error
            default -> "ERROR";
        };
    }

    /** {@code [f1, level = ERROR, ...]} with the level at its field's place, or the term when it has none. */
    private static String spaceDelimited(String pattern) {
        String beforeMessage = pattern.split("%(m|msg|message)\\b", 2)[0].trim();
        String[] fields = beforeMessage.split("\\s+");
        for (int i = 0; i < fields.length; i++) {
            if (LEVEL.matcher(fields[i]).matches()) {
                StringBuilder filter = new StringBuilder("[");
                for (int before = 0; before < i; before++) {
                    filter.append('f').append(before + 1).append(", ");
                }
                return filter.append("level = ERROR, ...]").toString();
            }
        }
        return "ERROR";
    }

}
