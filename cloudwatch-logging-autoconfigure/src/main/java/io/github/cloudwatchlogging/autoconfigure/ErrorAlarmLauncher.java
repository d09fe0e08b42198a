package io.github.cloudwatchlogging.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.github.cloudwatchlogging.alarms.ErrorAlarm;
import io.github.cloudwatchlogging.alarms.ErrorAlarmSetup;
import io.github.cloudwatchlogging.shipping.CloudWatchLogsClients;
import io.github.cloudwatchlogging.shipping.LogShipper;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import io.github.cloudwatchlogging.shipping.ShipperState;
import io.github.cloudwatchlogging.shipping.ShipperThread;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClientBuilder;

import org.springframework.core.env.Environment;

/**
 * Starts the {@link ErrorAlarmSetup} of a context, on a thread of its own: its clients built from the context's AWS
 * settings (the CloudWatch one at logging.cloudwatch.alarms.endpoint, else Spring Cloud AWS's endpoints).
 */
final class ErrorAlarmLauncher {

    private ErrorAlarmLauncher() {
    }

    /**
     * @param closed whether the context closed: the setup, which uses its beans, then gives up
     */
    static ErrorAlarmSetup start(ErrorAlarm alarm, LogShipper shipper, ShipperSettings settings,
            AwsConnectionSettings connection, CloudWatchLoggingProperties properties, Environment environment,
            List<CloudWatchLogsClientCustomizer> customizers, BooleanSupplier closed) {
        URI endpoint = endpoint(properties, environment);
        Duration timeout = properties.getRequestTimeout();
        ErrorAlarmSetup setup = new ErrorAlarmSetup(alarm,
                () -> CloudWatchLogsClients.create(settings, connection.region(), connection.endpoint(),
                        connection.credentials(),
                        (builder) -> customizers.forEach((customizer) -> customizer.customize(builder))),
                () -> cloudWatchClient(connection, endpoint, timeout),
                () -> shipper.statistics(shipper.mainDestination()).lastSuccessTime() != null,
                () -> closed.getAsBoolean() || shipper.state() == ShipperState.STOPPING
                        || shipper.state() == ShipperState.STOPPED);
        ShipperThread.named(setup, "cloudwatch-logging-alarm").start();
        return setup;
    }

    private static @Nullable URI endpoint(CloudWatchLoggingProperties properties, Environment environment) {
        URI endpoint = properties.getAlarms().getEndpoint();
        if (endpoint != null) {
            return endpoint;
        }
        String property = (environment.getProperty("spring.cloud.aws.cloudwatch.endpoint") != null)
                ? "spring.cloud.aws.cloudwatch.endpoint" : "spring.cloud.aws.endpoint";
        String configured = environment.getProperty(property, "");
        try {
            return configured.isBlank() ? null : URI.create(configured.trim());
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidCloudWatchLoggingPropertiesException(List.of(property + ": '" + configured
                    + "' is not a URL (" + ex.getMessage() + ")"));
        }
    }

    /** One try per call (the setup retries on its own), bounded like the shipper's calls. */
    private static CloudWatchClient cloudWatchClient(AwsConnectionSettings connection, @Nullable URI endpoint,
            Duration timeout) {
        CloudWatchClientBuilder builder = CloudWatchClient.builder()
            .overrideConfiguration((override) -> override.retryStrategy((retry) -> retry.maxAttempts(1))
                .apiCallTimeout(timeout)
                .apiCallAttemptTimeout(timeout));
        if (connection.region() != null) {
            builder.region(Region.of(connection.region()));
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (connection.credentials() != null) {
            builder.credentialsProvider(connection.credentials());
        }
        return builder.build();
    }

}
