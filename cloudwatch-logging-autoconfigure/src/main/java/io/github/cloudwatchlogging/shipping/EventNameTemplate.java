package io.github.cloudwatchlogging.shipping;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A log group or stream name with placeholders evaluated per event: {@code {mdc:KEY}}, {@code {mdc:KEY:-default}}
 * (an MDC entry, in Log4j2 the context data) and {@code {level}}. Parsed once; {@link #evaluate} is what a logging
 * call pays, a walk over the parts and one builder. Values are made valid names: in a group name every character
 * CloudWatch Logs refuses ({@code [.\-_/#A-Za-z0-9]} are allowed) becomes {@code _}; in a stream name {@code :},
 * {@code *}, control characters and braces (so that no value brings a placeholder of its own) do; a name is cut at
 * 512 characters, and an empty value takes the default (or {@code _} without one), so an event never produces a name
 * the service would refuse. The literal text around the placeholders is checked once, with the settings (see
 * {@link #literalName}).
 */
public final class EventNameTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(mdc:([^}:]+)(?::-([^}]*))?|level)}");

    private static final int MAX_NAME = 512;

    /** The most an instance metadata placeholder grows by once filled in (an ECS task id: 32 characters for 13). */
    private static final int METADATA_GROWTH = 24;

    private final String template;

    private final boolean group;

    private final List<Part> parts;

    /**
     * How many characters the values may take in all: what the literal text leaves of the 512, less what instance
     * metadata placeholders in it may grow by once filled in on the wire, so that cutting a long value never cuts
     * the text after it.
     */
    private final int valueBudget;

    private EventNameTemplate(String template, boolean group, List<Part> parts) {
        this.template = template;
        this.group = group;
        this.parts = parts;
        int literal = 0;
        int metadataPlaceholders = 0;
        for (Part part : parts) {
            if (part.text() != null) {
                literal += part.text().length();
                metadataPlaceholders += count(part.text(), "{ecs-task-id}") + count(part.text(), "{instance-id}");
            }
        }
        this.valueBudget = Math.max(0, MAX_NAME - literal - METADATA_GROWTH * metadataPlaceholders);
    }

    private static int count(String text, String placeholder) {
        int count = 0;
        for (int at = text.indexOf(placeholder); at >= 0; at = text.indexOf(placeholder, at + 1)) {
            count++;
        }
        return count;
    }

    /** A template for log group names. */
    public static EventNameTemplate forGroup(String template) {
        return parse(template, true);
    }

    /** A template for log stream names. */
    public static EventNameTemplate forStream(String template) {
        return parse(template, false);
    }

    /** Whether the template has a placeholder evaluated per event, so that events may go to several names. */
    public static boolean isPerEvent(String template) {
        return PLACEHOLDER.matcher(template).find();
    }

    private static EventNameTemplate parse(String template, boolean group) {
        List<Part> parts = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(template);
        int last = 0;
        while (matcher.find()) {
            if (matcher.start() > last) {
                parts.add(new Part(template.substring(last, matcher.start()), null, null));
            }
            if (matcher.group(1).equals("level")) {
                parts.add(new Part(null, "", null)); // the level: an empty key
            }
            else {
                parts.add(new Part(null, matcher.group(2), matcher.group(3)));
            }
            last = matcher.end();
        }
        if (last < template.length()) {
            parts.add(new Part(template.substring(last), null, null));
        }
        return new EventNameTemplate(template, group, List.copyOf(parts));
    }

    /**
     * The name for an event.
     * @param mdc the event's MDC (context data) by key; null for a missing entry
     * @param level the event's level, for example {@code ERROR}
     */
    public String evaluate(Function<String, @Nullable String> mdc, String level) {
        return evaluate(mdc, Function::apply, level);
    }

    /**
     * The name for an event, its MDC read through {@code mdc} without a lambda made per event.
     * @param event the event
     * @param mdc reads the event's MDC (context data) entry of a key; null for a missing entry
     * @param level the event's level, for example {@code ERROR}
     */
    public <E> String evaluate(E event, BiFunction<E, String, @Nullable String> mdc, String level) {
        StringBuilder name = new StringBuilder(this.template.length() + 16);
        int valueRoom = this.valueBudget;
        for (Part part : this.parts) {
            if (part.text() != null) {
                name.append(part.text());
                continue;
            }
            String value = part.key().isEmpty() ? level : mdc.apply(event, part.key());
            if (value == null || value.isEmpty()) {
                value = (part.fallback() != null && !part.fallback().isEmpty()) ? part.fallback() : "_";
            }
            valueRoom -= appendValid(name, value, valueRoom);
        }
        return finish(name);
    }

    /** The name every per-event value takes its default in: where events go once too many names are live. */
    public String defaultName() {
        return evaluate((key) -> null, "ALL");
    }

    /** The literal text with every placeholder as one valid character: what the settings check. */
    String literalName() {
        StringBuilder name = new StringBuilder(this.template.length());
        for (Part part : this.parts) {
            name.append((part.text() != null) ? part.text() : "x");
        }
        return name.toString();
    }

    /** Appends at most {@code room} characters of the value, each made valid; returns how many. */
    private int appendValid(StringBuilder name, String value, int room) {
        int length = Math.min(value.length(), room);
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            name.append(isValid(c) ? c : '_');
        }
        return length;
    }

    private boolean isValid(char c) {
        if (this.group) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '-' || c == '_' || c == '/' || c == '#';
        }
        // Braces too, so that a value never brings a placeholder of its own ({ecs-task-id} is filled in on the wire).
        return c != ':' && c != '*' && c != '{' && c != '}' && !Character.isISOControl(c) && !Character.isSurrogate(c);
    }

    private String finish(StringBuilder name) {
        if (name.length() > MAX_NAME) {
            name.setLength(MAX_NAME);
        }
        String result = name.toString();
        if (this.group && result.startsWith("aws/")) {
            result = "_" + result.substring(1); // the aws/ prefix is AWS's own
        }
        return result.isEmpty() ? "_" : result;
    }

    @Override
    public String toString() {
        return this.template;
    }

    /** Literal text, or a placeholder: an MDC key (empty for the level) with its default. */
    private record Part(@Nullable String text, @Nullable String key, @Nullable String fallback) {
    }

}
