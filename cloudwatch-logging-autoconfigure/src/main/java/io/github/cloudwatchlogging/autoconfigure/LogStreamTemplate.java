package io.github.cloudwatchlogging.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Expands a log stream template. Local placeholders are expanded at once; metadata placeholders
 * ({ecs-task-id}, {instance-id}) need a network call, so they are expanded separately, off the start-up path; the
 * placeholders of an event's values ({mdc:KEY}, {level}) are left to the shipper.
 */
final class LogStreamTemplate {

    private static final int MAX_STREAM_NAME = 512;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z-]+)(?::([^}]*))?}");

    private LogStreamTemplate() {
    }

    /** Expands every local placeholder; metadata placeholders are left as they are. */
    static String expandLocal(String template, @Nullable String applicationName, Function<String, @Nullable String> env) {
        return expand(template, (name, argument) -> switch (name) {
            case "app" -> (applicationName != null && !applicationName.isBlank()) ? applicationName : "application";
            case "hostname" -> hostname();
            case "pid" -> String.valueOf(ProcessHandle.current().pid());
            case "date" -> LocalDate.now(ZoneOffset.UTC).toString();
            case "uuid" -> UUID.randomUUID().toString();
            case "env" -> {
                String value = (argument != null) ? env.apply(argument) : null;
                yield (value != null) ? value : "";
            }
            case "ecs-task-id", "instance-id" -> null;
            case "mdc", "level" -> null; // evaluated per event, by the shipper
            default -> throw new IllegalArgumentException("unknown placeholder {" + name + "} in log stream template '"
                    + template + "'; known: {app} {hostname} {pid} {date} {uuid} {env:NAME} {ecs-task-id} {instance-id} "
                    + "{mdc:KEY} {mdc:KEY:-default} {level}");
        });
    }

    static boolean needsMetadata(String expanded) {
        return expanded.contains("{ecs-task-id}") || expanded.contains("{instance-id}");
    }

    /** Expands the metadata placeholders left by {@link #expandLocal}. */
    static String expandMetadata(String expanded, InstanceMetadata metadata) {
        return expand(expanded, (name, argument) -> switch (name) {
            case "ecs-task-id" -> metadata.ecsTaskId();
            case "instance-id" -> metadata.ec2InstanceId();
            default -> null;
        });
    }

    /**
     * The same, cut at the 512 characters a stream name may have: the name of an event's values was cut there
     * before the metadata made it longer.
     */
    static String expandMetadataWithinLimit(String expanded, InstanceMetadata metadata) {
        String name = expandMetadata(expanded, metadata);
        return (name.length() > MAX_STREAM_NAME) ? name.substring(0, MAX_STREAM_NAME) : name;
    }

    /** The name to show and validate before metadata is known: metadata placeholders become a dash. */
    static String preview(String expanded) {
        return expanded.replace("{ecs-task-id}", "-").replace("{instance-id}", "-");
    }

    private static String expand(String template, Resolver resolver) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String value = resolver.resolve(matcher.group(1), matcher.group(2));
            matcher.appendReplacement(result, Matcher.quoteReplacement((value != null) ? value : matcher.group()));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static String hostname() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            return "localhost";
        }
    }

    @FunctionalInterface
    private interface Resolver {

        @Nullable String resolve(String name, @Nullable String argument);

    }

}
