package io.github.cloudwatchlogging.autoconfigure;

import io.github.cloudwatchlogging.shipping.ShipperSettings;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class CloudWatchLoggingPropertiesTests {

    @Test
    void defaultValuesAreConsistentWithTheShipper() {
        CloudWatchLoggingProperties properties = new CloudWatchLoggingProperties();
        ShipperSettings defaults = ShipperSettings.builder("/g", "s").build();
        assertThat(properties.getBatchDelay()).isEqualTo(defaults.batchDelay());
        assertThat(properties.getQueueCapacity().toBytes()).isEqualTo(defaults.queueCapacityBytes());
        assertThat(properties.getOverflowPolicy()).isEqualTo(defaults.overflowPolicy());
        assertThat(properties.getBlockTimeout()).isEqualTo(defaults.blockTimeout());
        assertThat(properties.getMaxInFlight()).isEqualTo(defaults.maxInFlight());
        assertThat(properties.getRequestTimeout()).isEqualTo(defaults.requestTimeout());
        assertThat(properties.getShutdownTimeout()).isEqualTo(defaults.shutdownTimeout());
        assertThat(properties.getMaxEventSize().toBytes()).isEqualTo(defaults.maxEventBytes());
        assertThat(properties.isCreateLogGroup()).isEqualTo(defaults.createLogGroup());
        assertThat(properties.isCreateLogStream()).isEqualTo(defaults.createLogStream());
    }

    @Test
    void streamTemplateExpandsLocalPlaceholdersAndKeepsMetadataOnesForLater() {
        String expanded = LogStreamTemplate.expandLocal("{app}/{pid}/{env:STAGE}/{ecs-task-id}", "orders",
                (name) -> "STAGE".equals(name) ? "prod" : null);
        assertThat(expanded).isEqualTo("orders/" + ProcessHandle.current().pid() + "/prod/{ecs-task-id}");
        assertThat(LogStreamTemplate.needsMetadata(expanded)).isTrue();
        assertThat(LogStreamTemplate.preview(expanded)).endsWith("/prod/-");
        assertThat(LogStreamTemplate.expandLocal("{date}-{uuid}", null, (name) -> null))
            .matches("\\d{4}-\\d{2}-\\d{2}-[0-9a-f-]{36}");
    }

    @Test
    void unknownPlaceholderIsAnInvalidProperty() {
        CloudWatchLoggingProperties properties = new CloudWatchLoggingProperties();
        properties.setLogGroup("/g");
        properties.setLogStream("{container}");
        org.assertj.core.api.Assertions
            .assertThatExceptionOfType(InvalidCloudWatchLoggingPropertiesException.class)
            .isThrownBy(() -> CloudWatchLoggingSettings.create(properties, new MockEnvironment()))
            .withMessageContaining("logging.cloudwatch.log-stream: unknown placeholder {container}");
    }

    @Test
    void eachShipperProblemNamesItsProperty() {
        CloudWatchLoggingProperties properties = new CloudWatchLoggingProperties();
        properties.setLogGroup("/g");
        properties.setMaxEventSize(org.springframework.util.unit.DataSize.ofBytes(100));
        properties.setBatchDelay(java.time.Duration.ZERO);
        org.assertj.core.api.Assertions
            .assertThatExceptionOfType(InvalidCloudWatchLoggingPropertiesException.class)
            .isThrownBy(() -> CloudWatchLoggingSettings.create(properties, new MockEnvironment()))
            .satisfies((ex) -> assertThat(ex.getProblems()).containsExactlyInAnyOrder(
                    "logging.cloudwatch.batch-delay: the batch delay must be positive, not PT0S",
                    "logging.cloudwatch.max-event-size: max event bytes must be between 256 and the max batch bytes "
                            + "less 26 (1048550), not 100"));
    }

    @Test
    void credentialsNeverShowInToString() {
        CloudWatchLoggingProperties properties = new CloudWatchLoggingProperties();
        properties.getCredentials().setAccessKey("AKIAEXAMPLE");
        properties.getCredentials().setSecretKey("very-secret");
        assertThat(properties.getCredentials().toString()).doesNotContain("AKIAEXAMPLE").doesNotContain("very-secret");
    }

}
