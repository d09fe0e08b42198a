package io.github.cloudwatchlogging.actuate;

import io.github.cloudwatchlogging.autoconfigure.CloudWatchLogShipping;
import io.github.cloudwatchlogging.autoconfigure.CloudWatchLoggingAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code cloudwatchlogging} endpoint, when it is available (enabled and exposed, as Boot's settings say).
 */
@AutoConfiguration(after = CloudWatchLoggingAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnAvailableEndpoint(CloudWatchLoggingEndpoint.class)
@ConditionalOnBean(CloudWatchLogShipping.class)
public final class CloudWatchLoggingEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CloudWatchLoggingEndpoint cloudWatchLoggingEndpoint(CloudWatchLogShipping shipping) {
        return new CloudWatchLoggingEndpoint(shipping);
    }

}
