package io.github.cloudwatchlogging.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.cloudwatchlogging.actuate.CloudWatchLoggingEndpoint;
import io.github.cloudwatchlogging.actuate.CloudWatchLoggingHealthIndicator;
import io.github.cloudwatchlogging.spool.SpoolStatistics;
import io.github.cloudwatchlogging.testsupport.MotoServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static io.github.cloudwatchlogging.testsupport.RunningApps.application;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * {@code logging.cloudwatch.spool.*} in an application: the spool is on, the endpoint, the health details and the
 * meters show it, an application stopped during an outage leaves its events to the next one, and invalid settings
 * stop the start-up naming the property.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpoolApplicationTests {

    private final MotoServer moto = MotoServer.get();

    @TempDir
    Path spool;

    @BeforeEach
    void resetMoto() {
        this.moto.reset();
    }

    @Test
    void eventsGoThroughTheSpoolAndTheEndpointHealthAndMetersShowIt() {
        ConfigurableApplicationContext context = application(SpoolApplication.class, WebApplicationType.NONE)
            .run(args(this.moto.endpoint().toString(), "--logging.cloudwatch.spool.sync=1s",
                    "--management.endpoints.web.exposure.include=cloudwatchlogging"));
        LoggerFactory.getLogger("com.example.Orders").info("spool-test order placed");
        CloudWatchLogShipping shipping = context.getBean(CloudWatchLogShipping.class);
        await().atMost(Duration.ofSeconds(15)).until(() -> shipping.statistics().sent() >= 1);

        CloudWatchLoggingEndpoint.ShippingDescriptor status = context.getBean(CloudWatchLoggingEndpoint.class).status();
        SpoolStatistics spool = status.spool();
        assertThat(spool).isNotNull();
        assertThat(spool.state()).isEqualTo("ACTIVE");
        assertThat(spool.directory()).isEqualTo(this.spool.toAbsolutePath().toString());
        assertThat(spool.segments()).isPositive();
        assertThat(spool.bytesOnDisk()).isEqualTo(spool.segments() * 32L * 1024 * 1024);
        Health health = context.getBean(CloudWatchLoggingHealthIndicator.class).health();
        assertThat(health.getDetails().get("spool")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("state", "ACTIVE");
        SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
        assertThat(registry.get("cloudwatch.logging.spool.bytes").gauge().value()).isEqualTo(spool.bytesOnDisk());
        assertThat(registry.get("cloudwatch.logging.spool.records").tag("outcome", "recovered").functionCounter()
            .count()).isZero();
        context.close();
        assertThat(spoolTestMessages()).containsExactly("spool-test order placed");
    }

    @Test
    void anApplicationStoppedDuringAnOutageLeavesItsEventsToTheNextStart(CapturedOutput output) throws Exception {
        String unreachable = io.github.cloudwatchlogging.testsupport.RunningApps.unreachableEndpoint();
        ConfigurableApplicationContext down = application(SpoolApplication.class, WebApplicationType.NONE)
            .run(args(unreachable, "--logging.cloudwatch.shutdown-timeout=500ms"));
        for (int i = 0; i < 20; i++) {
            LoggerFactory.getLogger("com.example.Orders").info("spool-test order " + i);
        }
        down.close();
        assertThat(output).contains("were not delivered because the shutdown timeout of PT0.5S ran out; they are kept "
                + "in the spool at " + this.spool.toAbsolutePath());

        ConfigurableApplicationContext up = application(SpoolApplication.class, WebApplicationType.NONE)
            .run(args(this.moto.endpoint().toString()));
        CloudWatchLogShipping shipping = up.getBean(CloudWatchLogShipping.class);
        await().atMost(Duration.ofSeconds(15)).until(() -> shipping.spoolStatistics().toRecover() == 0
                && shipping.statistics().queuedEvents() == 0);
        assertThat(shipping.spoolStatistics().recovered()).isGreaterThanOrEqualTo(20);
        up.close();
        List<String> orders = spoolTestMessages().stream().filter((m) -> m.startsWith("spool-test order ")).toList();
        for (int i = 0; i < 20; i++) {
            assertThat(orders).containsOnlyOnce("spool-test order " + i);
        }
    }

    @Test
    void invalidSpoolSettingsAreNamedByTheirProperty(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application(SpoolApplication.class, WebApplicationType.NONE)
            .run(args(this.moto.endpoint().toString(), "--logging.cloudwatch.spool.sync=sometimes",
                    "--logging.cloudwatch.spool.capacity=1MB")));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("logging.cloudwatch.spool.sync: The spool's sync is none, always or an interval such as 1s, "
                    + "not 'sometimes'")
            .contains("logging.cloudwatch.spool.capacity: 1048576B is below the 2MB of two segments");
    }

    @Test
    void aSpoolDirectoryThatIsAFileLeavesTheApplicationShippingFromMemory() throws Exception {
        Path file = Files.writeString(this.spool.resolve("a-file"), "not a directory");
        ConfigurableApplicationContext context = application(SpoolApplication.class, WebApplicationType.NONE)
            .run(argsWithSpool(file, this.moto.endpoint().toString()));
        LoggerFactory.getLogger("com.example.Orders").info("spool-test from memory");
        CloudWatchLogShipping shipping = context.getBean(CloudWatchLogShipping.class);
        await().atMost(Duration.ofSeconds(15)).until(() -> shipping.statistics().sent() >= 1);
        Map<String, Object> details = context.getBean(CloudWatchLoggingHealthIndicator.class).health().getDetails();
        assertThat(details.get("spool")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
            .containsEntry("state", "UNAVAILABLE")
            .containsEntry("reason", "it is not a directory (" + file + " is a file)");
        context.close();
        assertThat(spoolTestMessages()).contains("spool-test from memory");
    }

    private String[] args(String endpoint, String... more) {
        return argsWithSpool(this.spool, endpoint, more);
    }

    private String[] argsWithSpool(Path directory, String endpoint, String... more) {
        List<String> args = new ArrayList<>(List.of("--logging.cloudwatch.log-group=/spool/app",
                "--logging.cloudwatch.log-stream=app", "--logging.cloudwatch.region=us-east-1",
                "--logging.cloudwatch.endpoint=" + endpoint, "--logging.cloudwatch.batch-delay=100ms",
                "--logging.cloudwatch.spool.directory=" + directory, "--spring.main.banner-mode=off"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private List<String> spoolTestMessages() {
        return this.moto.messages("/spool/app", "app")
            .stream()
            .filter((message) -> message.contains("spool-test"))
            .map((message) -> message.substring(message.indexOf("spool-test")).strip())
            .toList();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class SpoolApplication {

        @Bean
        SimpleMeterRegistry simpleMeterRegistry() {
            return new SimpleMeterRegistry();
        }

    }

}
