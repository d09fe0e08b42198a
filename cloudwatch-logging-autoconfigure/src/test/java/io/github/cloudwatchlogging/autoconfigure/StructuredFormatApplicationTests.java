package io.github.cloudwatchlogging.autoconfigure;

import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.jayway.jsonpath.JsonPath;
import io.github.cloudwatchlogging.testsupport.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.logging.structured.StructuredLogFormatter;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.cloudwatchlogging.testsupport.RunningApps.application;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Boot's structured formats, read back from the moto server: the JSON in CloudWatch is the JSON the application
 * writes to its console, MDC and exceptions included.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredFormatApplicationTests {

    private final MotoServer moto = MotoServer.get();

    private final java.util.Set<Object> systemPropertiesBefore = new java.util.HashSet<>(
            System.getProperties().keySet());

    @BeforeEach
    void resetMoto() {
        this.moto.reset();
    }

    /**
     * Boot publishes the console's structured format as a system property (CONSOLE_LOG_STRUCTURED_FORMAT) that
     * outlives the application; left behind, it would turn the console of every later test in this JVM into JSON.
     */
    @AfterEach
    void forgetSystemPropertiesBootSet() {
        System.getProperties().keySet().removeIf((key) -> !this.systemPropertiesBefore.contains(key));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "ecs", "logstash", "gelf" })
    void theJsonInCloudWatchIsTheJsonOnTheConsole(String format, CapturedOutput output) {
        String group = "/structured/" + format;
        ConfigurableApplicationContext context = application(StructuredApplication.class, WebApplicationType.NONE)
            .run("--logging.cloudwatch.log-group=" + group, "--logging.cloudwatch.log-stream=s",
                    "--logging.cloudwatch.region=us-east-1", "--logging.cloudwatch.endpoint=" + this.moto.endpoint(),
                    "--logging.cloudwatch.format=" + format, "--logging.structured.format.console=" + format,
                    "--spring.application.name=orders", "--spring.main.banner-mode=off");
        Logger logger = LoggerFactory.getLogger("com.example.Orders");
        MDC.put("orderId", "4711");
        try {
            logger.info("order placed " + format);
            logger.error("order failed " + format, new IllegalStateException("payment declined"));
        }
        finally {
            MDC.remove("orderId");
        }
        context.close(); // delivers what is queued

        List<String> messages = readAll(group);
        String placed = single(messages, "order placed " + format);
        String failed = single(messages, "order failed " + format);
        Map<String, Object> json = JsonPath.parse(placed).read("$");
        assertThat(json).as("one JSON object per event").isNotEmpty();
        assertThat(placed).doesNotEndWith("\n").contains("\"4711\"");
        assertThat(failed).contains("payment declined").contains("java.lang.IllegalStateException");
        assertThat((Map<String, Object>) JsonPath.parse(failed).read("$")).isNotEmpty();
        assertThat(consoleLine(output, "order placed " + format)).isEqualTo(placed);
        assertThat(consoleLine(output, "order failed " + format)).isEqualTo(failed);
    }

    @Test
    void ecsFieldsCanBeQueriedByName() {
        String message = shipStockLow("/structured/fields", "--logging.cloudwatch.format=ecs",
                "--logging.structured.ecs.service.name=orders-service");
        assertThat((String) JsonPath.read(message, "$.message")).isEqualTo("stock low");
        assertThat((String) JsonPath.read(message, "$.orderId")).isEqualTo("4711");
        assertThat((String) JsonPath.read(message, "$.service.name")).isEqualTo("orders-service");
        assertThat(message).contains("\"WARN\"").contains("com.example.Orders");
    }

    @Test
    void aFormatterClassOfTheApplicationsOwnIsUsed() {
        assertThat(shipStockLow("/structured/own", "--logging.cloudwatch.format=" + OrderLineFormatter.class.getName()))
            .isEqualTo("{\"level\":\"WARN\",\"order\":\"4711\",\"text\":\"stock low\"}");
    }

    /**
     * Runs the application with these settings, logs "stock low" at WARN with orderId 4711 in the MDC, closes it
     * (which delivers what is queued), and returns that event's message as CloudWatch holds it.
     */
    private String shipStockLow(String group, String... settings) {
        List<String> args = new java.util.ArrayList<>(List.of("--logging.cloudwatch.log-group=" + group,
                "--logging.cloudwatch.log-stream=s", "--logging.cloudwatch.region=us-east-1",
                "--logging.cloudwatch.endpoint=" + this.moto.endpoint(), "--spring.main.banner-mode=off"));
        args.addAll(List.of(settings));
        ConfigurableApplicationContext context = application(StructuredApplication.class, WebApplicationType.NONE)
            .run(args.toArray(String[]::new));
        MDC.put("orderId", "4711");
        try {
            LoggerFactory.getLogger("com.example.Orders").warn("stock low");
        }
        finally {
            MDC.remove("orderId");
        }
        context.close();
        return single(readAll(group), "stock low");
    }

    @Test
    void anUnknownFormatStopsTheStartUpNamingTheProperty(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application(StructuredApplication.class, WebApplicationType.NONE)
            .run("--logging.cloudwatch.log-group=/structured/unknown", "--logging.cloudwatch.log-stream=s",
                    "--logging.cloudwatch.region=us-east-1", "--logging.cloudwatch.endpoint=" + this.moto.endpoint(),
                    "--logging.cloudwatch.format=yaml", "--spring.main.banner-mode=off"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("logging.cloudwatch.format: 'yaml' is not a format Spring Boot knows");
    }

    private static String single(List<String> messages, String marker) {
        List<String> matching = messages.stream().filter((message) -> message.contains(marker)).toList();
        assertThat(matching).as("events containing '%s'", marker).hasSize(1);
        return matching.get(0);
    }

    private static String consoleLine(CapturedOutput output, String marker) {
        return output.getOut().lines().filter((line) -> line.contains(marker)).findFirst().orElseThrow();
    }

    private List<String> readAll(String group) {
        return this.moto.messages(group, "s");
    }

    /** A formatter of the application's own, named by its class in {@code logging.cloudwatch.format}. */
    public static class OrderLineFormatter implements StructuredLogFormatter<ILoggingEvent> {

        @Override
        public String format(ILoggingEvent event) {
            return "{\"level\":\"" + event.getLevel() + "\",\"order\":\"" + event.getMDCPropertyMap().get("orderId")
                    + "\",\"text\":\"" + event.getFormattedMessage() + "\"}\n";
        }

    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class StructuredApplication {

    }

}
