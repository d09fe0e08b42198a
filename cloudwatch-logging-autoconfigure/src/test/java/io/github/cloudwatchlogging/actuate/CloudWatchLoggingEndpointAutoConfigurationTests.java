package io.github.cloudwatchlogging.actuate;

import io.github.cloudwatchlogging.autoconfigure.CloudWatchLoggingAutoConfiguration;
import io.github.cloudwatchlogging.testsupport.MotoServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class CloudWatchLoggingEndpointAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CloudWatchLoggingAutoConfiguration.class,
                CloudWatchLoggingEndpointAutoConfiguration.class))
        .withPropertyValues("logging.cloudwatch.log-group=/endpoint/app", "logging.cloudwatch.log-stream=s",
                "logging.cloudwatch.region=us-east-1",
                "logging.cloudwatch.endpoint=" + MotoServer.get().endpoint());

    @Test
    void runWhenNotExposedShouldNotHaveEndpointBean() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(CloudWatchLoggingEndpoint.class));
    }

    @Test
    void runWhenExposedShouldHaveEndpointBean() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=cloudwatchlogging")
            .run((context) -> {
                assertThat(context).hasSingleBean(CloudWatchLoggingEndpoint.class);
                CloudWatchLoggingEndpoint.ShippingDescriptor status = context.getBean(CloudWatchLoggingEndpoint.class)
                    .status();
                assertThat(status.state()).isEqualTo("RUNNING");
                assertThat(status.logGroup()).isEqualTo("/endpoint/app");
                assertThat(status.queue().capacityBytes()).isEqualTo(32L * 1024 * 1024);
            });
    }

    @Test
    void runWhenAccessIsNoneShouldNotHaveEndpointBean() {
        this.contextRunner
            .withPropertyValues("management.endpoints.web.exposure.include=cloudwatchlogging",
                    "management.endpoint.cloudwatchlogging.access=NONE")
            .run((context) -> assertThat(context).doesNotHaveBean(CloudWatchLoggingEndpoint.class));
    }

    @Test
    void runWithoutShippingShouldNotHaveEndpointBean() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CloudWatchLoggingAutoConfiguration.class,
                    CloudWatchLoggingEndpointAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=cloudwatchlogging")
            .run((context) -> assertThat(context).doesNotHaveBean(CloudWatchLoggingEndpoint.class));
    }

}
