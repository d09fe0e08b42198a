package io.github.cloudwatchlogging.autoconfigure;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Ships the application's logs to CloudWatch Logs when {@code logging.cloudwatch.log-group} is set.
 */
@AutoConfiguration
@ConditionalOnClass(CloudWatchLogsClient.class)
@ConditionalOnProperty(prefix = CloudWatchLoggingProperties.PREFIX, name = "log-group")
@ConditionalOnBooleanProperty(name = CloudWatchLoggingProperties.PREFIX + ".enabled", matchIfMissing = true)
@EnableConfigurationProperties(CloudWatchLoggingProperties.class)
public final class CloudWatchLoggingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CloudWatchLogShipping cloudWatchLogShipping(CloudWatchLoggingProperties properties, Environment environment,
            ObjectProvider<AwsCredentialsProvider> credentials, ObjectProvider<AwsRegionProvider> region,
            ObjectProvider<CloudWatchLogsClientCustomizer> customizers) {
        return new CloudWatchLogShipping(properties, environment, credentials.getIfUnique(), region.getIfUnique(),
                customizers.orderedStream().toList());
    }

}
