package io.github.cloudwatchlogging.metrics;

import io.github.cloudwatchlogging.autoconfigure.CloudWatchLoggingAutoConfiguration;
import io.github.cloudwatchlogging.testsupport.MotoServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class CloudWatchLoggingMetricsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CloudWatchLoggingAutoConfiguration.class,
                CloudWatchLoggingMetricsAutoConfiguration.class))
        .withPropertyValues("logging.cloudwatch.log-group=/metrics/app", "logging.cloudwatch.log-stream=s",
                "logging.cloudwatch.region=us-east-1", "logging.cloudwatch.endpoint=" + MotoServer.get().endpoint());

    @Test
    void noMetersWithoutAMeterRegistry() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(CloudWatchLoggingMetrics.class));
    }

    @Test
    void bindsToTheApplicationsRegistry() {
        this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
            assertThat(context).hasSingleBean(CloudWatchLoggingMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            context.getBean(CloudWatchLoggingMetrics.class).bindTo(registry);
            assertThat(registry.get("cloudwatch.logging.queue.capacity").gauge().value())
                .isEqualTo(32 * 1024 * 1024);
            assertThat(registry.find("cloudwatch.logging.events").meters()).hasSizeGreaterThanOrEqualTo(12);
        });
    }

    @Test
    void noMetersWithoutShipping() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CloudWatchLoggingAutoConfiguration.class,
                    CloudWatchLoggingMetricsAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .run((context) -> assertThat(context).doesNotHaveBean(CloudWatchLoggingMetrics.class));
    }

}
