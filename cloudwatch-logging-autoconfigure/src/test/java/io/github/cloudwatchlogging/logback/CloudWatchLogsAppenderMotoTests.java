package io.github.cloudwatchlogging.logback;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.github.cloudwatchlogging.shipping.ShipperStatistics;
import io.github.cloudwatchlogging.testsupport.LogbackContexts;
import io.github.cloudwatchlogging.testsupport.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** End to end against a real CloudWatch Logs emulator: the moto server. */
class CloudWatchLogsAppenderMotoTests {

    private static final Pattern ID = Pattern.compile("t(\\d+)-(\\d+)\\|");

    private final MotoServer moto = MotoServer.get();

    private CloudWatchLogsClient reader;

    private LoggerContext context;

    @BeforeEach
    void resetMoto() {
        this.moto.reset();
        this.reader = this.moto.client();
    }

    @AfterEach
    void close() {
        if (this.context != null) {
            this.context.stop();
        }
        this.reader.close();
    }

    private CloudWatchLogsAppender appender(String stream) {
        CloudWatchLogsAppender appender = new CloudWatchLogsAppender();
        appender.setName("CLOUDWATCH");
        appender.setLogGroup("/test/moto");
        appender.setLogStream(stream);
        appender.setRegion("us-east-1");
        appender.setEndpoint(this.moto.endpoint().toString());
        appender.setMaxBatchEvents(500);
        appender.setBatchDelay("200ms");
        appender.setLayout(LogbackContexts.messageOnlyLayout());
        return appender;
    }

    private void start(CloudWatchLogsAppender appender) {
        this.context = LogbackContexts.withAppender(appender);
    }

    /** Every event in the stream, oldest first, paging forward until the emulator returns an empty page. */
    private List<OutputLogEvent> readAll(String stream) {
        List<OutputLogEvent> events = new ArrayList<>();
        String token = null;
        while (true) {
            String current = token;
            GetLogEventsResponse page = this.reader.getLogEvents((request) -> request.logGroupName("/test/moto")
                .logStreamName(stream)
                .startFromHead(true)
                .nextToken(current));
            if (page.events().isEmpty()) {
                return events;
            }
            events.addAll(page.events());
            token = page.nextForwardToken();
        }
    }

    /** A message whose bytes depend on the thread and the index, some with multi-byte characters. */
    private static String message(int thread, int index) {
        String body = (index % 7 == 0) ? "\u00e9\u20ac\uD83D\uDE00" : "plain";
        return "t" + thread + "-" + index + "|" + body.repeat(1 + index % 13);
    }

    @Test
    void shipsEveryEventFromSeveralThreadsExactlyOnceAndInOrder() throws Exception {
        CloudWatchLogsAppender appender = appender("several-threads");
        start(appender);
        Logger logger = this.context.getLogger("com.example.Orders");
        int threads = 4;
        int perThread = 2_500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            pool.execute(() -> {
                awaitQuietly(go);
                for (int i = 0; i < perThread; i++) {
                    logger.info(message(thread, i));
                }
            });
        }
        go.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        this.context.stop(); // stop() returns once the last event was accepted
        ShipperStatistics stats = appender.getStatistics();
        assertThat(stats.sent()).isEqualTo(threads * perThread);
        assertThat(stats.droppedTotal()).isZero();

        List<OutputLogEvent> events = readAll("several-threads");
        assertThat(events).hasSize(threads * perThread);
        Map<Integer, long[]> lastSeen = new HashMap<>(); // thread -> {index, timestamp}
        Map<Integer, Integer> counts = new HashMap<>();
        long previousTimestamp = Long.MIN_VALUE;
        for (OutputLogEvent event : events) {
            assertThat(event.timestamp()).isGreaterThanOrEqualTo(previousTimestamp);
            previousTimestamp = event.timestamp();
            Matcher matcher = ID.matcher(event.message());
            assertThat(matcher.lookingAt()).as(event.message()).isTrue();
            int thread = Integer.parseInt(matcher.group(1));
            int index = Integer.parseInt(matcher.group(2));
            String expected = message(thread, index);
            assertThat(event.message()).isEqualTo(expected);
            assertThat(event.message().getBytes(StandardCharsets.UTF_8))
                .hasSize(expected.getBytes(StandardCharsets.UTF_8).length);
            counts.merge(thread, 1, Integer::sum);
            long[] last = lastSeen.get(thread);
            if (last != null && index < last[0]) {
                // The documented guarantee: a thread's events are in the order it logged them, except that events
                // of the same millisecond sent in different concurrent batches may land in either order.
                assertThat(event.timestamp()).as("t%d-%d came after t%d-%d", thread, index, thread, last[0])
                    .isEqualTo(last[1]);
            }
            lastSeen.put(thread, new long[] { index, event.timestamp() });
        }
        assertThat(counts).hasSize(threads).allSatisfy((thread, count) -> assertThat(count).isEqualTo(perThread));
        assertThat(events.stream().map(OutputLogEvent::message).distinct().count()).isEqualTo(threads * perThread);
    }

    @Test
    void aStreamNamedByTheMdcTakesEachTenantsEventsAndTheDefaultTheRest() {
        CloudWatchLogsAppender appender = appender("orders/{mdc:tenant:-shared}/{level}");
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter()); // a context of its own reads the MDC org.slf4j.MDC writes
        context.start();
        appender.setContext(context);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        this.context = context;
        Logger logger = context.getLogger("com.example.Orders");
        for (String tenant : List.of("acme", "globex")) {
            MDC.put("tenant", tenant);
            logger.info("placed for " + tenant);
            MDC.remove("tenant");
        }
        logger.warn("nobody's");
        appender.getShipper().flush(Duration.ofSeconds(10));
        assertThat(readAll("orders/acme/INFO")).extracting(OutputLogEvent::message).containsExactly("placed for acme");
        assertThat(readAll("orders/globex/INFO")).extracting(OutputLogEvent::message)
            .containsExactly("placed for globex");
        assertThat(readAll("orders/shared/WARN")).extracting(OutputLogEvent::message).containsExactly("nobody's");
        assertThat(appender.getStatistics().sent()).isEqualTo(3);
    }

    @Test
    void createsTheGroupWithItsRetentionAndTheStream() {
        CloudWatchLogsAppender appender = appender("created");
        appender.setRetentionDays(7);
        start(appender);
        this.context.getLogger("x").info("first");
        this.context.stop();
        assertThat(this.reader.describeLogGroups((r) -> r.logGroupNamePrefix("/test/moto")).logGroups())
            .singleElement()
            .satisfies((group) -> assertThat(group.retentionInDays()).isEqualTo(7));
        assertThat(readAll("created")).extracting(OutputLogEvent::message).containsExactly("first");
    }

    @Test
    void recreatesAStreamDeletedWhileRunningAndLosesNothing() {
        CloudWatchLogsAppender appender = appender("deleted");
        start(appender);
        Logger logger = this.context.getLogger("x");
        for (int i = 0; i < 100; i++) {
            logger.info("before-" + i);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> appender.getStatistics().sent() == 100);
        this.reader.deleteLogStream((r) -> r.logGroupName("/test/moto").logStreamName("deleted"));
        for (int i = 0; i < 100; i++) {
            logger.info("after-" + i);
        }
        this.context.stop();
        List<String> messages = readAll("deleted").stream().map(OutputLogEvent::message).toList();
        assertThat(messages).hasSize(100).allMatch((m) -> m.startsWith("after-"));
        assertThat(appender.getStatistics().sent()).isEqualTo(200);
        // The sender recreated the stream and resent the same batch within one call: no failure, no retry.
        assertThat(appender.getStatistics().retries()).isZero();
        assertThat(this.reader.describeLogStreams((r) -> r.logGroupName("/test/moto")).logStreams())
            .extracting((stream) -> stream.logStreamName()).containsExactly("deleted");
    }

    @Test
    void recreatesAGroupDeletedWhileRunning() {
        CloudWatchLogsAppender appender = appender("group-deleted");
        start(appender);
        Logger logger = this.context.getLogger("x");
        logger.info("one");
        await().atMost(Duration.ofSeconds(10)).until(() -> appender.getStatistics().sent() == 1);
        this.reader.deleteLogGroup((r) -> r.logGroupName("/test/moto"));
        logger.info("two");
        this.context.stop();
        assertThat(readAll("group-deleted")).extracting(OutputLogEvent::message).containsExactly("two");
    }

    @Test
    void truncatesAnEventOverTheLimitVisibly() {
        CloudWatchLogsAppender appender = appender("large");
        appender.setMaxEventSize("10000B");
        start(appender);
        this.context.getLogger("x").info("\u20ac".repeat(20_000));
        this.context.stop();
        String message = readAll("large").get(0).message();
        assertThat(message).endsWith("...[TRUNCATED, original 60000 bytes]");
        assertThat(message.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(10_000);
        assertThat(appender.getStatistics().truncated()).isEqualTo(1);
    }

    @Test
    void neverShipsWhatTheSdkOrTheShipperLogs() {
        CloudWatchLogsAppender appender = appender("feedback");
        start(appender);
        this.context.getLogger("software.amazon.awssdk.request").info("sdk");
        this.context.getLogger("org.apache.http.wire").info("http");
        this.context.getLogger("com.example").info("app");
        this.context.stop();
        assertThat(readAll("feedback")).extracting(OutputLogEvent::message).containsExactly("app");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
