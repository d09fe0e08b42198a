package io.github.cloudwatchlogging.autoconfigure;

import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClientBuilder;

/**
 * Customizes the CloudWatch Logs client the starter builds, after the starter has set the region, endpoint,
 * credentials, timeouts and HTTP client from {@code logging.cloudwatch.*}: an HTTP client or proxy of your own, other
 * timeouts, or credentials from a role to assume. Beans of this type are applied in their
 * {@link org.springframework.core.Ordered order}, the way Spring Cloud AWS applies its {@code AwsClientCustomizer}s.
 * <p>
 * To keep the starter's settings when changing the override configuration, start from them:
 * {@code builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()...build())}. The starter turns
 * the SDK's retries off because it retries with its own backoff; turning them on again multiplies the attempts.
 */
@FunctionalInterface
public interface CloudWatchLogsClientCustomizer {

    void customize(CloudWatchLogsClientBuilder builder);

}
