package io.github.cloudwatchlogging.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.cloudwatchlogging.autoconfigure.CloudWatchLogShipping;
import io.github.cloudwatchlogging.shipping.DropReason;
import io.github.cloudwatchlogging.shipping.RejectReason;
import io.github.cloudwatchlogging.shipping.ShipperStatistics;
import io.github.cloudwatchlogging.testsupport.MotoServer;
import io.github.cloudwatchlogging.testsupport.ServiceErrors;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.github.cloudwatchlogging.testsupport.RunningApps.application;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The meters read from a SimpleMeterRegistry while WireMock, in front of the moto server, answers the first two
 * PutLogEvents calls with 503 and proxies everything else; or answers every call slowly with a rejection.
 */
class CloudWatchLoggingMetricsApplicationTests {

    private final MotoServer moto = MotoServer.get();

    private WireMockServer proxy;

    private ConfigurableApplicationContext context;

    @BeforeEach
    void start() {
        this.moto.reset();
        this.proxy = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        this.proxy.start();
        this.proxy.stubFor(any(anyUrl()).atPriority(10)
            .willReturn(aResponse().proxiedFrom(this.moto.endpoint().toString())));
        String target = "Logs_20140328.PutLogEvents";
        this.proxy.stubFor(post(urlEqualTo("/")).atPriority(1)
            .withHeader("X-Amz-Target", equalTo(target))
            .inScenario("faults")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(unavailable())
            .willSetStateTo("one fault"));
        this.proxy.stubFor(post(urlEqualTo("/")).atPriority(1)
            .withHeader("X-Amz-Target", equalTo(target))
            .inScenario("faults")
            .whenScenarioStateIs("one fault")
            .willReturn(unavailable())
            .willSetStateTo("healthy"));
    }

    @AfterEach
    void stop() {
        if (this.context != null) {
            this.context.close();
        }
        this.proxy.stop();
    }

    @Test
    void metersFollowTheStatisticsThroughFaultsAndRecovery() {
        this.context = application(MetricsApplication.class, WebApplicationType.NONE).run(
                "--logging.cloudwatch.log-group=/metrics/app", "--logging.cloudwatch.log-stream=s",
                "--logging.cloudwatch.region=us-east-1", "--logging.cloudwatch.endpoint=" + this.proxy.baseUrl(),
                "--logging.cloudwatch.batch-delay=100ms", "--logging.cloudwatch.queue-capacity=4MB",
                "--management.metrics.use-global-registry=false", "--spring.main.banner-mode=off");
        for (int i = 0; i < 50; i++) {
            LoggerFactory.getLogger("com.example.Metrics").info("metered {}", i);
        }
        CloudWatchLogShipping shipping = this.context.getBean(CloudWatchLogShipping.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ShipperStatistics statistics = shipping.statistics();
            return statistics.sent() >= 50 && statistics.queuedEvents() == 0;
        });
        SimpleMeterRegistry registry = this.context.getBean(SimpleMeterRegistry.class);
        ShipperStatistics statistics = shipping.statistics();

        assertThat(events(registry, "sent", "none")).isEqualTo(statistics.sent()).isGreaterThanOrEqualTo(50);
        assertThat(events(registry, "dropped", "evicted")).isZero();
        assertThat(events(registry, "rejected", "too-old")).isZero();
        assertThat(events(registry, "truncated", "none")).isZero();
        assertThat(registry.get("cloudwatch.logging.retries").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("cloudwatch.logging.requests")
            .tags("outcome", "failure", "error", "ServiceUnavailableException")
            .timer()
            .count()).isEqualTo(2);
        assertThat(registry.get("cloudwatch.logging.requests").tags("outcome", "success").timer().count())
            .isEqualTo(statistics.batches())
            .isPositive();
        assertThat(registry.get("cloudwatch.logging.requests").tags("outcome", "success").timer()
            .totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(registry.get("cloudwatch.logging.queue.capacity").gauge().value()).isEqualTo(4 * 1024 * 1024);
        assertThat(registry.get("cloudwatch.logging.queue.events").gauge().value()).isZero();
        assertThat(registry.get("cloudwatch.logging.queue.bytes").gauge().value()).isZero();
        assertThat(registry.get("cloudwatch.logging.requests.active").gauge().value()).isZero();
        assertThat(Metrics.globalRegistry.find("cloudwatch.logging.events").meters())
            .as("never bound to the global registry by the starter").isEmpty();
    }

    @Test
    void metersCountDropsRejectionsAndTruncationsAsTheStatisticsDo() {
        // Every call is answered slowly, and the service calls the first event of each batch too old: the small queue
        // overflows while a call is under way, and each batch has one rejection.
        this.proxy.stubFor(post(urlEqualTo("/")).atPriority(0)
            .withHeader("X-Amz-Target", equalTo("Logs_20140328.PutLogEvents"))
            .willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"rejectedLogEventsInfo\":{\"tooOldLogEventEndIndex\":1}}")
                .withFixedDelay(1500)));
        this.context = application(MetricsApplication.class, WebApplicationType.NONE).run(
                "--logging.cloudwatch.log-group=/metrics/app", "--logging.cloudwatch.log-stream=s",
                "--logging.cloudwatch.region=us-east-1", "--logging.cloudwatch.endpoint=" + this.proxy.baseUrl(),
                "--logging.cloudwatch.batch-delay=100ms", "--logging.cloudwatch.queue-capacity=64KB",
                "--logging.cloudwatch.max-event-size=1KB", "--logging.cloudwatch.overflow-policy=drop-newest",
                "--logging.cloudwatch.max-in-flight=1", "--logging.cloudwatch.shutdown-timeout=1s",
                "--management.metrics.use-global-registry=false", "--spring.main.banner-mode=off");
        org.slf4j.Logger logger = LoggerFactory.getLogger("com.example.Metrics");
        logger.info("x".repeat(4000));
        for (int i = 0; i < 2000; i++) {
            logger.info("an event that waits its turn behind a slow call, number {}", i);
        }
        CloudWatchLogShipping shipping = this.context.getBean(CloudWatchLogShipping.class);
        SimpleMeterRegistry registry = this.context.getBean(SimpleMeterRegistry.class);

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ShipperStatistics statistics = shipping.statistics();
            return statistics.queuedEvents() > 0 && statistics.inFlightRequests() == 1
                    && registry.get("cloudwatch.logging.queue.events").gauge().value() == statistics.queuedEvents()
                    && registry.get("cloudwatch.logging.queue.bytes").gauge().value() == statistics.queuedBytes()
                    && registry.get("cloudwatch.logging.requests.active").gauge().value() == 1;
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> shipping.statistics().queuedEvents() == 0);
        ShipperStatistics statistics = shipping.statistics();

        assertThat(events(registry, "dropped", "queue-full")).isEqualTo((double) statistics.dropped().get(DropReason.QUEUE_FULL))
            .isPositive();
        assertThat(events(registry, "rejected", "too-old")).isEqualTo((double) statistics.rejected().get(RejectReason.TOO_OLD))
            .isEqualTo((double) statistics.batches())
            .isPositive();
        assertThat(events(registry, "truncated", "none")).isEqualTo((double) statistics.truncated()).isEqualTo(1.0);
        assertThat(events(registry, "sent", "none")).isEqualTo((double) statistics.sent()).isPositive();
        assertThat(registry.get("cloudwatch.logging.requests").tags("outcome", "success").timer().count())
            .isEqualTo(statistics.batches());
        assertThat(statistics.unaccounted()).isZero();
    }

    private static double events(SimpleMeterRegistry registry, String outcome, String reason) {
        return registry.get("cloudwatch.logging.events").tags("outcome", outcome, "reason", reason)
            .functionCounter()
            .count();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder unavailable() {
        return ServiceErrors.error(503, "ServiceUnavailableException", "try later");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class MetricsApplication {

        @Bean
        SimpleMeterRegistry simpleMeterRegistry() {
            return new SimpleMeterRegistry();
        }

    }

}
