package io.github.cloudwatchlogging.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import io.github.cloudwatchlogging.shipping.InvalidShipperSettingsException;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import io.github.cloudwatchlogging.spool.SpoolSettings;
import io.github.cloudwatchlogging.spool.SpoolSync;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;

/**
 * Turns the mutable properties into the shipper's immutable settings, checking every value against what the
 * service accepts and naming the property to change.
 */
final class CloudWatchLoggingSettings {

    /** The property behind each shipper setting that a property sets. */
    private static final Map<String, String> PROPERTY_BY_SETTING = Map.ofEntries(Map.entry("logGroup", "log-group"),
            Map.entry("logStream", "log-stream"), Map.entry("retentionDays", "retention"), Map.entry("tags", "tags"),
            Map.entry("batchDelay", "batch-delay"), Map.entry("requestTimeout", "request-timeout"),
            Map.entry("blockTimeout", "block-timeout"), Map.entry("shutdownTimeout", "shutdown-timeout"),
            Map.entry("queueCapacityBytes", "queue-capacity"), Map.entry("maxInFlight", "max-in-flight"),
            Map.entry("maxEventBytes", "max-event-size"), Map.entry("kmsKeyId", "kms-key-id"),
            Map.entry("subscription.destinationArn", "subscription.destination-arn"),
            Map.entry("subscription.roleArn", "subscription.role-arn"),
            Map.entry("subscription.filterPattern", "subscription.filter-pattern"),
            Map.entry("subscription.name", "subscription.name"), Map.entry("maxDestinations", "max-destinations"),
            Map.entry("destinationIdleTimeout", "destination-idle-timeout"));

    /** The name metrics give the main destination, which no route may take. */
    static final String RESERVED_ROUTE = "main";

    private CloudWatchLoggingSettings() {
    }

    static CloudWatchLoggingProperties bind(Environment environment) {
        return Binder.get(environment)
            .bind(CloudWatchLoggingProperties.PREFIX, Bindable.of(CloudWatchLoggingProperties.class))
            .orElseGet(CloudWatchLoggingProperties::new);
    }

    /**
     * The settings; the log stream is the template with local placeholders expanded (metadata placeholders stay).
     * @throws InvalidCloudWatchLoggingPropertiesException naming every invalid property
     */
    static ShipperSettings create(CloudWatchLoggingProperties properties, Environment environment) {
        ShipperSettings settings = create(properties, environment, CloudWatchLoggingProperties.PREFIX,
                properties.getLogGroup(), properties.getLogStream());
        SpoolSettings spool = spool(properties.getSpool());
        return (spool != null) ? settings.toBuilder().spool(spool).build() : settings;
    }

    /**
     * The spool's settings; null when it is off.
     * @throws InvalidCloudWatchLoggingPropertiesException naming every invalid property
     */
    static @Nullable SpoolSettings spool(CloudWatchLoggingProperties.Spool spool) {
        if (spool.getDirectory() == null || spool.getDirectory().getPath().isBlank()) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        String prefix = CloudWatchLoggingProperties.PREFIX + ".spool";
        SpoolSync sync = SpoolSync.NONE;
        try {
            sync = SpoolSync.parse(spool.getSync(), (text) -> DurationStyle.detectAndParse(text));
        }
        catch (IllegalArgumentException ex) {
            problems.add(prefix + ".sync: " + ex.getMessage());
        }
        long capacity = spool.getCapacity().toBytes();
        if (capacity < 2L * 1024 * 1024) {
            problems.add(prefix + ".capacity: " + spool.getCapacity() + " is below the 2MB of two segments; set 2MB "
                    + "or more (256MB by default)");
        }
        if (!problems.isEmpty()) {
            throw new InvalidCloudWatchLoggingPropertiesException(problems);
        }
        return new SpoolSettings(spool.getDirectory().toPath(), capacity, sync);
    }

    /**
     * The settings of each route, by name: its group and stream (the main ones where it sets none), everything else
     * as the main destination.
     * @throws InvalidCloudWatchLoggingPropertiesException naming every invalid property
     */
    static Map<String, ShipperSettings> createRoutes(CloudWatchLoggingProperties properties, Environment environment,
            ShipperSettings main) {
        Map<String, ShipperSettings> routes = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, CloudWatchLoggingProperties.Route> entry : properties.getRoutes().entrySet()) {
            String prefix = CloudWatchLoggingProperties.PREFIX + ".routes." + entry.getKey();
            CloudWatchLoggingProperties.Route route = entry.getValue();
            if (MetricsAndAlarmSettings.METRICS_ROUTE.equals(entry.getKey()) && properties.getMetrics().isEnabled()) {
                problems.add(prefix + ": '" + MetricsAndAlarmSettings.METRICS_ROUTE + "' names the metrics' destination while "
                        + "logging.cloudwatch.metrics.enabled is true; choose another route name");
                continue;
            }
            if (RESERVED_ROUTE.equals(entry.getKey())) {
                problems.add(prefix + ": '" + RESERVED_ROUTE + "' names the main destination in metrics; choose "
                        + "another route name");
                continue;
            }
            String group = (route.getLogGroup() != null) ? route.getLogGroup() : properties.getLogGroup();
            String stream = (route.getLogStream() != null) ? route.getLogStream() : properties.getLogStream();
            try {
                ShipperSettings settings = create(properties, environment, prefix, group, stream);
                if (settings.logGroup().equals(main.logGroup()) && settings.logStream().equals(main.logStream())) {
                    problems.add(prefix + ": the route leads to " + main.logGroup() + "/" + main.logStream()
                            + ", where every event goes anyway, so its events would arrive twice; set its log-group "
                            + "or log-stream");
                }
                routes.forEach((other, otherSettings) -> {
                    if (settings.logGroup().equals(otherSettings.logGroup())
                            && settings.logStream().equals(otherSettings.logStream())) {
                        problems.add(prefix + ": the route leads to " + settings.logGroup() + "/"
                                + settings.logStream() + ", as the route '" + other + "' does, so events taking "
                                + "both would arrive twice; merge them or set another log-group or log-stream");
                    }
                });
                routes.put(entry.getKey(), settings);
            }
            catch (InvalidCloudWatchLoggingPropertiesException ex) {
                problems.addAll(ex.getProblems());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidCloudWatchLoggingPropertiesException(problems);
        }
        return routes;
    }

    private static ShipperSettings create(CloudWatchLoggingProperties properties, Environment environment,
            String prefix, @Nullable String groupName, String streamTemplate) {
        List<String> problems = new ArrayList<>();
        String group = (groupName != null) ? groupName.trim() : "";
        String stream = "";
        boolean expanded = false;
        try {
            stream = LogStreamTemplate.expandLocal(streamTemplate, environment.getProperty("spring.application.name"),
                    System::getenv);
            expanded = true;
        }
        catch (IllegalArgumentException ex) {
            problems.add(prefix + ".log-stream: " + ex.getMessage());
        }
        addIfPresent(problems, prefix + ".log-group", ShipperSettings.logGroupNameProblem(group));
        if (expanded) {
            String preview = LogStreamTemplate.preview(stream);
            String problem = ShipperSettings.logStreamNameProblem(preview);
            if (problem != null) {
                problems.add(prefix + ".log-stream: the template '" + streamTemplate + "' expands to '" + preview
                        + "', and " + problem);
            }
        }
        CloudWatchLoggingProperties.Credentials credentials = properties.getCredentials();
        if ((credentials.getAccessKey() == null) != (credentials.getSecretKey() == null)) {
            problems.add("logging.cloudwatch.credentials: set both access-key and secret-key, or neither");
        }
        if (!problems.isEmpty()) {
            throw new InvalidCloudWatchLoggingPropertiesException(problems);
        }
        try {
            return ShipperSettings.builder(group, stream)
                .createLogGroup(properties.isCreateLogGroup())
                .createLogStream(properties.isCreateLogStream())
                .retentionDays(properties.getRetention())
                .tags(properties.getTags())
                .secrets(Stream.of(credentials.getAccessKey(), credentials.getSecretKey())
                    .filter(Objects::nonNull)
                    .toList())
                .batchDelay(properties.getBatchDelay())
                .queueCapacityBytes(properties.getQueueCapacity().toBytes())
                .overflowPolicy(properties.getOverflowPolicy())
                .blockTimeout(properties.getBlockTimeout())
                .maxInFlight(properties.getMaxInFlight())
                .requestTimeout(properties.getRequestTimeout())
                .shutdownTimeout(properties.getShutdownTimeout())
                .maxEventBytes((int) Math.min(Integer.MAX_VALUE, properties.getMaxEventSize().toBytes()))
                .kmsKeyId(properties.getKmsKeyId())
                .logGroupClass(properties.getLogGroupClass())
                .subscription(subscription(properties.getSubscription()))
                .maxDestinations(properties.getMaxDestinations())
                .destinationIdleTimeout(properties.getDestinationIdleTimeout())
                .build();
        }
        catch (InvalidShipperSettingsException ex) {
            throw new InvalidCloudWatchLoggingPropertiesException(
                    ex.settingProblems().stream().map(CloudWatchLoggingSettings::withPropertyName).toList());
        }
    }

    private static io.github.cloudwatchlogging.shipping.@Nullable Subscription subscription(
            CloudWatchLoggingProperties.Subscription subscription) {
        String destination = subscription.getDestinationArn();
        if (destination == null || destination.isBlank()) {
            return null;
        }
        String role = subscription.getRoleArn();
        return new io.github.cloudwatchlogging.shipping.Subscription(destination.trim(),
                (role != null && !role.isBlank()) ? role.trim() : null, subscription.getFilterPattern(),
                subscription.getName());
    }

    private static String withPropertyName(InvalidShipperSettingsException.Problem problem) {
        String property = PROPERTY_BY_SETTING.get(problem.setting());
        return ((property != null) ? "logging.cloudwatch." + property : "logging.cloudwatch") + ": " + problem.message();
    }

    private static void addIfPresent(List<String> problems, String property, @Nullable String problem) {
        if (problem != null) {
            problems.add(property + ": " + problem);
        }
    }

}
