package io.github.cloudwatchlogging.autoconfigure;

import java.net.URI;
import java.util.List;

import io.github.cloudwatchlogging.shipping.CloudWatchLogsClients;
import io.github.cloudwatchlogging.shipping.LazySender;
import io.github.cloudwatchlogging.shipping.PutLogEventsSender;
import io.github.cloudwatchlogging.shipping.SdkPutLogEventsSender;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Where the client gets its region, endpoint and credentials: {@code logging.cloudwatch.*} first, then Spring
 * Cloud AWS (its beans once the context has them, its properties before), then the SDK's default chains.
 *
 * @param region the region, or null for the SDK's region chain
 * @param endpoint the endpoint override, or null for the region's endpoint
 * @param credentials the credentials, or null for the SDK's default chain
 */
record AwsConnectionSettings(@Nullable String region, @Nullable URI endpoint,
        @Nullable AwsCredentialsProvider credentials) {

    /** Before the context exists: properties only. */
    static AwsConnectionSettings fromEnvironment(CloudWatchLoggingProperties properties, Environment environment) {
        return of(properties, environment, null, null);
    }

    /** With Spring Cloud AWS beans, when the context defines them. */
    static AwsConnectionSettings of(CloudWatchLoggingProperties properties, Environment environment,
            @Nullable AwsCredentialsProvider credentialsBean, @Nullable AwsRegionProvider regionBean) {
        String region = properties.getRegion();
        if (!StringUtils.hasText(region) && regionBean != null) {
            region = regionBean.getRegion().id();
        }
        if (!StringUtils.hasText(region)) {
            region = environment.getProperty("spring.cloud.aws.region.static");
        }
        URI endpoint = properties.getEndpoint();
        if (endpoint == null) {
            String cloudAws = environment.getProperty("spring.cloud.aws.endpoint");
            endpoint = StringUtils.hasText(cloudAws) ? URI.create(cloudAws.trim()) : null;
        }
        AwsCredentialsProvider credentials = staticCredentials(properties.getCredentials().getAccessKey(),
                properties.getCredentials().getSecretKey());
        if (credentials == null) {
            credentials = credentialsBean;
        }
        if (credentials == null) {
            credentials = staticCredentials(environment.getProperty("spring.cloud.aws.credentials.access-key"),
                    environment.getProperty("spring.cloud.aws.credentials.secret-key"));
        }
        return new AwsConnectionSettings(StringUtils.hasText(region) ? region : null, endpoint, credentials);
    }

    /**
     * A sender that builds its client, and expands metadata placeholders in the stream name, on its first call,
     * on a sender thread.
     */
    PutLogEventsSender lazySender(ShipperSettings settings) {
        return lazySender(settings, List.of());
    }

    /** The same, with the context's client customizers applied in order after the starter's own settings. */
    PutLogEventsSender lazySender(ShipperSettings settings, List<CloudWatchLogsClientCustomizer> customizers) {
        return lazySender(settings, customizers, new InstanceMetadata());
    }

    /** The same, with the instance metadata read from {@code metadata}. */
    PutLogEventsSender lazySender(ShipperSettings settings, List<CloudWatchLogsClientCustomizer> customizers,
            InstanceMetadata metadata) {
        return new LazySender(() -> new SdkPutLogEventsSender(CloudWatchLogsClients.create(settings, this.region,
                this.endpoint, this.credentials,
                (builder) -> customizers.forEach((customizer) -> customizer.customize(builder))), settings, true,
                // Every destination's stream, the routes' and those of events' values too, not only the main one.
                (stream) -> LogStreamTemplate.needsMetadata(stream)
                        ? LogStreamTemplate.expandMetadataWithinLimit(stream, metadata) : stream));
    }

    private static @Nullable AwsCredentialsProvider staticCredentials(@Nullable String accessKey,
            @Nullable String secretKey) {
        if (!StringUtils.hasText(accessKey) || !StringUtils.hasText(secretKey)) {
            return null;
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey.trim(), secretKey.trim()));
    }

    @Override
    public String toString() {
        // Never show credentials, not even in a debugger's or a log's view of this record.
        return "AwsConnectionSettings[region=" + this.region + ", endpoint=" + this.endpoint + ", credentials="
                + ((this.credentials != null) ? this.credentials.getClass().getSimpleName() : "default chain") + "]";
    }

}
