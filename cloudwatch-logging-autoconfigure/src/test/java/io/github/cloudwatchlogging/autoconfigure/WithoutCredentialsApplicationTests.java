package io.github.cloudwatchlogging.autoconfigure;

import java.time.Duration;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.github.cloudwatchlogging.testsupport.RunningApps.application;
import static io.github.cloudwatchlogging.testsupport.RunningApps.get;
import static io.github.cloudwatchlogging.testsupport.RunningApps.port;
import static io.github.cloudwatchlogging.testsupport.RunningApps.shipperCpuMillisOver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No credentials anywhere the SDK looks (the surefire execution {@code without-credentials} runs this in such a
 * JVM): the application starts and serves, the endpoint says why nothing is sent, and no request leaves.
 */
@ExtendWith(OutputCaptureExtension.class)
class WithoutCredentialsApplicationTests {

    private WireMockServer server;

    @BeforeEach
    void startServer() {
        assertThat(System.getenv("AWS_ACCESS_KEY_ID")).as("this JVM must have no credentials").isNull();
        assertThat(System.getProperty("aws.accessKeyId")).as("this JVM must have no credentials").isNull();
        this.server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        this.server.start();
    }

    @AfterEach
    void stopServer() {
        this.server.stop();
    }

    @Test
    void missingCredentialsAreNamedAndNothingIsSent(CapturedOutput output) throws Exception {
        ConfigurableApplicationContext context = application(TestApplication.class, WebApplicationType.SERVLET)
            .run("--logging.cloudwatch.log-group=/it/no-credentials", "--logging.cloudwatch.log-stream=app",
                    "--logging.cloudwatch.region=us-east-1", "--logging.cloudwatch.batch-delay=100ms",
                    "--logging.cloudwatch.endpoint=" + this.server.baseUrl(),
                    "--logging.cloudwatch.shutdown-timeout=1s", "--server.port=0", "--server.address=127.0.0.1",
                    "--management.endpoints.web.exposure.include=health,cloudwatchlogging");
        try {
            int port = port(context);
            LoggerFactory.getLogger("com.example.NoCredentials").info("still on the console");
            await().atMost(Duration.ofSeconds(20))
                .until(() -> get(port, "/actuator/cloudwatchlogging").body().contains("\"lastFailure\":{"));
            String json = get(port, "/actuator/cloudwatchlogging").body();
            assertThat(json).contains("\"type\":\"SdkClientException\"", "Unable to load credentials");
            assertThat(get(port, "/actuator/health").statusCode()).isEqualTo(200);
            assertThat(output.getOut()).contains("still on the console");
            assertThat(shipperCpuMillisOver(Duration.ofSeconds(3))).as("CPU ms in 3 s of failing").isLessThan(300);
            assertThat(this.server.getAllServeEvents()).as("requests sent without credentials").isEmpty();
        }
        finally {
            context.close();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TestApplication {

    }

}
