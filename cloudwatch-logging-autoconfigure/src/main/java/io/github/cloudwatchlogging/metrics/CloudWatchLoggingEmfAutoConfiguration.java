package io.github.cloudwatchlogging.metrics;

import io.github.cloudwatchlogging.autoconfigure.CloudWatchLogShipping;
import io.github.cloudwatchlogging.autoconfigure.CloudWatchLoggingAutoConfiguration;
import io.github.cloudwatchlogging.autoconfigure.CloudWatchLoggingProperties;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.step.StepMeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application's meters as CloudWatch metrics through the log stream ({@link EmfMeterRegistry}), when Micrometer
 * is present and {@code logging.cloudwatch.metrics.enabled} is true: a registry like Boot's export registries, which
 * Boot's composite registry takes with the others.
 */
@AutoConfiguration(before = { CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class },
        after = { MetricsAutoConfiguration.class, CloudWatchLoggingAutoConfiguration.class })
@ConditionalOnClass({ StepMeterRegistry.class, MetricsAutoConfiguration.class })
@ConditionalOnProperty(prefix = "logging.cloudwatch.metrics", name = "enabled", havingValue = "true")
@ConditionalOnBean({ Clock.class, CloudWatchLogShipping.class })
public final class CloudWatchLoggingEmfAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EmfMeterRegistry cloudWatchLoggingEmfMeterRegistry(CloudWatchLogShipping shipping,
            CloudWatchLoggingProperties properties, Clock clock) {
        return new EmfMeterRegistry(properties.getMetrics().getStep(), shipping.metricsNamespace(),
                (int) Math.min(Integer.MAX_VALUE, properties.getMaxEventSize().toBytes()), clock,
                shipping::offerMetrics);
    }

    @Bean
    @ConditionalOnMissingBean
    EmfPublicationMeters cloudWatchLoggingEmfPublicationMeters(EmfMeterRegistry registry) {
        return new EmfPublicationMeters(registry);
    }

}
