package io.github.cloudwatchlogging.metrics;

import java.util.ArrayList;
import java.util.List;

import io.github.cloudwatchlogging.autoconfigure.CloudWatchLogShipping;
import io.github.cloudwatchlogging.autoconfigure.CloudWatchLoggingAutoConfiguration;
import io.github.cloudwatchlogging.autoconfigure.CloudWatchLoggingProperties;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Binds the shipper's meters to the application's meter registries, when it has one; never to a registry of its
 * own.
 */
@AutoConfiguration(after = { CloudWatchLoggingAutoConfiguration.class, MetricsAutoConfiguration.class,
        CompositeMeterRegistryAutoConfiguration.class })
@ConditionalOnClass({ MeterRegistry.class, MetricsAutoConfiguration.class })
@ConditionalOnBean({ MeterRegistry.class, CloudWatchLogShipping.class })
public final class CloudWatchLoggingMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CloudWatchLoggingMetrics cloudWatchLoggingMetrics(CloudWatchLogShipping shipping,
            CloudWatchLoggingProperties properties) {
        List<String> routes = new ArrayList<>(properties.getRoutes().keySet());
        if (properties.getMetrics().isEnabled()) {
            routes.add("metrics"); // the destination of the metrics' own documents
        }
        return new CloudWatchLoggingMetrics(shipping, routes);
    }

}
