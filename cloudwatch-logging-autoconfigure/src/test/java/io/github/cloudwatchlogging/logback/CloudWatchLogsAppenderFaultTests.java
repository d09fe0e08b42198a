package io.github.cloudwatchlogging.logback;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.github.cloudwatchlogging.shipping.ShipperStatistics;
import io.github.cloudwatchlogging.testsupport.LogbackContexts;
import io.github.cloudwatchlogging.testsupport.ServiceErrors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults from WireMock standing in for CloudWatch Logs. After each, the request journal must show every event in
 * exactly one request that was answered 200 in time; the only duplicates allowed are those of a request whose
 * answer came after the client's timeout, which no client can tell apart from a lost request.
 */
class CloudWatchLogsAppenderFaultTests {

    private static final String PUT_LOG_EVENTS = "Logs_20140328.PutLogEvents";

    private static final Pattern ID = Pattern.compile("\"message\":\"id-(\\d+)\\|");

    private final FaultInjector faults = new FaultInjector();

    private WireMockServer server;

    private LoggerContext context;

    @BeforeEach
    void startServer() {
        this.server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().extensions(this.faults));
        this.server.start();
        this.server.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)
            .withHeader("Content-Type", "application/x-amz-json-1.1")
            .withBody("{}")));
    }

    @AfterEach
    void stopServer() {
        if (this.context != null) {
            this.context.stop();
        }
        this.server.stop();
    }

    private CloudWatchLogsAppender start(Duration requestTimeout) {
        CloudWatchLogsAppender appender = new CloudWatchLogsAppender();
        appender.setName("CLOUDWATCH");
        appender.setLogGroup("/test/faults");
        appender.setLogStream("stream");
        appender.setRegion("us-east-1");
        appender.setEndpoint(this.server.baseUrl());
        appender.setMaxBatchEvents(100);
        appender.setBatchDelay("100ms");
        appender.setRequestTimeout(requestTimeout.toMillis() + "ms");
        appender.setShutdownTimeout("60s");
        appender.setLayout(LogbackContexts.messageOnlyLayout());
        this.context = LogbackContexts.withAppender(appender);
        return appender;
    }

    private static void log(Logger logger, int from, int to) {
        for (int i = from; i < to; i++) {
            logger.info("id-" + i + "|payload " + "x".repeat(i % 50));
        }
    }

    @Test
    void thirtyPercentThrottling() {
        Random random = new Random(42);
        this.faults.plan = (request) -> (random.nextInt(100) < 30) ? throttled() : null;
        CloudWatchLogsAppender appender = start(Duration.ofSeconds(5));
        log(this.context.getLogger("app"), 0, 3_000);
        this.context.stop();
        assertExactlyOnce(3_000, Duration.ofSeconds(5));
        ShipperStatistics stats = appender.getStatistics();
        assertThat(stats.retries()).isPositive();
        assertThat(stats.lastFailureType()).isEqualTo("ThrottlingException");
        assertThat(stats.sent()).isEqualTo(3_000);
    }

    @Test
    void tenSecondWindowOf503s() throws InterruptedException {
        AtomicLong windowStart = new AtomicLong();
        this.faults.plan = (request) -> {
            windowStart.compareAndSet(0, System.nanoTime());
            boolean inWindow = System.nanoTime() - windowStart.get() < Duration.ofSeconds(10).toNanos();
            return inWindow ? unavailable() : null;
        };
        CloudWatchLogsAppender appender = start(Duration.ofSeconds(5));
        Logger logger = this.context.getLogger("app");
        for (int step = 0; step < 24; step++) {
            log(logger, step * 50, step * 50 + 50);
            Thread.sleep(500); // a steady trickle of events through and past the outage
        }
        this.context.stop();
        assertExactlyOnce(24 * 50, Duration.ofSeconds(5));
        assertThat(appender.getStatistics().failedRequests()).isPositive();
        assertThat(appender.getStatistics().lastFailureType()).isEqualTo("ServiceUnavailableException");
    }

    @Test
    void connectionResets() {
        this.faults.plan = (request) -> (request % 3 == 0)
                ? ResponseDefinitionBuilder.responseDefinition().withFault(Fault.CONNECTION_RESET_BY_PEER).build() : null;
        CloudWatchLogsAppender appender = start(Duration.ofSeconds(5));
        log(this.context.getLogger("app"), 0, 2_000);
        this.context.stop();
        assertExactlyOnce(2_000, Duration.ofSeconds(5));
        assertThat(appender.getStatistics().failedRequests()).isPositive();
    }

    @Test
    void slowAnswersWithinTheTimeoutCauseNoDuplicate() {
        this.faults.plan = (request) -> (request % 2 == 0) ? ok(400) : null;
        CloudWatchLogsAppender appender = start(Duration.ofSeconds(3));
        log(this.context.getLogger("app"), 0, 1_000);
        this.context.stop();
        assertExactlyOnce(1_000, Duration.ofSeconds(3));
        assertThat(appender.getStatistics().failedRequests()).isZero();
    }

    @Test
    void answersSlowerThanTheTimeoutAreRetriedAndOnlyTheyMayDuplicate() {
        this.faults.plan = (request) -> (request <= 3) ? ok(1_500) : null;
        CloudWatchLogsAppender appender = start(Duration.ofMillis(700));
        log(this.context.getLogger("app"), 0, 1_000);
        this.context.stop();
        assertExactlyOnce(1_000, Duration.ofMillis(700));
        assertThat(appender.getStatistics().lastFailureType()).contains("Timeout");
    }

    /**
     * Reads the journal: every id in exactly one request answered 200 within the timeout, plus at most one more
     * for each request answered 200 after it (accepted, but the client never heard).
     */
    private void assertExactlyOnce(int events, Duration timeout) {
        Map<Integer, Integer> acceptedInTime = new HashMap<>();
        Set<Integer> answeredTooLate = new HashSet<>();
        List<ServeEvent> journal = this.server.getAllServeEvents();
        int putRequests = 0;
        for (ServeEvent serve : journal) {
            if (!PUT_LOG_EVENTS.equals(serve.getRequest().getHeader("X-Amz-Target"))) {
                continue;
            }
            putRequests++;
            ResponseDefinition response = serve.getResponseDefinition();
            boolean ok = response.getStatus() == 200 && response.getFault() == null;
            Integer delay = response.getFixedDelayMilliseconds();
            boolean late = delay != null && delay >= timeout.toMillis();
            Matcher matcher = ID.matcher(serve.getRequest().getBodyAsString());
            while (matcher.find()) {
                int id = Integer.parseInt(matcher.group(1));
                if (ok && !late) {
                    acceptedInTime.merge(id, 1, Integer::sum);
                }
                else if (ok) {
                    answeredTooLate.add(id);
                }
            }
        }
        assertThat(putRequests).isPositive();
        for (int id = 0; id < events; id++) {
            assertThat(acceptedInTime.getOrDefault(id, 0)).as("requests that accepted id-%d in time", id).isEqualTo(1);
        }
        assertThat(acceptedInTime).hasSize(events);
        // Ids whose only extra copy sits in a request answered too late are the unavoidable duplicates.
        assertThat(answeredTooLate).allSatisfy((id) -> assertThat(id).isBetween(0, events - 1));
    }

    private static ResponseDefinition throttled() {
        return error(400, "ThrottlingException", "Rate exceeded");
    }

    private static ResponseDefinition unavailable() {
        return error(503, "ServiceUnavailableException", "down");
    }

    private static ResponseDefinition error(int status, String type, String message) {
        return ServiceErrors.error(status, type, message).build();
    }

    private static ResponseDefinition ok(int delayMillis) {
        return ResponseDefinitionBuilder.responseDefinition()
            .withStatus(200)
            .withHeader("Content-Type", "application/x-amz-json-1.1")
            .withBody("{}")
            .withFixedDelay(delayMillis)
            .build();
    }

    /** Decides, per PutLogEvents request (numbered from 1), whether to answer with a fault instead of the stub. */
    static final class FaultInjector implements ResponseDefinitionTransformerV2 {

        volatile IntFunction<ResponseDefinition> plan = (request) -> null;

        private final AtomicInteger requests = new AtomicInteger();

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            if (!PUT_LOG_EVENTS.equals(serveEvent.getRequest().getHeader("X-Amz-Target"))) {
                return serveEvent.getResponseDefinition();
            }
            ResponseDefinition fault = this.plan.apply(this.requests.incrementAndGet());
            return (fault != null) ? fault : serveEvent.getResponseDefinition();
        }

        @Override
        public String getName() {
            return "fault-injector";
        }

    }

}
