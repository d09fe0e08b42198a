package io.github.cloudwatchlogging.alarms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.json.JsonParserFactory;

/**
 * Our own evaluation of the CloudWatch Logs filter pattern syntax, for the forms {@link ErrorFilterPattern} writes
 * (moto has no TestMetricFilter): JSON properties compared to a string or a number, alone or joined with {@code ||}
 * ({@code { ($.log.level = "ERROR") || ($.log.level = "FATAL") }}, {@code { $.level <= 3 }}); a space-delimited
 * pattern with one field compared and an ellipsis after it ({@code [f1, level = ERROR, ...]}: text in {@code [...]}
 * or {@code "..."} is one field, its brackets or quotes removed, as CloudWatch's extracted fields show); and a term.
 * Any other pattern is refused, not guessed. Where CloudWatch's rules are not documented (a run of spaces), the
 * lines these tests log have none before the level.
 */
final class FilterPatterns {

    private static final Pattern JSON_CONDITION = Pattern
        .compile("\\(?\\s*\\$\\.([\\w.]+)\\s*(=|<=)\\s*(\"([^\"]*)\"|(-?\\d+))\\s*\\)?");

    private static final Pattern SPACE_DELIMITED = Pattern
        .compile("\\[((?:\\w+,\\s*)*)(\\w+)\\s*=\\s*(\\w+),\\s*\\.\\.\\.]");

    private FilterPatterns() {
    }

    static boolean matches(String filterPattern, String message) {
        String pattern = filterPattern.trim();
        if (pattern.startsWith("{") && pattern.endsWith("}")) {
            for (String condition : pattern.substring(1, pattern.length() - 1).split("\\|\\|")) {
                Matcher json = JSON_CONDITION.matcher(condition.trim());
                if (!json.matches()) {
                    throw new IllegalArgumentException("a JSON condition this evaluation does not read: " + condition);
                }
                if (jsonMatches(json.group(1), json.group(2), json.group(4), json.group(5), message)) {
                    return true;
                }
            }
            return false;
        }
        Matcher delimited = SPACE_DELIMITED.matcher(pattern);
        if (delimited.matches()) {
            int index = (int) delimited.group(1).chars().filter((c) -> c == ',').count(); // the fields before
            List<String> fields = fields(message);
            return fields.size() > index && fields.get(index).equals(delimited.group(3));
        }
        if (pattern.matches("\\w+")) {
            return message.contains(pattern);
        }
        throw new IllegalArgumentException("a pattern this evaluation does not read: " + filterPattern);
    }

    /** Fields separated by spaces; text in [...] or "..." is one field, without its brackets or quotes. */
    private static List<String> fields(String message) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        String text = message.strip();
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ') {
                i++;
                continue;
            }
            char close = (c == '[') ? ']' : (c == '"') ? '"' : 0;
            if (close != 0) {
                int end = text.indexOf(close, i + 1);
                end = (end < 0) ? text.length() : end;
                fields.add(text.substring(i + 1, end));
                i = end + 1;
                continue;
            }
            int end = text.indexOf(' ', i);
            end = (end < 0) ? text.length() : end;
            fields.add(text.substring(i, end));
            i = end;
        }
        return fields;
    }

    @SuppressWarnings("unchecked")
    private static boolean jsonMatches(String path, String operator, String text, String number, String message) {
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
            return operator.equals("=") && text.equals(value);
        }
        if (!(value instanceof Number n)) {
            return false;
        }
        double limit = Double.parseDouble(number);
        return operator.equals("=") ? n.doubleValue() == limit : n.doubleValue() <= limit;
    }

}
