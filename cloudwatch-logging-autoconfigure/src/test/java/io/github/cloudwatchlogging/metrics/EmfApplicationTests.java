package io.github.cloudwatchlogging.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.cloudwatchlogging.autoconfigure.CloudWatchLogShipping;
import io.github.cloudwatchlogging.shipping.ShipperStatistics;
import io.github.cloudwatchlogging.testsupport.MotoServer;
import io.github.cloudwatchlogging.testsupport.RunningApps;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
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

import static io.github.cloudwatchlogging.testsupport.RunningApps.application;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The application's meters as Embedded Metric Format documents in the metrics' stream, read back from moto and
 * checked against the specification ({@link EmfSpec}); and, while CloudWatch Logs cannot be reached, held in the
 * queue budget like any event.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmfApplicationTests {

    private final MotoServer moto = MotoServer.get();

    private ConfigurableApplicationContext context;

    @BeforeEach
    void reset() {
        this.moto.reset();
    }

    @AfterEach
    void close() {
        if (this.context != null) {
            this.context.close();
        }
    }

    private String[] args(String endpoint, String... more) {
        List<String> args = new ArrayList<>(List.of("--spring.application.name=orders",
                "--logging.cloudwatch.log-group=/emf/app", "--logging.cloudwatch.log-stream=app",
                "--logging.cloudwatch.region=us-east-1", "--logging.cloudwatch.endpoint=" + endpoint,
                "--logging.cloudwatch.batch-delay=100ms", "--logging.cloudwatch.metrics.enabled=true",
                "--logging.cloudwatch.metrics.step=1s", "--logging.cloudwatch.metrics.log-stream={app}/metrics",
                "--management.metrics.tags.env=test", "--management.metrics.use-global-registry=false",
                "--spring.main.banner-mode=off"));
        for (String override : more) {
            String key = override.substring(0, override.indexOf('=') + 1);
            args.removeIf((arg) -> arg.startsWith(key)); // a property given twice would bind as "a,b"
            args.add(override);
        }
        return args.toArray(String[]::new);
    }

    @Test
    void theMetersReachTheMetricsStreamAsDocumentsTheSpecificationAccepts() {
        this.context = application(EmfApplication.class, WebApplicationType.NONE)
            .run(args(this.moto.endpoint().toString()));
        MeterRegistry registry = this.context.getBean(MeterRegistry.class);
        assertThat(registry).isInstanceOf(EmfMeterRegistry.class);
        Counter placed = Counter.builder("orders.placed").tag("region", "eu").register(registry);
        placed.increment(2);
        // Every meter type, and tags that would break a document.
        Timer.builder("orders.latency").register(registry).record(Duration.ofMillis(120));
        DistributionSummary.builder("orders.size").baseUnit("bytes").register(registry).record(512);
        LongTaskTimer.builder("orders.jobs").register(registry);
        FunctionTimer.builder("orders.cache", new Object(), (o) -> 3, (o) -> 30.0, TimeUnit.MILLISECONDS)
            .register(registry);
        Counter.builder("orders.odd").tag("shop", "caf\u00e9").tag("empty", "").register(registry).increment();
        List<Tag> tooMany = new ArrayList<>();
        for (int i = 0; i < 35; i++) {
            tooMany.add(Tag.of("t" + i, "v"));
        }
        Gauge.builder("orders.overtagged", () -> 1).tags(tooMany).register(registry);
        LoggerFactory.getLogger("com.example.Orders").warn("emf-test one warning");

        List<Map<String, Object>> documents = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            documents.clear();
            this.moto.messages("/emf/app", "orders/metrics").forEach((json) -> documents.add(EmfSpec.check(json)));
            return documents.stream().anyMatch((document) -> Double.valueOf(2).equals(value(document, "orders.placed")))
                    && documents.stream().anyMatch((document) -> document.containsKey("orders.latency.count"))
                    && documents.stream().anyMatch((document) -> "warn".equals(document.get("level"))
                            && value(document, "logback.events") != null);
        });
        Map<String, Object> orders = documents.stream()
            .filter((document) -> document.containsKey("orders.placed"))
            .findFirst()
            .orElseThrow();
        assertThat(orders).containsEntry("region", "eu").containsEntry("env", "test");
        Map<String, Object> untagged = documents.stream()
            .filter((document) -> document.containsKey("orders.latency.count"))
            .findFirst()
            .orElseThrow();
        assertThat(untagged).containsEntry("orders.latency.count", 1.0).containsEntry("orders.latency.sum", 120.0)
            .containsEntry("orders.size.sum", 512.0).containsKey("orders.jobs.active").containsKey("orders.cache.count");
        assertThat(documents).anySatisfy((document) -> assertThat(document).containsEntry("shop", "caf_")
            .containsKey("orders.odd")
            .doesNotContainKey("empty"));
        assertThat(documents).as("over 30 tags: left out and counted")
            .noneMatch((document) -> document.containsKey("orders.overtagged"));
        assertThat(((EmfMeterRegistry) registry).documents().dropped()).isPositive();
        this.moto.messages("/emf/app", "orders/metrics")
            .stream()
            .filter((json) -> json.contains("\"orders.placed\""))
            .findFirst()
            .ifPresent((json) -> System.out.println("An EMF document read back from moto: " + json));
        assertThat(orders.get("_aws").toString()).contains("Namespace=orders");
        assertThat(documents).as("the starter's own meters are among them")
            .anyMatch((document) -> document.containsKey("cloudwatch.logging.queue.capacity"));
        assertThat(registry.get("cloudwatch.logging.metrics.documents").tags("outcome", "queued", "env", "test")
            .functionCounter()).as("its own figures, bound after the registry is configured: with the common tags")
            .isNotNull();
        assertThat(this.context.getBean(CloudWatchLogShipping.class).infrastructure().iamPolicy().toString())
            .as("the policy lets it write its stream").contains("log-group:/emf/app:log-stream:*/metrics");
        assertThat(this.moto.messages("/emf/app", "app")).as("the application's events stay in their stream")
            .anyMatch((message) -> message.contains("emf-test one warning"))
            .noneMatch((message) -> message.contains("\"_aws\""));
    }

    @Test
    void whileCloudWatchLogsIsUnreachableTheDocumentsWaitInTheBudget() {
        this.context = application(EmfApplication.class, WebApplicationType.NONE)
            .run(args(RunningApps.unreachableEndpoint().toString()));
        CloudWatchLogShipping shipping = this.context.getBean(CloudWatchLogShipping.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ShipperStatistics metrics = shipping.routeStatistics().get("metrics");
            return metrics != null && metrics.queuedEvents() >= 2;
        });
        ShipperStatistics metrics = shipping.routeStatistics().get("metrics");
        assertThat(metrics.logStream()).isEqualTo("orders/metrics");
        assertThat(metrics.sent()).isZero();
        assertThat(metrics.droppedTotal()).isZero();
        assertThat(shipping.statistics().queuedBytes()).as("in the one budget").isPositive();
    }

    @Test
    void settingsCloudWatchRefusesAreNamedByTheirProperty(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application(EmfApplication.class, WebApplicationType.NONE)
            .run(args(this.moto.endpoint().toString(), "--logging.cloudwatch.metrics.namespace=AWS/EC2")));
        assertThatException().isThrownBy(() -> application(EmfApplication.class, WebApplicationType.NONE)
            .run(args(this.moto.endpoint().toString(), "--logging.cloudwatch.metrics.step=0s")));
        assertThatException().isThrownBy(() -> application(EmfApplication.class, WebApplicationType.NONE)
            .run(args(this.moto.endpoint().toString(), "--logging.cloudwatch.log-group-class=infrequent-access")));
        assertThat(output).contains("logging.cloudwatch.metrics.namespace: 'AWS/EC2' is not a namespace")
            .contains("logging.cloudwatch.metrics.step: at least 1s")
            .contains("logging.cloudwatch.metrics.enabled: CloudWatch extracts no metrics from the events of a group "
                    + "of the INFREQUENT_ACCESS class");
    }

    private static Object value(Map<String, Object> document, String metric) {
        Object value = document.get(metric);
        return (value instanceof Number number) ? number.doubleValue() : null;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class EmfApplication {

    }

}
