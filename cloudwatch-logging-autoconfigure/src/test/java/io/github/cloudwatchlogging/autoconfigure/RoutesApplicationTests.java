package io.github.cloudwatchlogging.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.cloudwatchlogging.actuate.CloudWatchLoggingEndpoint;
import io.github.cloudwatchlogging.shipping.ShipperStatistics;
import io.github.cloudwatchlogging.shipping.ShipperThread;
import io.github.cloudwatchlogging.testsupport.MotoServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.springframework.context.annotation.Bean;

import static io.github.cloudwatchlogging.testsupport.RunningApps.application;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/** Routes send chosen events to further groups or streams as well, through the one shipper, each with its own statistics. */
@ExtendWith(OutputCaptureExtension.class)
class RoutesApplicationTests {

    private final MotoServer moto = MotoServer.get();

    @BeforeEach
    void resetMoto() {
        this.moto.reset();
    }

    @Test
    void errorsAlsoToTheirOwnGroupAndOneLoggersEventsAlsoToTheirOwnStream() {
        Set<Thread> before = shipperThreads();
        ConfigurableApplicationContext context = application(RoutedApplication.class, WebApplicationType.NONE).run(
                args("--logging.cloudwatch.routes.errors.log-group=/routes/errors",
                        "--logging.cloudwatch.routes.errors.level=error",
                        "--logging.cloudwatch.routes.orders.log-stream=orders",
                        "--logging.cloudwatch.routes.orders.loggers=com.example.orders",
                        "--management.endpoints.web.exposure.include=cloudwatchlogging"));
        LoggerFactory.getLogger("com.example.orders.web.OrderController").info("route-test order placed");
        LoggerFactory.getLogger("com.example.ordersarchive.Job").info("route-test archive ran");
        LoggerFactory.getLogger("com.example.payments.Client").error("route-test payment failed");
        LoggerFactory.getLogger("com.example.orders.Repository").error("route-test order lost");

        CloudWatchLogShipping shipping = context.getBean(CloudWatchLogShipping.class);
        await().atMost(Duration.ofSeconds(15))
            .until(() -> sent(shipping.statistics("errors")) == 2 && sent(shipping.statistics("orders")) == 2);
        // One worker and one sender pool for the main destination and both routes (the pool's size is max-in-flight).
        Set<Thread> started = shipperThreads();
        started.removeAll(before);
        assertThat(started).extracting(Thread::getName)
            .containsOnlyOnce("cloudwatch-logging-worker")
            .allMatch((name) -> name.equals("cloudwatch-logging-worker") || name.matches("cloudwatch-logging-sender-[1-4]"));
        CloudWatchLoggingEndpoint.ShippingDescriptor status = context.getBean(CloudWatchLoggingEndpoint.class)
            .status();
        assertThat(status.routes()).containsOnlyKeys("errors", "orders");
        assertThat(status.routes().get("errors").logGroup()).isEqualTo("/routes/errors");
        assertThat(status.routes().get("errors").logStream()).isEqualTo("app");
        assertThat(status.routes().get("errors").events().sent()).isEqualTo(2);
        assertThat(status.routes().get("orders").logGroup()).isEqualTo("/routes/app");
        assertThat(status.routes().get("orders").logStream()).isEqualTo("orders");
        SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
        assertThat(registry.get("cloudwatch.logging.events")
            .tags("route", "errors", "outcome", "sent", "reason", "none")
            .functionCounter()
            .count()).isEqualTo(2);
        assertThat(registry.get("cloudwatch.logging.events")
            .tags("route", "main", "outcome", "sent", "reason", "none")
            .functionCounter()
            .count()).isEqualTo(shipping.statistics().sent());
        context.close();

        assertThat(routeTestMessages("/routes/app", "app")).containsExactlyInAnyOrder("route-test order placed",
                "route-test archive ran", "route-test payment failed", "route-test order lost");
        assertThat(routeTestMessages("/routes/errors", "app")).containsExactlyInAnyOrder("route-test payment failed",
                "route-test order lost");
        assertThat(routeTestMessages("/routes/app", "orders")).containsExactlyInAnyOrder("route-test order placed",
                "route-test order lost");
    }

    @Test
    void aRouteToTheMainStreamOrNamedMainIsRefusedAtStartUp(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application(RoutedApplication.class, WebApplicationType.NONE)
            .run(args("--logging.cloudwatch.routes.same.level=error", "--logging.cloudwatch.routes.main.log-stream=x")));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("logging.cloudwatch.routes.same: the route leads to /routes/app/app")
            .contains("logging.cloudwatch.routes.main: 'main' names the main destination");
    }

    @Test
    void anInvalidRouteGroupIsNamedByItsProperty(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application(RoutedApplication.class, WebApplicationType.NONE)
            .run(args("--logging.cloudwatch.routes.errors.log-group=aws/reserved")));
        assertThat(output).contains("logging.cloudwatch.routes.errors.log-group:");
    }

    private static Set<Thread> shipperThreads() {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter((thread) -> thread instanceof ShipperThread && thread.isAlive())
            .collect(Collectors.toCollection(HashSet::new));
    }

    private static long sent(ShipperStatistics statistics) {
        return (statistics != null) ? statistics.sent() : -1;
    }

    private String[] args(String... more) {
        List<String> args = new ArrayList<>(List.of("--logging.cloudwatch.log-group=/routes/app",
                "--logging.cloudwatch.log-stream=app", "--logging.cloudwatch.region=us-east-1",
                "--logging.cloudwatch.endpoint=" + this.moto.endpoint(), "--logging.cloudwatch.batch-delay=100ms",
                "--spring.main.banner-mode=off"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private List<String> routeTestMessages(String group, String stream) {
        return this.moto.messages(group, stream)
            .stream()
            .filter((message) -> message.contains("route-test"))
            .map((message) -> message.substring(message.indexOf("route-test")).strip())
            .toList();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class RoutedApplication {

        @Bean
        SimpleMeterRegistry simpleMeterRegistry() {
            return new SimpleMeterRegistry();
        }

    }

}
