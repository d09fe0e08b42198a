package io.github.cloudwatchlogging.shipping;

import org.jspecify.annotations.Nullable;

/**
 * A subscription filter the shipper puts on each log group it creates, forwarding its events to a Kinesis Data
 * Firehose delivery stream, a Kinesis stream, a Lambda function or a cross-account destination.
 *
 * @param destinationArn where the events go
 * @param roleArn the role CloudWatch Logs assumes to put them there (Firehose and Kinesis need one; Lambda does not)
 * @param filterPattern which events, in CloudWatch Logs' filter syntax; empty for all of them
 * @param name the filter's name, unique in its group; putting it again replaces it
 */
public record Subscription(String destinationArn, @Nullable String roleArn, String filterPattern, String name) {

    public static final String DEFAULT_NAME = "cloudwatch-logging";

}
