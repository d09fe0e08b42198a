package io.github.cloudwatchlogging.alarms;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * Puts the metric filter and the alarm of an {@link ErrorAlarm}, on a thread of its own, once the group exists (the
 * shipper creates it with its first batch): both calls replace what is there, so every start of every instance may
 * make them. A failure that may pass is retried a few times; then, or at once for one that will not (access denied,
 * an invalid parameter), it is reported on stderr and in {@link #state}; never logged, never in the way of the
 * events.
 */
public final class ErrorAlarmSetup implements Runnable {

    private static final int ATTEMPTS = 5;

    private static final long POLL_MILLIS = 200;

    private final ErrorAlarm alarm;

    private final Supplier<CloudWatchLogsClient> logs;

    private final Supplier<CloudWatchClient> cloudWatch;

    private final BooleanSupplier groupExists;

    private final BooleanSupplier stopped;

    private volatile String state = "PENDING: waiting for the group to exist";

    /**
     * @param logs builds the CloudWatch Logs client (closed after)
     * @param cloudWatch builds the CloudWatch client (closed after)
     * @param groupExists whether the shipper has delivered to the group yet
     * @param stopped whether the shipper stopped, and the setup should give up
     */
    public ErrorAlarmSetup(ErrorAlarm alarm, Supplier<CloudWatchLogsClient> logs, Supplier<CloudWatchClient> cloudWatch,
            BooleanSupplier groupExists, BooleanSupplier stopped) {
        this.alarm = alarm;
        this.logs = logs;
        this.cloudWatch = cloudWatch;
        this.groupExists = groupExists;
        this.stopped = stopped;
    }

    /** PENDING, CREATED, or FAILED with what the service said. */
    public String state() {
        return this.state;
    }

    public ErrorAlarm alarm() {
        return this.alarm;
    }

    @Override
    public void run() {
        while (!this.groupExists.getAsBoolean()) {
            if (this.stopped.getAsBoolean() || !sleep(POLL_MILLIS)) {
                return;
            }
        }
        @Nullable RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (this.stopped.getAsBoolean()) {
                return; // the application is stopping: nothing to report
            }
            try {
                put();
                this.state = "CREATED: " + this.alarm.alarmName();
                return;
            }
            catch (RuntimeException ex) {
                last = ex;
                this.state = "PENDING: attempt " + attempt + " failed: " + ex.getMessage();
                // Only what may pass on its own is tried again (throttling, 5xx, I/O), after a jittered backoff, so
                // that a fleet starting together does not retry in step against the API's low request quota.
                if (attempt == ATTEMPTS || !mayPass(ex)
                        || !sleep(ThreadLocalRandom.current().nextLong(1, Duration.ofSeconds(1L << attempt).toMillis()))) {
                    break;
                }
            }
        }
        if (last != null && !this.stopped.getAsBoolean()) {
            this.state = "FAILED: " + last.getMessage();
            System.err.println("cloudwatch-logging: the alarm on errors in " + this.alarm.logGroup()
                    + " could not be set up (" + last.getMessage() + "); the events ship as usual");
        }
    }

    private void put() {
        ErrorAlarm alarm = this.alarm;
        try (CloudWatchLogsClient logs = this.logs.get()) {
            logs.putMetricFilter((request) -> request.logGroupName(alarm.logGroup())
                .filterName(ErrorAlarm.FILTER_NAME)
                .filterPattern(alarm.filterPattern())
                .metricTransformations((metric) -> metric.metricName(ErrorAlarm.METRIC_NAME)
                    .metricNamespace(alarm.namespace())
                    .metricValue("1")
                    .defaultValue(0.0)));
        }
        try (CloudWatchClient cloudWatch = this.cloudWatch.get()) {
            cloudWatch.putMetricAlarm((request) -> request.alarmName(alarm.alarmName())
                .alarmDescription("Events at ERROR in " + alarm.logGroup() + ", counted by the metric filter "
                        + ErrorAlarm.FILTER_NAME + " (cloudwatch-logging)")
                .namespace(alarm.namespace())
                .metricName(ErrorAlarm.METRIC_NAME)
                .statistic(Statistic.SUM)
                .period((int) alarm.period().getSeconds())
                .evaluationPeriods(alarm.evaluationPeriods())
                .threshold((double) alarm.threshold())
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData("notBreaching")
                .alarmActions(alarm.actions()));
        }
    }

    /** Throttling, a 5xx or no answer at all: what may pass on its own. */
    private static boolean mayPass(RuntimeException ex) {
        if (ex instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return ex instanceof SdkClientException;
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

}
