package io.github.cloudwatchlogging.actuate;

import io.github.cloudwatchlogging.autoconfigure.CloudWatchLoggingAutoConfiguration;
import io.github.cloudwatchlogging.testsupport.MotoServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class CloudWatchLoggingHealthAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CloudWatchLoggingAutoConfiguration.class,
                CloudWatchLoggingHealthAutoConfiguration.class))
        .withPropertyValues("logging.cloudwatch.log-group=/health/app", "logging.cloudwatch.log-stream=s",
                "logging.cloudwatch.region=us-east-1", "logging.cloudwatch.endpoint=" + MotoServer.get().endpoint());

    @Test
    void registersTheIndicatorUnderTheNameCloudwatchLogging() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(CloudWatchLoggingHealthIndicator.class);
            assertThat(context).hasBean("cloudwatchLoggingHealthIndicator");
            assertThat(context.getBean(CloudWatchLoggingHealthIndicator.class).health(true).getStatus())
                .isEqualTo(Status.UP);
        });
    }

    @Test
    void canBeSwitchedOffLikeAnyBootHealthIndicator() {
        this.contextRunner.withPropertyValues("management.health.cloudwatchlogging.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(CloudWatchLoggingHealthIndicator.class));
    }

    @Test
    void switchedOffWithAllDefaultIndicators() {
        this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(CloudWatchLoggingHealthIndicator.class));
    }

    @Test
    void absentWithoutShipping() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CloudWatchLoggingAutoConfiguration.class,
                    CloudWatchLoggingHealthAutoConfiguration.class))
            .run((context) -> assertThat(context).doesNotHaveBean(CloudWatchLoggingHealthIndicator.class));
    }

    @Test
    void theThresholdIsAProperty() {
        this.contextRunner.withPropertyValues("logging.cloudwatch.health.failure-threshold=30s")
            .run((context) -> assertThat(context.getBean(
                    io.github.cloudwatchlogging.autoconfigure.CloudWatchLoggingProperties.class)
                .getHealth()
                .getFailureThreshold()).hasSeconds(30));
    }

}
