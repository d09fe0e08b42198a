package io.github.cloudwatchlogging.shipping;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/** What the service would refuse, or the shipper could not work with, in a set of settings: each with its name. */
final class SettingsCheck {

    private static final Pattern KMS_KEY_ARN = Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/\\S+");

    private static final Pattern LOG_GROUP_NAME = Pattern.compile("[.\\-_/#A-Za-z0-9]{1,512}");

    private SettingsCheck() {
    }

    static List<InvalidShipperSettingsException.Problem> problems(ShipperSettings settings) {
        List<InvalidShipperSettingsException.Problem> problems = new ArrayList<>();
        addIfPresent(problems, "logGroup", logGroupNameProblem(settings.logGroup()));
        addIfPresent(problems, "logStream", logStreamNameProblem(settings.logStream()));
        if (settings.maxDestinations() < 1) {
            problems.add(problem("maxDestinations", "at least one destination must be allowed to open for events' "
                    + "values, not " + settings.maxDestinations()));
        }
        requirePositive(problems, "destinationIdleTimeout", "destination idle timeout",
                settings.destinationIdleTimeout());
        if (settings.retentionDays() != null && !ShipperSettings.ALLOWED_RETENTION_DAYS.contains(settings.retentionDays())) {
            problems.add(problem("retentionDays", "retention of " + settings.retentionDays()
                    + " days is not one CloudWatch Logs allows; use one of "
                    + ShipperSettings.ALLOWED_RETENTION_DAYS.stream().sorted().toList()));
        }
        if (settings.tags().size() > 50) {
            problems.add(problem("tags", "a log group takes at most 50 tags, not " + settings.tags().size()));
        }
        if (settings.kmsKeyId() != null && !KMS_KEY_ARN.matcher(settings.kmsKeyId()).matches()) {
            problems.add(problem("kmsKeyId", "CreateLogGroup takes the key's ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), "
                    + "not '" + settings.kmsKeyId() + "'"));
        }
        Subscription subscription = settings.subscription();
        if (subscription != null) {
            if (!subscription.destinationArn().startsWith("arn:")) {
                problems.add(problem("subscription.destinationArn", "the subscription's destination is an ARN (a "
                        + "Firehose delivery stream, a Kinesis stream, a Lambda function), not '"
                        + subscription.destinationArn() + "'"));
            }
            if (subscription.roleArn() != null && !subscription.roleArn().startsWith("arn:")) {
                problems.add(problem("subscription.roleArn", "the subscription's role is an ARN, not '"
                        + subscription.roleArn() + "'"));
            }
            if (subscription.name().isBlank() || subscription.name().length() > 512
                    || subscription.name().contains(":") || subscription.name().contains("*")) {
                problems.add(problem("subscription.name", "a subscription filter's name is 1-512 characters without "
                        + "':' or '*', not '" + subscription.name() + "'"));
            }
            if (subscription.filterPattern().length() > 1024) {
                problems.add(problem("subscription.filterPattern", "a filter pattern is at most 1024 characters"));
            }
        }
        requirePositive(problems, "batchDelay", "batch delay", settings.batchDelay());
        requirePositive(problems, "requestTimeout", "request timeout", settings.requestTimeout());
        requireNotNegative(problems, "blockTimeout", "block timeout", settings.blockTimeout());
        requireNotNegative(problems, "shutdownTimeout", "shutdown timeout", settings.shutdownTimeout());
        requirePositive(problems, "retryBaseDelay", "retry base delay", settings.retryBaseDelay());
        if (settings.retryMaxDelay().compareTo(settings.retryBaseDelay()) < 0) {
            problems.add(problem("retryMaxDelay", "the retry max delay (" + settings.retryMaxDelay()
                    + ") must not be shorter than the base delay (" + settings.retryBaseDelay() + ")"));
        }
        if (settings.maxBatchEvents() < 1 || settings.maxBatchEvents() > ShipperSettings.MAX_BATCH_EVENTS) {
            problems.add(problem("maxBatchEvents",
                    "max batch events must be between 1 and " + ShipperSettings.MAX_BATCH_EVENTS + ", not " + settings.maxBatchEvents()));
        }
        if (settings.maxBatchBytes() < 1024 || settings.maxBatchBytes() > ShipperSettings.MAX_BATCH_BYTES) {
            problems.add(problem("maxBatchBytes",
                    "max batch bytes must be between 1024 and " + ShipperSettings.MAX_BATCH_BYTES + ", not " + settings.maxBatchBytes()));
        }
        if (settings.maxEventBytes() < 256 || settings.maxEventBytes() > settings.maxBatchBytes() - LogEvent.PUT_OVERHEAD_BYTES) {
            problems.add(problem("maxEventBytes", "max event bytes must be between 256 and the max batch bytes less "
                    + LogEvent.PUT_OVERHEAD_BYTES + " (" + (settings.maxBatchBytes() - LogEvent.PUT_OVERHEAD_BYTES)
                    + "), not " + settings.maxEventBytes()));
        }
        long smallestUsefulQueue = (long) settings.maxEventBytes() + LogEvent.QUEUE_OVERHEAD_BYTES;
        if (settings.queueCapacityBytes() < smallestUsefulQueue || settings.queueCapacityBytes() > Budget.MAX_CAPACITY_BYTES) {
            problems.add(problem("queueCapacityBytes", "the queue capacity must be between " + smallestUsefulQueue
                    + " bytes (one event of the largest size) and " + Budget.MAX_CAPACITY_BYTES + ", not "
                    + settings.queueCapacityBytes()));
        }
        if (settings.maxInFlight() < 1 || settings.maxInFlight() > 64) {
            problems.add(problem("maxInFlight", "max in-flight requests must be between 1 and 64, not " + settings.maxInFlight()));
        }
        return problems;
    }

    /**
     * Why the service would refuse this log group name, or null when it would accept it. Of a template with
     * placeholders evaluated per event, the literal text is checked; the values are made valid per event.
     */
    static @Nullable String logGroupNameProblem(@Nullable String template) {
        if (template != null && EventNameTemplate.isPerEvent(template)) {
            return inTemplate(template, groupNameProblem(EventNameTemplate.forGroup(template).literalName()));
        }
        return groupNameProblem(template);
    }

    private static @Nullable String inTemplate(String template, @Nullable String problem) {
        return (problem != null) ? problem + " (the text of '" + template
                + "' with each placeholder as x: values are made valid per event, the text around them is not)" : null;
    }

    private static @Nullable String groupNameProblem(@Nullable String name) {
        if (name == null || name.isEmpty()) {
            return "the log group name is empty";
        }
        if (!LOG_GROUP_NAME.matcher(name).matches()) {
            return "the log group name '" + name
                    + "' must be 1 to 512 characters of letters, digits and . - _ / #";
        }
        if (name.startsWith("aws/")) {
            return "the log group name '" + name + "' may not start with 'aws/' (reserved by AWS)";
        }
        return null;
    }

    /** Why the service would refuse this log stream name, or null when it would accept it; as for a group. */
    static @Nullable String logStreamNameProblem(@Nullable String template) {
        if (template != null && EventNameTemplate.isPerEvent(template)) {
            return inTemplate(template, streamNameProblem(EventNameTemplate.forStream(template).literalName()));
        }
        return streamNameProblem(template);
    }

    private static @Nullable String streamNameProblem(@Nullable String name) {
        if (name == null || name.isEmpty()) {
            return "the log stream name is empty";
        }
        if (name.length() > 512) {
            return "the log stream name is " + name.length() + " characters long; at most 512 are allowed";
        }
        if (name.indexOf(':') >= 0 || name.indexOf('*') >= 0) {
            return "the log stream name '" + name + "' may not contain ':' or '*'";
        }
        return null;
    }

    private static InvalidShipperSettingsException.Problem problem(String setting, String message) {
        return new InvalidShipperSettingsException.Problem(setting, message);
    }

    private static void addIfPresent(List<InvalidShipperSettingsException.Problem> problems, String setting,
            @Nullable String message) {
        if (message != null) {
            problems.add(problem(setting, message));
        }
    }

    private static void requirePositive(List<InvalidShipperSettingsException.Problem> problems, String setting,
            String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(problem(setting, "the " + name + " must be positive, not " + value));
        }
    }

    private static void requireNotNegative(List<InvalidShipperSettingsException.Problem> problems, String setting,
            String name, Duration value) {
        if (value.isNegative()) {
            problems.add(problem(setting, "the " + name + " must not be negative, not " + value));
        }
    }

}
