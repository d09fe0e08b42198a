package io.github.cloudwatchlogging.alarms;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The CloudWatch Logs filter pattern that matches the events at ERROR (and FATAL, in JSON) in the format the starter
 * writes:
 * in a structured format, the level's JSON field; in a pattern, the level's space-delimited field, found by its place
 * among what the pattern writes before the message (a date writes as many fields as its format has words; text in
 * {@code [...]} is one field, as CloudWatch reads it); when the level cannot be placed so, the term {@code ERROR},
 * which also counts other lines that say ERROR. {@code logging.cloudwatch.alarms.errors.filter-pattern} overrides it.
 */
public final class ErrorFilterPattern {

    /** A level conversion of Logback or Log4j2 that writes the level whole: %p, %5p, %-5level, %le. */
    private static final Pattern LEVEL = Pattern.compile("%-?\\d*(p|le|level)");

    /** A date conversion and its options: %d, %date, %d{format}, %d{format, zone}. */
    private static final Pattern DATE = Pattern.compile("%-?\\d*(d|date)(\\{([^}]*)})?");

    /** The date formats Logback's and Log4j2's names stand for, by the number of fields they write. */
    private static final List<String> TWO_WORD_DATES = List.of("", "DEFAULT", "ISO8601", "DEFAULT_MICROS",
            "DEFAULT_NANOS", "ABSOLUTE_PERIOD", "DEFAULT_PERIOD", "ISO8601_PERIOD");

    private ErrorFilterPattern() {
    }

    /**
     * The filter pattern.
     * @param format "pattern", "ecs", "logstash", "gelf", or a formatter's class name
     * @param pattern the pattern in use with "pattern", or null for the starter's default
     */
    public static String of(String format, @Nullable String pattern) {
        return switch (format.trim().toLowerCase(Locale.ROOT)) {
            case "pattern" -> spaceDelimited((pattern != null) ? pattern : "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %5p");
            case "ecs" -> "{ ($.log.level = \"ERROR\") || ($.log.level = \"FATAL\") }";
            case "logstash" -> "{ ($.level = \"ERROR\") || ($.level = \"FATAL\") }";
            case "gelf" -> "{ $.level <= 3 }"; // syslog severities: 3 is error, FATAL is 2 or below
            default -> "ERROR";
        };
    }

    /**
     * {@code [f1, level = ERROR, ...]} with the level at its place, or the term. (Not FATAL, Log4j2's alone: the
     * space-delimited syntax has no documented alternative for one field.)
     */
    private static String spaceDelimited(String pattern) {
        String beforeMessage = pattern.split("%(m|msg|message)\\b", 2)[0];
        List<String> fields = fields(beforeMessage);
        for (int i = 0; i < fields.size(); i++) {
            if (LEVEL.matcher(fields.get(i)).matches()) {
                StringBuilder filter = new StringBuilder("[");
                for (int before = 0; before < i; before++) {
                    filter.append('f').append(before + 1).append(", ");
                }
                return filter.append("level = ERROR, ...]").toString();
            }
            if (fields.get(i).contains("%") && !DATE.matcher(fields.get(i)).matches() && !isOneWord(fields.get(i))) {
                break; // a conversion whose number of words is unknown: the level's place is not known
            }
        }
        return "ERROR";
    }

    /** The pattern's fields as CloudWatch would split what it writes: dates expanded, [...] kept whole. */
    private static List<String> fields(String pattern) {
        List<String> fields = new ArrayList<>();
        Matcher date = DATE.matcher(pattern);
        StringBuilder expanded = new StringBuilder();
        int last = 0;
        while (date.find()) {
            expanded.append(pattern, last, date.start());
            String format = (date.group(3) != null) ? date.group(3).split(",")[0].trim() : "";
            int words = TWO_WORD_DATES.contains(format) ? 2 : format.replace("'", "").split("\\s+").length;
            expanded.append(String.join(" ", java.util.Collections.nCopies(Math.max(1, words), "%d")));
            last = date.end();
        }
        expanded.append(pattern.substring(last));
        StringBuilder bracketed = null;
        for (String word : expanded.toString().trim().split("\\s+")) {
            if (bracketed != null) {
                bracketed.append(' ').append(word);
                if (word.endsWith("]")) {
                    fields.add(bracketed.toString());
                    bracketed = null;
                }
            }
            else if (word.startsWith("[") && !word.endsWith("]")) {
                bracketed = new StringBuilder(word);
            }
            else if (!word.isEmpty()) {
                fields.add(word);
            }
        }
        if (bracketed != null) {
            fields.add(bracketed.toString());
        }
        return fields;
    }

    /**
     * Whether a field surely writes one word: literal text, a bracketed group (one field, whatever it holds), or the
     * process id, a logger or a thread name padded and cut to a width (no spaces but a thread name's own).
     */
    private static boolean isOneWord(String field) {
        return field.startsWith("[") && field.endsWith("]") || field.matches("[^%]*")
                || field.matches("-?\\d*\\.?\\d*%-?\\d*(\\.-?\\d+)?(logger|c|lo)(\\{[^}]*})?")
                || field.matches("%-?\\d*(\\.-?\\d+)?(pid|processId)");
    }

}
