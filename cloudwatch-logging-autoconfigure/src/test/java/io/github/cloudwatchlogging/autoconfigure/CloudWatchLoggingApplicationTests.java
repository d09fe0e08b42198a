package io.github.cloudwatchlogging.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import io.github.cloudwatchlogging.logback.CloudWatchLogsAppender;
import io.github.cloudwatchlogging.logback.ShipperAppender;
import io.github.cloudwatchlogging.shipping.DropReason;
import io.github.cloudwatchlogging.shipping.ShipperStatistics;
import io.github.cloudwatchlogging.testsupport.MotoServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextRefreshedEvent;

import static io.github.cloudwatchlogging.testsupport.RunningApps.application;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** Real SpringApplication runs (the listener comes from spring.factories) against the moto server. */
@ExtendWith(OutputCaptureExtension.class)
class CloudWatchLoggingApplicationTests {

    private final MotoServer moto = MotoServer.get();

    @BeforeEach
    void resetMoto() {
        this.moto.reset();
    }

    private String[] properties(String group, String... more) {
        List<String> args = new ArrayList<>(List.of("--logging.cloudwatch.log-group=" + group,
                "--logging.cloudwatch.log-stream=app", "--logging.cloudwatch.region=us-east-1",
                "--logging.cloudwatch.batch-delay=100ms", "--spring.main.banner-mode=off"));
        if (java.util.Arrays.stream(more).noneMatch((arg) -> arg.startsWith("--logging.cloudwatch.endpoint="))) {
            args.add("--logging.cloudwatch.endpoint=" + this.moto.endpoint());
        }
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private List<String> readAll(String group) {
        return this.moto.messages(group, "app");
    }

    private static long cloudWatchAppenders() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        long count = 0;
        for (Logger logger : context.getLoggerList()) {
            Iterator<Appender<ILoggingEvent>> appenders = logger.iteratorForAppenders();
            while (appenders.hasNext()) {
                Appender<ILoggingEvent> appender = appenders.next();
                if (appender instanceof ShipperAppender || appender instanceof CloudWatchLogsAppender) {
                    count++;
                }
            }
        }
        return count;
    }

    private static String get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    @Test
    void shipsStartupAndApplicationLinesServesTheEndpointAndDeliversAllAtClose() throws Exception {
        ConfigurableApplicationContext context = application(TestApplication.class, WebApplicationType.SERVLET)
            .run(properties("/it/web", "--server.port=0", "--server.address=127.0.0.1",
                    "--management.endpoints.web.exposure.include=health,cloudwatchlogging",
                    "--spring.application.name=web-it"));
        int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        LoggerFactory.getLogger("com.example.Orders").info("order 1 placed");
        String json = get(port, "/actuator/cloudwatchlogging");
        assertThat(json).contains("\"logGroup\":\"/it/web\"", "\"state\":\"RUNNING\"", "\"capacityBytes\":33554432")
            .doesNotContain("secret");
        assertThat(cloudWatchAppenders()).isEqualTo(1);
        context.close();

        List<String> messages = readAll("/it/web");
        assertThat(messages).anyMatch((m) -> m.contains(" : Starting ") && m.contains("using Java"));
        assertThat(messages).anyMatch((m) -> m.contains("Started") && m.contains("seconds"));
        assertThat(messages).anyMatch((m) -> m.contains("com.example.Orders") && m.contains("order 1 placed"));
        assertThat(messages).filteredOn((m) -> m.contains("order 1 placed")).hasSize(1);
        assertThat(CloudWatchLoggingInstallation.current()).isNull();
        assertThat(cloudWatchAppenders()).isZero();
    }

    @Test
    void aStartupThatFailsStillShipsItsError() {
        assertThatException()
            .isThrownBy(() -> application(FailingApplication.class, WebApplicationType.NONE).run(properties("/it/failed")));
        CloudWatchLoggingInstallation installation = CloudWatchLoggingInstallation.current();
        assertThat(installation).as("buffering since start-up, sending since the failure").isNotNull();
        installation.stop(); // what the JVM shutdown hook does when the failed application exits
        List<String> messages = readAll("/it/failed");
        assertThat(messages).anyMatch((m) -> m.contains("Starting"));
        assertThat(messages).anyMatch((m) -> m.contains("Application run failed") && m.contains("boom at start-up"));
    }

    @Test
    void invalidPropertiesStopTheStartupWithAnExplanation(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application(TestApplication.class, WebApplicationType.NONE)
            .run(properties("/it/invalid", "--logging.cloudwatch.retention=2")));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("logging.cloudwatch.retention: retention of 2 days")
            .contains("logging.cloudwatch.enabled=false");
        assertThat(CloudWatchLoggingInstallation.current()).isNull();
    }

    @Test
    void aLoggingReinitializationLosesNothingQueuedAndAddsNoSecondAppender() {
        ConfigurableApplicationContext context = application(TestApplication.class, WebApplicationType.NONE)
            .run(properties("/it/reinit"));
        org.slf4j.Logger logger = LoggerFactory.getLogger("com.example.Reinit");
        logger.info("before re-initialization");
        // What Spring Cloud's PropertySourceBootstrapConfiguration does when logging.* properties are present.
        LoggingSystem system = LoggingSystem.get(getClass().getClassLoader());
        system.cleanUp();
        system.beforeInitialize();
        system.initialize(new LoggingInitializationContext(context.getEnvironment()), null, null);
        context.publishEvent(new ContextRefreshedEvent(context));
        context.publishEvent(new ContextRefreshedEvent(context));
        assertThat(cloudWatchAppenders()).isEqualTo(1);
        logger.info("after re-initialization");
        context.close();
        List<String> messages = readAll("/it/reinit");
        assertThat(messages).filteredOn((m) -> m.contains("before re-initialization")).hasSize(1);
        assertThat(messages).filteredOn((m) -> m.contains("after re-initialization")).hasSize(1);
    }

    @Test
    void anUnreachableEndpointLeavesTheApplicationServingAndTheEndpointNamesTheProblem(CapturedOutput output)
            throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ConfigurableApplicationContext context = application(TestApplication.class, WebApplicationType.SERVLET)
            .run(properties("/it/unreachable", "--logging.cloudwatch.endpoint=http://127.0.0.1:" + closedPort,
                    "--logging.cloudwatch.request-timeout=1s", "--logging.cloudwatch.shutdown-timeout=1s",
                    "--logging.cloudwatch.queue-capacity=2MB", "--server.port=0", "--server.address=127.0.0.1",
                    "--management.endpoints.web.exposure.include=health,cloudwatchlogging"));
        int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        org.slf4j.Logger logger = LoggerFactory.getLogger("com.example.Unreachable");
        for (int i = 0; i < 20_000; i++) {
            logger.info("line {} {}", i, "x".repeat(100));
        }
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(10))
            .until(() -> get(port, "/actuator/cloudwatchlogging").contains("\"lastFailure\":{"));
        String json = get(port, "/actuator/cloudwatchlogging");
        assertThat(json).contains("\"flushFailures\":", "\"type\":\"SdkClientException\"", "Unable to execute HTTP request")
            .containsPattern("\"EVICTED\":[1-9]");
        assertThat(get(port, "/actuator/health")).contains("UP");
        long queuedBytes = Long.parseLong(json.replaceAll(".*\"queue\":\\{\"events\":\\d+,\"bytes\":(\\d+).*", "$1"));
        assertThat(queuedBytes).isLessThanOrEqualTo(2L * 1024 * 1024);
        assertThat(output).contains("line 19999"); // the console is unaffected
        CloudWatchLogShipping shipping = context.getBean(CloudWatchLogShipping.class);
        long closing = System.nanoTime();
        context.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);
        ShipperStatistics last = shipping.statistics();
        long undelivered = last.dropped().get(DropReason.SHUTDOWN_TIMEOUT);
        assertThat(undelivered).isPositive();
        // The exact number the books hold, not merely a message: nothing queued is left uncounted.
        String report = "cloudwatch-logging: " + undelivered
                + " log events could not be delivered to /it/unreachable/app because the shutdown timeout of PT1S ran out";
        assertThat(output.getErr()).contains(report);
        assertThat(output.getErr().split(java.util.regex.Pattern.quote(report), -1)).as("printed once").hasSize(2);
        assertThat(last.queuedEvents()).isZero();
        assertThat(last.unaccounted()).isZero();
        // A bound on correctness (shutdown-timeout of 1 s, with room for Tomcat and the context), not a speed figure.
        assertThat(closeMillis).isLessThan(10_000);
    }

    @Test
    void debugEverywhereIncludingTheSdkTheHttpClientAndTheStarterMakesNoFeedbackLoop(CapturedOutput output)
            throws Exception {
        ConfigurableApplicationContext context = application(TestApplication.class, WebApplicationType.NONE)
            .run(properties("/it/debug", "--logging.level.root=DEBUG", "--logging.level.software.amazon.awssdk=DEBUG",
                    "--logging.level.org.apache.http=DEBUG", "--logging.level.io.github.cloudwatchlogging=DEBUG",
                    "--logging.cloudwatch.level=DEBUG", "--logging.cloudwatch.queue-capacity=4MB"));
        CloudWatchLogShipping shipping = context.getBean(CloudWatchLogShipping.class);
        org.slf4j.Logger logger = LoggerFactory.getLogger("com.example.Debug");
        for (int i = 0; i < 200; i++) {
            logger.debug("app debug line {}", i);
        }
        assertThat(shipping.flush(java.time.Duration.ofSeconds(10)).completed()).isTrue();
        // Idle now: if shipping logged anything that was shipped in turn, the count would keep rising.
        long loggedBefore = shipping.statistics().logged();
        Thread.sleep(3_000);
        assertThat(shipping.flush(java.time.Duration.ofSeconds(10)).completed()).isTrue();
        long loggedAfter = shipping.statistics().logged();
        assertThat(loggedAfter - loggedBefore).as("events logged while the app was idle").isLessThan(5);
        assertThat(shipping.statistics().queuedBytes()).isLessThanOrEqualTo(4L * 1024 * 1024);
        // The SDK and the HTTP client did log at DEBUG (on the console), and none of it was shipped.
        assertThat(output.getOut()).contains("software.amazon.awssdk").contains("org.apache.http");
        java.util.concurrent.CompletableFuture.runAsync(context::close)
            .get(30, java.util.concurrent.TimeUnit.SECONDS); // no deadlock at close
        List<String> messages = readAll("/it/debug");
        assertThat(messages).filteredOn((m) -> m.contains("app debug line")).hasSize(200);
        // The logger column of Boot's pattern: "... --- [thread] logger.name : message".
        java.util.regex.Pattern loggerColumn = java.util.regex.Pattern.compile("\\] (\\S+)\\s+: ");
        List<String> shippedLoggers = messages.stream()
            .map(loggerColumn::matcher)
            .filter(java.util.regex.Matcher::find)
            .map((matcher) -> matcher.group(1))
            .toList();
        assertThat(shippedLoggers).hasSizeGreaterThan(200)
            .noneMatch((name) -> name.startsWith("software.amazon.awssdk") || name.startsWith("org.apache.http")
                    || name.startsWith("org.apache.hc") || name.startsWith("io.github.cloudwatchlogging"));
    }

    @Test
    void twoContextsInOneJvmShareTheShipperUntilTheLastOneCloses() {
        // Spring's test context cache, parent and child contexts, a bootstrap context: several contexts, one JVM.
        ConfigurableApplicationContext first = application(TestApplication.class, WebApplicationType.NONE)
            .run(properties("/it/two-contexts"));
        ConfigurableApplicationContext second = application(TestApplication.class, WebApplicationType.NONE)
            .run(properties("/it/two-contexts"));
        first.close();
        // Before: the first context to close stopped shipping for all; this was counted NOT_RUNNING.
        LoggerFactory.getLogger("com.example.Second").info("logged after the first context closed");
        CloudWatchLogShipping shipping = second.getBean(CloudWatchLogShipping.class);
        assertThat(shipping.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(shipping.statistics().dropped()).containsEntry(DropReason.NOT_RUNNING, 0L);
        assertThat(CloudWatchLoggingInstallation.current()).isNotNull();
        second.close();
        assertThat(CloudWatchLoggingInstallation.current()).isNull();
        assertThat(readAll("/it/two-contexts")).filteredOn((m) -> m.contains("logged after the first context closed"))
            .hasSize(1);
    }

    @Test
    void aContextThatStartsWhileTheOnlyOtherOneClosesKeepsTheShipperFromItsFirstLine() {
        ConfigurableApplicationContext first = application(TestApplication.class, WebApplicationType.NONE)
            .run(properties("/it/overlap"));
        ClosesTheOther.other = first;
        // The second context counts as a user from its first line on, not only once its bean exists: closing the
        // first one in the middle of its start-up must not stop the shipper under it.
        ConfigurableApplicationContext second = application(ClosesTheOtherApplication.class, WebApplicationType.NONE)
            .run(properties("/it/overlap"));
        CloudWatchLogShipping shipping = second.getBean(CloudWatchLogShipping.class);
        assertThat(shipping.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(shipping.statistics().dropped()).containsEntry(DropReason.NOT_RUNNING, 0L);
        second.close();
        assertThat(readAll("/it/overlap")).filteredOn((m) -> m.contains("logged after the first context closed"))
            .hasSize(1);
    }

    @Test
    void aChildContextSharingItsParentsEnvironmentDoesNotStopTheParentsShipping() {
        ConfigurableApplicationContext parent = application(TestApplication.class, WebApplicationType.NONE)
            .run(properties("/it/shared-environment"));
        // A child without the starter's bean (it finds the parent's), built on the parent's own Environment.
        ConfigurableApplicationContext child = new SpringApplicationBuilder(PlainChild.class).parent(parent)
            .environment(parent.getEnvironment())
            .web(WebApplicationType.NONE)
            .run();
        child.close();
        LoggerFactory.getLogger("com.example.Parent").info("logged after the child closed");
        CloudWatchLogShipping shipping = parent.getBean(CloudWatchLogShipping.class);
        assertThat(shipping.flush(Duration.ofSeconds(10)).completed()).isTrue();
        parent.close();
        assertThat(readAll("/it/shared-environment")).filteredOn((m) -> m.contains("logged after the child closed"))
            .hasSize(1);
    }

    @Test
    void anAppenderDeclaredInLogbackSpringXmlIsTheOnlyOne() {
        ConfigurableApplicationContext context = application(TestApplication.class, WebApplicationType.NONE)
            .run(properties("/it/declared", "--logging.config=classpath:logback-user-declared.xml"));
        LoggerFactory.getLogger("com.example.Declared").info("through the declared appender");
        assertThat(cloudWatchAppenders()).isEqualTo(1);
        assertThat(context.getBean(CloudWatchLogShipping.class).isInstalled()).isFalse();
        assertThat(CloudWatchLoggingInstallation.current()).isNull();
        context.close();
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop(); // what Boot's shutdown hook does at exit
        assertThat(readAll("/it/declared")).filteredOn((m) -> m.contains("through the declared appender")).hasSize(1);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TestApplication {

    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class PlainChild {

    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @org.springframework.context.annotation.Import(ClosesTheOther.class)
    static class ClosesTheOtherApplication {

    }

    /** Closes another context while this one is being built, before this one's CloudWatchLogShipping exists. */
    static class ClosesTheOther {

        static ConfigurableApplicationContext other;

        ClosesTheOther() {
            other.close();
            LoggerFactory.getLogger("com.example.Overlap").info("logged after the first context closed");
        }

    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class FailingApplication {

        @Bean
        String failing() {
            throw new IllegalStateException("boom at start-up");
        }

    }

}
