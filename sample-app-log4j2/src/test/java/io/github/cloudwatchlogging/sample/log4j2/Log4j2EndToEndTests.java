package io.github.cloudwatchlogging.sample.log4j2;

import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.github.cloudwatchlogging.testsupport.MotoServer;
import io.github.cloudwatchlogging.testsupport.RunningApps;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.ThreadContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.logging.log4j2.Log4J2LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.cloudwatchlogging.testsupport.RunningApps.application;
import static io.github.cloudwatchlogging.testsupport.RunningApps.port;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample on spring-boot-starter-log4j2, against the moto server: the same starter, properties and endpoint
 * ship Log4j2's events through the same core.
 */
class Log4j2EndToEndTests {

    private final MotoServer moto = MotoServer.get();

    @BeforeEach
    void resetMoto() {
        this.moto.reset();
    }

    @Test
    void log4j2EventsReachCloudWatchAndTheEndpointShowsThem() {
        ConfigurableApplicationContext context = run("--logging.cloudwatch.log-stream=pattern");
        assertThat(LoggingSystem.get(getClass().getClassLoader())).isInstanceOf(Log4J2LoggingSystem.class);
        assertThat(LogManager.getContext(false)).isInstanceOf(org.apache.logging.log4j.core.LoggerContext.class);
        int port = port(context);
        assertThat(get(port, "/orders/42")).isEqualTo("order 42");
        assertThat(get(port, "/orders/abc")).isEqualTo("order abc");
        String status = get(port, "/actuator/cloudwatchlogging");
        assertThat((String) JsonPath.read(status, "$.state")).isEqualTo("RUNNING");
        assertThat((String) JsonPath.read(status, "$.logGroup")).isEqualTo("/sample/orders-log4j2");
        assertThat((Integer) JsonPath.read(status, "$.events.logged")).isPositive();
        assertThat(get(port, "/actuator/health")).contains("\"status\":\"UP\"");
        context.close();

        List<String> messages = readAll("pattern");
        assertThat(messages).anyMatch((message) -> message.contains("Tomcat started on port"))
            .anyMatch((message) -> message.contains("Looking up order 42"))
            .anyMatch((message) -> message.contains("Order id abc is not a number")
                    && message.contains("java.lang.NumberFormatException"))
            .noneMatch((message) -> message.contains("software.amazon.awssdk"));
    }

    @Test
    void structuredJsonThroughBootsLog4j2Layout() {
        ConfigurableApplicationContext context = run("--logging.cloudwatch.log-stream=ecs",
                "--logging.cloudwatch.format=ecs");
        get(port(context), "/orders/abc");
        LoggerFactory.getLogger("com.example.Direct").info("plain line");
        context.close();

        List<String> messages = readAll("ecs");
        String warning = messages.stream()
            .filter((message) -> message.contains("Order id abc is not a number"))
            .findFirst()
            .orElseThrow();
        assertThat(warning).doesNotEndWith("\n");
        assertThat((String) JsonPath.read(warning, "$.message")).isEqualTo("Order id abc is not a number");
        assertThat((String) JsonPath.read(warning, "$.orderId")).isEqualTo("abc");
        assertThat(warning).contains("NumberFormatException");
        assertThat(messages).anyMatch((message) -> message.contains("\"plain line\""));
    }

    /** {mdc:KEY} reads Log4j2's context data (ThreadContext), and {level} its level. */
    @Test
    void aStreamPerTenantFromTheThreadContext() {
        ConfigurableApplicationContext context = run("--logging.cloudwatch.log-stream=tenants/{mdc:tenant:-shared}/{level}");
        org.apache.logging.log4j.Logger logger = LogManager.getLogger("com.example.Tenants");
        ThreadContext.put("tenant", "acme");
        logger.info("for acme");
        ThreadContext.put("tenant", "globex");
        logger.error("for globex");
        ThreadContext.remove("tenant");
        logger.warn("for nobody");
        context.close();

        assertThat(readAll("tenants/acme/INFO")).singleElement().asString().contains(": for acme");
        assertThat(readAll("tenants/globex/ERROR")).singleElement().asString().contains(": for globex");
        assertThat(readAll("tenants/shared/WARN")).anyMatch((message) -> message.contains(": for nobody"))
            .noneMatch((message) -> message.contains("for acme") || message.contains("for globex"));
    }

    private ConfigurableApplicationContext run(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--logging.cloudwatch.region=us-east-1", "--logging.cloudwatch.endpoint=" + this.moto.endpoint(),
                "--logging.cloudwatch.batch-delay=100ms"));
        args.addAll(List.of(more));
        return application(SampleLog4j2Application.class, WebApplicationType.SERVLET).run(args.toArray(String[]::new));
    }

    private static String get(int port, String path) {
        return RunningApps.get(port, path).body();
    }

    private List<String> readAll(String stream) {
        return this.moto.messages("/sample/orders-log4j2", stream);
    }

}
