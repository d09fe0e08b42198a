package io.github.cloudwatchlogging.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import io.github.cloudwatchlogging.shipping.InvalidShipperSettingsException;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
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
            Map.entry("maxEventBytes", "max-event-size"));

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
        List<String> problems = new ArrayList<>();
        String group = (properties.getLogGroup() != null) ? properties.getLogGroup().trim() : "";
        String stream = "";
        boolean expanded = false;
        try {
            stream = LogStreamTemplate.expandLocal(properties.getLogStream(),
                    environment.getProperty("spring.application.name"), System::getenv);
            expanded = true;
        }
        catch (IllegalArgumentException ex) {
            problems.add("logging.cloudwatch.log-stream: " + ex.getMessage());
        }
        addIfPresent(problems, "logging.cloudwatch.log-group", ShipperSettings.logGroupNameProblem(group));
        if (expanded) {
            String preview = LogStreamTemplate.preview(stream);
            String problem = ShipperSettings.logStreamNameProblem(preview);
            if (problem != null) {
                problems.add("logging.cloudwatch.log-stream: the template '" + properties.getLogStream()
                        + "' expands to '" + preview + "', and " + problem);
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
                .build();
        }
        catch (InvalidShipperSettingsException ex) {
            throw new InvalidCloudWatchLoggingPropertiesException(
                    ex.settingProblems().stream().map(CloudWatchLoggingSettings::withPropertyName).toList());
        }
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
