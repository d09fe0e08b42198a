package io.github.cloudwatchlogging.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.github.cloudwatchlogging.alarms.ErrorAlarm;
import io.github.cloudwatchlogging.alarms.ErrorFilterPattern;
import io.github.cloudwatchlogging.shipping.EventNameTemplate;
import io.github.cloudwatchlogging.shipping.LogGroupClass;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;

/**
 * The settings of the metrics (logging.cloudwatch.metrics.*) and of the alarm on errors
 * (logging.cloudwatch.alarms.*), checked against what CloudWatch accepts and naming the property to change.
 */
final class MetricsAndAlarmSettings {

    private MetricsAndAlarmSettings() {
    }

    /** The name of the destination of the metrics' documents, which no route may take while they are on. */
    static final String METRICS_ROUTE = "metrics";

    /**
     * The stream of the metrics' documents, local placeholders expanded (metadata ones stay, for the sender); null
     * while metrics are off.
     * @throws InvalidCloudWatchLoggingPropertiesException naming the property
     */
    static @Nullable String metricsStream(CloudWatchLoggingProperties properties, Environment environment) {
        CloudWatchLoggingProperties.Metrics metrics = properties.getMetrics();
        if (!metrics.isEnabled()) {
            return null;
        }
        String property = CloudWatchLoggingProperties.PREFIX + ".metrics.log-stream";
        if (metrics.getStep().isNegative() || metrics.getStep().toMillis() < 1000) {
            throw new InvalidCloudWatchLoggingPropertiesException(List.of(CloudWatchLoggingProperties.PREFIX
                    + ".metrics.step: at least 1s, not " + metrics.getStep()));
        }
        if (properties.getLogGroupClass() == LogGroupClass.INFREQUENT_ACCESS) {
            throw new InvalidCloudWatchLoggingPropertiesException(List.of(CloudWatchLoggingProperties.PREFIX
                    + ".metrics.enabled: CloudWatch extracts no metrics from the events of a group of the "
                    + "INFREQUENT_ACCESS class (logging.cloudwatch.log-group-class); use STANDARD, or turn metrics off"));
        }
        try {
            String stream = LogStreamTemplate.expandLocal(metrics.getLogStream(),
                    environment.getProperty("spring.application.name"), System::getenv);
            String problem = ShipperSettings.logStreamNameProblem(LogStreamTemplate.preview(stream));
            if (problem != null) {
                throw new InvalidCloudWatchLoggingPropertiesException(List.of(property + ": " + problem));
            }
            return stream;
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidCloudWatchLoggingPropertiesException(List.of(property + ": " + ex.getMessage()));
        }
    }

    /** Placeholders whose value differs between instances of one application. */
    private static final Pattern PER_INSTANCE = Pattern.compile("\\{(hostname|pid|uuid|date|ecs-task-id|instance-id)}");

    /** What CloudWatch takes as a namespace. */
    private static final Pattern NAMESPACE = Pattern.compile("[0-9A-Za-z._/#: -]{1,255}");

    /**
     * The CloudWatch namespace of the metrics (logging.cloudwatch.metrics.namespace), its placeholders expanded.
     * @throws InvalidCloudWatchLoggingPropertiesException when CloudWatch would refuse it
     */
    static String metricsNamespace(CloudWatchLoggingProperties properties, Environment environment) {
        String property = CloudWatchLoggingProperties.PREFIX + ".metrics.namespace";
        String namespace;
        try {
            namespace = LogStreamTemplate.expandLocal(properties.getMetrics().getNamespace(),
                    environment.getProperty("spring.application.name"), System::getenv);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidCloudWatchLoggingPropertiesException(List.of(property + ": " + ex.getMessage()));
        }
        if (LogStreamTemplate.needsMetadata(namespace) || !NAMESPACE.matcher(namespace).matches()
                || namespace.startsWith("AWS/") || namespace.startsWith(":")) {
            throw new InvalidCloudWatchLoggingPropertiesException(List.of(property + ": '" + namespace
                    + "' is not a namespace CloudWatch takes: 1 to 255 of letters, digits and . _ / # : - and space, "
                    + "not starting with 'AWS/' or ':' (and no instance metadata placeholder)"));
        }
        return namespace;
    }

    /**
     * Checks, before anything is installed, every setting that a later step would refuse: a start-up that fails
     * after the installation keeps it to ship its failure report, for the life of the JVM.
     * @throws InvalidCloudWatchLoggingPropertiesException naming every invalid property
     */
    static void checkLaterSettings(CloudWatchLoggingProperties properties, Environment environment) {
        boolean alarm = properties.getAlarms().getErrors().getThreshold() != null;
        if (properties.getMetrics().isEnabled() || alarm) {
            metricsNamespace(properties, environment);
        }
        if (alarm) {
            errorAlarm(properties, "group", "namespace");
        }
    }

    /**
     * The alarm on bursts of errors, on the main group; null while no threshold is set.
     * @throws InvalidCloudWatchLoggingPropertiesException naming every invalid property
     */
    static @Nullable ErrorAlarm errorAlarm(CloudWatchLoggingProperties properties, String mainGroup,
            String namespace) {
        CloudWatchLoggingProperties.Errors errors = properties.getAlarms().getErrors();
        if (errors.getThreshold() == null) {
            return null;
        }
        String prefix = CloudWatchLoggingProperties.PREFIX + ".alarms.errors";
        List<String> problems = new ArrayList<>(ErrorAlarm.problems(prefix, errors.getThreshold(), errors.getPeriod(),
                errors.getEvaluationPeriods(), errors.getActions()));
        String group = properties.getLogGroup();
        if (group != null && EventNameTemplate.isPerEvent(group)) {
            problems.add(prefix + ".threshold: the alarm counts the errors of one group, and log-group names one per "
                    + "event ('" + group + "'); set a fixed log-group, or no alarm");
        }
        if (properties.getLogGroupClass() == LogGroupClass.INFREQUENT_ACCESS) {
            problems.add(prefix + ".threshold: a group of the INFREQUENT_ACCESS class takes no metric filter "
                    + "(logging.cloudwatch.log-group-class); use STANDARD, or no alarm");
        }
        if (PER_INSTANCE.matcher(properties.getMetrics().getNamespace()).find()) {
            problems.add(CloudWatchLoggingProperties.PREFIX + ".metrics.namespace: the alarm's one filter and alarm "
                    + "per group need one namespace for every instance, and '" + properties.getMetrics().getNamespace()
                    + "' differs between them");
        }
        if (!problems.isEmpty()) {
            throw new InvalidCloudWatchLoggingPropertiesException(problems);
        }
        String filterPattern = (errors.getFilterPattern() != null && !errors.getFilterPattern().isBlank())
                ? errors.getFilterPattern().trim() : ErrorFilterPattern.of(properties.getFormat(), properties.getPattern());
        return new ErrorAlarm(mainGroup, filterPattern, namespace, errors.getThreshold(), errors.getPeriod(),
                errors.getEvaluationPeriods(), errors.getActions());
    }

}
