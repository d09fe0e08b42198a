package io.github.cloudwatchlogging.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import io.github.cloudwatchlogging.testsupport.RunningApps;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end-to-end run against LocalStack, where Docker runs and LOCALSTACK_AUTH_TOKEN is set. Elsewhere it is skipped
 * with the reason printed; the moto tests cover the same path.
 */
class LocalStackEndToEndTests {

    @BeforeEach
    void requireDockerAndToken() {
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        String reason = null;
        if (token == null || token.isBlank()) {
            reason = "LOCALSTACK_AUTH_TOKEN is not set (LocalStack needs one since 2026-03)";
        }
        else if (!DockerClientFactory.instance().isDockerAvailable()) {
            reason = "no Docker engine is available";
        }
        if (reason != null) {
            System.out.println("SKIPPED LocalStackEndToEndTests: " + reason + "; CloudWatchLoggingApplicationTests "
                    + "covers the same path against moto");
        }
        Assumptions.assumeTrue(reason == null, reason);
    }

    @Test
    void shipsStartupLinesToLocalStack() {
        try (LocalStackContainer localStack = new LocalStackContainer("localstack/localstack-pro:4")
            .withEnv("LOCALSTACK_AUTH_TOKEN", System.getenv("LOCALSTACK_AUTH_TOKEN"))) {
            localStack.start();
            ConfigurableApplicationContext context = RunningApps
                .application(CloudWatchLoggingApplicationTests.TestApplication.class, WebApplicationType.NONE)
                .run("--logging.cloudwatch.log-group=/localstack/app",
                    "--logging.cloudwatch.log-stream=app", "--logging.cloudwatch.region=" + localStack.getRegion(),
                    "--logging.cloudwatch.endpoint=" + localStack.getEndpoint(),
                    "--logging.cloudwatch.credentials.access-key=" + localStack.getAccessKey(),
                    "--logging.cloudwatch.credentials.secret-key=" + localStack.getSecretKey());
            LoggerFactory.getLogger("com.example").info("hello localstack");
            context.close();
            try (CloudWatchLogsClient reader = CloudWatchLogsClient.builder()
                .endpointOverride(localStack.getEndpoint())
                .region(Region.of(localStack.getRegion()))
                .credentialsProvider(StaticCredentialsProvider
                    .create(AwsBasicCredentials.create(localStack.getAccessKey(), localStack.getSecretKey())))
                .build()) {
                List<String> messages = reader
                    .getLogEvents((r) -> r.logGroupName("/localstack/app").logStreamName("app").startFromHead(true))
                    .events()
                    .stream()
                    .map(OutputLogEvent::message)
                    .toList();
                assertThat(messages).anyMatch((m) -> m.contains("hello localstack"));
                assertThat(messages).anyMatch((m) -> m.contains("Started"));
            }
        }
    }

}
