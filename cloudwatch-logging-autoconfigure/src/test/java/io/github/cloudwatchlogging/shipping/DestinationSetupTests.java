package io.github.cloudwatchlogging.shipping;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Creating the group is refused for the group's settings (a KMS key the service cannot use answers
 * InvalidParameterException), or its retention is: the batch is not at fault, so it is kept and sent once the
 * group can be made, never counted as rejected; and the subscription filter is put even when the retention fails.
 * Review finding: such a refusal rejected every batch, and a failed retention skipped the filter for good.
 */
class DestinationSetupTests {

    @RegisterExtension
    final Shippers shippers = new Shippers();

    private final List<String> calls = new CopyOnWriteArrayList<>();

    private final AtomicInteger groupRefusals = new AtomicInteger(2);

    private volatile boolean groupExists;

    @Test
    void aGroupRefusedForItsKeyIsRetriedAndItsEventsAreNeverRejected() {
        ShipperSettings settings = Shippers.settings(Duration.ofMillis(10))
            .kmsKeyId("arn:aws:kms:us-east-1:123456789012:key/gone")
            .retentionDays(7)
            .subscription(new Subscription("arn:aws:firehose:us-east-1:123456789012:deliverystream/s", null, "",
                    Subscription.DEFAULT_NAME))
            .build();
        LogShipper shipper = this.shippers.create(settings.toBuilder());
        shipper.start(new SdkPutLogEventsSender(client(), settings, false));
        shipper.offer(System.currentTimeMillis(), "kept until the group can be made");
        assertThat(shipper.flush(Duration.ofSeconds(10)).completed()).isTrue();
        ShipperStatistics stats = shipper.statistics();
        assertThat(stats.sent()).isEqualTo(1);
        assertThat(stats.rejectedTotal()).isZero();
        assertThat(stats.retries()).isEqualTo(2);
        assertThat(stats.lastFailureType()).as("the service's code, not the wrapper's").isEqualTo("InvalidParameterException");
        assertThat(this.calls).containsSubsequence("CreateLogGroup", "CreateLogGroup", "CreateLogGroup",
                "PutRetentionPolicy", "PutSubscriptionFilter");
    }

    private CloudWatchLogsClient client() {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.isDefault() && (args == null || !(args[0] instanceof software.amazon.awssdk.core.SdkRequest))) {
                return InvocationHandler.invokeDefault(proxy, method, args); // the Consumer<Builder> overloads
            }
            switch (method.getName()) {
                case "putLogEvents" -> {
                    this.calls.add("PutLogEvents");
                    if (!this.groupExists) {
                        throw ResourceNotFoundException.builder().message("no group").build();
                    }
                    return PutLogEventsResponse.builder().build();
                }
                case "createLogStream" -> {
                    this.calls.add("CreateLogStream");
                    if (!this.groupExists) {
                        throw ResourceNotFoundException.builder().message("no group").build();
                    }
                    return null;
                }
                case "createLogGroup" -> {
                    this.calls.add("CreateLogGroup");
                    if (this.groupRefusals.getAndDecrement() > 0) {
                        throw (CloudWatchLogsException) CloudWatchLogsException.builder()
                            .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("InvalidParameterException")
                                .errorMessage("The specified KMS key does not exist or is not allowed")
                                .build())
                            .statusCode(400)
                            .build();
                    }
                    this.groupExists = true;
                    return null;
                }
                case "putRetentionPolicy" -> {
                    this.calls.add("PutRetentionPolicy");
                    throw (CloudWatchLogsException) CloudWatchLogsException.builder()
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build())
                        .statusCode(400)
                        .build();
                }
                case "putSubscriptionFilter" -> {
                    this.calls.add("PutSubscriptionFilter");
                    return null;
                }
                case "close" -> {
                    return null;
                }
                case "serviceName" -> {
                    return "logs";
                }
                default -> throw new UnsupportedOperationException(method.getName());
            }
        };
        return (CloudWatchLogsClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { CloudWatchLogsClient.class }, handler);
    }

}
