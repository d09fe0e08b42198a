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

    /** The alarm's name: one per group, whatever the number of instances; within CloudWatch's 255 characters. */
    public String alarmName() {
        String name = "cloudwatch-logging errors in " + this.logGroup;
        return (name.length() > 255) ? name.substring(0, 255) : name;
    }

    /** Why CloudWatch would refuse these settings, each naming its property under {@code prefix}; empty when none. */
    public static List<String> problems(String prefix, int threshold, Duration period, int evaluationPeriods,
            List<String> actions) {
        List<String> problems = new ArrayList<>();
        if (threshold < 1) {
            problems.add(prefix + ".threshold: at least one error per period, not " + threshold);
        }
        long seconds = period.getSeconds();
        // A metric filter's metric has one-minute resolution: shorter periods would find no data most of the time.
        if (period.getNano() != 0 || seconds < 60 || seconds % 60 != 0) {
            problems.add(prefix + ".period: a whole number of minutes (a metric filter counts per minute), not "
                    + period);
        }
        if (evaluationPeriods < 1) {
            problems.add(prefix + ".evaluation-periods: at least 1, not " + evaluationPeriods);
        }
        long span = seconds * Math.max(1, evaluationPeriods);
        long maxSpan = (seconds < 3600) ? 86_400 : 604_800;
        if (seconds >= 60 && span > maxSpan) {
            problems.add(prefix + ".evaluation-periods: period x evaluation-periods may be at most "
                    + ((maxSpan == 86_400) ? "one day" : "seven days") + ", not " + Duration.ofSeconds(span));
        }
        if (actions.size() > 5) {
            problems.add(prefix + ".actions: an alarm takes at most 5 actions, not " + actions.size());
        }
        for (String action : actions) {
            if (!action.startsWith("arn:")) {
                problems.add(prefix + ".actions: an action is an ARN (an SNS topic, say), not '" + action + "'");
            }
        }
        return problems;
    }

}
