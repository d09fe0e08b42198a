package io.github.cloudwatchlogging.actuate;

import java.time.Clock;

import io.github.cloudwatchlogging.autoconfigure.CloudWatchLogShipping;
import io.github.cloudwatchlogging.autoconfigure.CloudWatchLoggingAutoConfiguration;
import io.github.cloudwatchlogging.autoconfigure.CloudWatchLoggingProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code cloudwatchLogging} health indicator; {@code management.health.cloudwatchlogging.enabled=false} turns it
 * off.
 */
@AutoConfiguration(after = CloudWatchLoggingAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(CloudWatchLogShipping.class)
@ConditionalOnEnabledHealthIndicator("cloudwatchlogging")
public final class CloudWatchLoggingHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "cloudwatchLoggingHealthIndicator")
    CloudWatchLoggingHealthIndicator cloudwatchLoggingHealthIndicator(CloudWatchLogShipping shipping,
            CloudWatchLoggingProperties properties) {
        return new CloudWatchLoggingHealthIndicator(shipping::statistics, shipping::routeStatistics,
                properties.getHealth().getFailureThreshold(),
                Clock.systemUTC()).withSpool(shipping::spoolStatistics);
    }

}
