package io.github.cloudwatchlogging.shipping;

import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClientBuilder;

/** Builds the SDK client the shipper needs: its own retries off, timeouts bounded, enough connections. */
public final class CloudWatchLogsClients {

    private CloudWatchLogsClients() {
    }

    /**
     * Configures a builder for the shipper. Region, endpoint and credentials are set only when given, so the SDK's
     * default chains apply otherwise.
     */
    public static CloudWatchLogsClientBuilder configure(CloudWatchLogsClientBuilder builder, ShipperSettings settings,
            @Nullable String region, @Nullable URI endpoint, @Nullable AwsCredentialsProvider credentials) {
        Duration timeout = settings.requestTimeout();
        builder.httpClientBuilder(ApacheHttpClient.builder()
            .maxConnections(Math.max(settings.maxInFlight(), 2))
            .connectionTimeout(min(timeout, Duration.ofSeconds(5)))
            .socketTimeout(timeout))
            // The shipper retries with its own backoff for as long as its budget allows; SDK retries would multiply.
            // The sender writes PutLogEvents' body itself (see PutLogEventsBody); the interceptor hands it to the SDK.
            .overrideConfiguration((override) -> override.addExecutionInterceptor(new PutLogEventsBodyInterceptor())
                .retryStrategy((retry) -> retry.maxAttempts(1))
                .apiCallTimeout(timeout)
                .apiCallAttemptTimeout(timeout));
        if (region != null && !region.isBlank()) {
            Region resolved = Region.of(region.trim());
            if (endpoint == null && resolved.metadata() == null) {
                // Refused here rather than sent to a made-up host name: a typo would otherwise look like DNS trouble.
                throw new IllegalArgumentException("Unknown AWS region '" + region.trim() + "': this AWS SDK knows "
                        + "no CloudWatch Logs endpoint for it. Check logging.cloudwatch.region (or the SDK's region "
                        + "chain); for a region newer than the SDK, set logging.cloudwatch.endpoint as well");
            }
            builder.region(resolved);
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        return builder;
    }

    public static CloudWatchLogsClient create(ShipperSettings settings, @Nullable String region,
            @Nullable URI endpoint, @Nullable AwsCredentialsProvider credentials) {
        return create(settings, region, endpoint, credentials, (builder) -> {
        });
    }

    /** Builds the client after the customizer, which runs last, had its say. */
    public static CloudWatchLogsClient create(ShipperSettings settings, @Nullable String region,
            @Nullable URI endpoint, @Nullable AwsCredentialsProvider credentials,
            Consumer<CloudWatchLogsClientBuilder> customizer) {
        CloudWatchLogsClientBuilder builder = configure(CloudWatchLogsClient.builder(), settings, region, endpoint,
                credentials);
        customizer.accept(builder);
        return builder.build();
    }

    private static Duration min(Duration a, Duration b) {
        return (a.compareTo(b) <= 0) ? a : b;
    }

}
