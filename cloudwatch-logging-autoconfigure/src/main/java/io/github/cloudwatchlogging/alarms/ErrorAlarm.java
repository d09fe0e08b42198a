package io.github.cloudwatchlogging.alarms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An alarm on bursts of errors: a metric filter on the main group counts the events at ERROR (one per event, 0 when
 * none), and a CloudWatch alarm fires when their sum over {@code period} reaches {@code threshold} in
 * {@code evaluationPeriods} periods in a row.
 *
 * @param logGroup the group the filter is put on
 * @param filterPattern the pattern of its events at ERROR ({@link ErrorFilterPattern})
 * @param namespace the metric's namespace
 * @param threshold errors per period that fire it
 * @param period the period of the sum
 * @param evaluationPeriods periods in a row at or above the threshold
 * @param actions what the alarm notifies (ARNs, an SNS topic say)
 */
public record ErrorAlarm(String logGroup, String filterPattern, String namespace, int threshold, Duration period,
        int evaluationPeriods, List<String> actions) {

    /** The metric filter's name, the same for every instance of the application: putting it again replaces it. */
    public static final String FILTER_NAME = "cloudwatch-logging-errors";

    /** The metric the filter counts into. */
    public static final String METRIC_NAME = "log.errors";

    public ErrorAlarm {
        actions = List.copyOf(actions);
    }

    /** The alarm's name: one per group, whatever the number of instances. */
    public String alarmName() {
        return "cloudwatch-logging errors in " + this.logGroup;
    }

    /** Why CloudWatch would refuse these settings, each naming its property under {@code prefix}; empty when none. */
    public static List<String> problems(String prefix, int threshold, Duration period, int evaluationPeriods,
            List<String> actions) {
        List<String> problems = new ArrayList<>();
        if (threshold < 1) {
            problems.add(prefix + ".threshold: at least one error per period, not " + threshold);
        }
        long seconds = period.getSeconds();
        if (period.getNano() != 0 || !(seconds == 10 || seconds == 30 || (seconds >= 60 && seconds % 60 == 0))) {
            problems.add(prefix + ".period: CloudWatch takes 10s, 30s or a whole number of minutes, not " + period);
        }
        if (evaluationPeriods < 1) {
            problems.add(prefix + ".evaluation-periods: at least 1, not " + evaluationPeriods);
        }
        for (String action : actions) {
            if (!action.startsWith("arn:")) {
                problems.add(prefix + ".actions: an action is an ARN (an SNS topic, say), not '" + action + "'");
            }
        }
        return problems;
    }

}
