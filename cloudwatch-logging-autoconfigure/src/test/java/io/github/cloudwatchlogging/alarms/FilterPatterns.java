package io.github.cloudwatchlogging.alarms;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.json.JsonParserFactory;

/**
 * Our own evaluation of the CloudWatch Logs filter pattern syntax, for the three forms {@link ErrorFilterPattern}
 * writes (moto has no TestMetricFilter): a JSON property compared to a string or a number
 * ({@code { $.log.level = "ERROR" }}), a space-delimited pattern with one field compared and an ellipsis after it
 * ({@code [f1, level = ERROR, ...]}), and a term ({@code ERROR}). Any other pattern is refused, not guessed.
 */
final class FilterPatterns {

    private static final Pattern JSON_PROPERTY = Pattern.compile("\\{\\s*\\$\\.([\\w.]+)\\s*=\\s*(\"([^\"]*)\"|(-?\\d+))\\s*}");

    private static final Pattern SPACE_DELIMITED = Pattern.compile("\\[((?:\\w+,\\s*)*)(\\w+)\\s*=\\s*(\\w+),\\s*\\.\\.\\.]");

    private FilterPatterns() {
    }

    static boolean matches(String filterPattern, String message) {
        Matcher json = JSON_PROPERTY.matcher(filterPattern.trim());
        if (json.matches()) {
            return jsonMatches(json.group(1), json.group(3), json.group(4), message);
        }
        Matcher delimited = SPACE_DELIMITED.matcher(filterPattern.trim());
        if (delimited.matches()) {
            int index = (int) delimited.group(1).chars().filter((c) -> c == ',').count(); // the fields before
            // Fields are separated by one or more spaces.
            String[] fields = message.trim().split("\\s+");
            return fields.length > index && fields[index].equals(delimited.group(3));
        }
        if (filterPattern.matches("\\w+")) {
            return message.contains(filterPattern);
        }
        throw new IllegalArgumentException("a pattern this evaluation does not read: " + filterPattern);
    }

    @SuppressWarnings("unchecked")
    private static boolean jsonMatches(String path, String text, String number, String message) {
        Object value;
        try {
            value = JsonParserFactory.getJsonParser().parseMap(message);
        }
        catch (IllegalArgumentException ex) { // JsonParseException among them
            return false; // a JSON pattern matches JSON events only
        }
        for (String key : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return false;
            }
            value = ((Map<String, Object>) map).get(key);
        }
        if (text != null) {
            return text.equals(value);
        }
        return value instanceof Number n && n.doubleValue() == Double.parseDouble(number);
    }

}
