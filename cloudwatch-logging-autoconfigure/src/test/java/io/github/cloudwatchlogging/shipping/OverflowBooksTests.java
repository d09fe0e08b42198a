package io.github.cloudwatchlogging.shipping;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An outage longer than the buffer, under each overflow policy: every statistics snapshot balances exactly
 * (logged = sent + dropped + rejected + queued) while the worker and the senders keep moving events, and the
 * logging thread waits only where the policy lets it.
 */
class OverflowBooksTests {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final List<LogShipper> shippers = new ArrayList<>();

    @AfterEach
    void stopAll() {
        this.shippers.forEach(LogShipper::stop);
    }

    /**
     * A flaky service: most calls fail with 503, some are accepted after a millisecond, so batches keep settling and
     * events keep moving from waiting to taken while the snapshots are read.
     */
    private static RecordingSender flakyService() {
        return new RecordingSender((call) -> {
            sleepQuietly(1);
            if (ThreadLocalRandom.current().nextInt(100) < 80) {
                throw (CloudWatchLogsException) CloudWatchLogsException.builder()
                    .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("ServiceUnavailableException")
                        .errorMessage("down")
                        .build())
                    .statusCode(503)
                    .build();
            }
            return PutResult.ALL_ACCEPTED;
        });
    }

    @ParameterizedTest
    @EnumSource(OverflowPolicy.class)
    void everySnapshotBalancesAndTheCallerWaitsOnlyAsThePolicyAllows(OverflowPolicy policy) throws Exception {
        Duration blockTimeout = Duration.ofMillis(20);
        LogShipper shipper = new LogShipper(ShipperSettings.builder("group", "stream")
            .queueCapacityBytes(32 * 1024)
            .maxEventBytes(1024)
            .overflowPolicy(policy)
            .blockTimeout(blockTimeout)
            .maxBatchEvents(50)
            .batchDelay(Duration.ofMillis(5))
            .retryBaseDelay(Duration.ofMillis(1))
            .retryMaxDelay(Duration.ofMillis(5))
            .build(), ShipperDiagnostics.NONE);
        this.shippers.add(shipper);
        shipper.start(flakyService());
        long callerId = Thread.currentThread().getId();
        ThreadInfo before = THREADS.getThreadInfo(callerId);
        long logged = 0;
        long longestCallNanos = 0;
        int snapshots = 0;
        String payload = "x".repeat(200);
        for (int round = 0; round < 150; round++) {
            for (int i = 0; i < 100; i++) {
                long start = System.nanoTime();
                shipper.offer(System.currentTimeMillis(), "event-" + logged + " " + payload);
                longestCallNanos = Math.max(longestCallNanos, System.nanoTime() - start);
                logged++;
            }
            ThreadInfo after = THREADS.getThreadInfo(callerId);
            long waits = after.getWaitedCount() - before.getWaitedCount();
            long blocks = after.getBlockedCount() - before.getBlockedCount();
            if (policy != OverflowPolicy.BLOCK) {
                assertThat(waits + blocks).as("times the logging thread waited or blocked under %s", policy).isZero();
            }
            // No logging call is under way now, while the worker and the senders go on: each reading must balance.
            for (int read = 0; read < 20; read++) {
                ShipperStatistics stats = shipper.statistics();
                assertThat(stats.logged()).isEqualTo(logged);
                assertThat(stats.unaccounted()).as("logged - sent - dropped - rejected - queued in %s", stats).isZero();
                assertThat(stats.queuedBytes()).isLessThanOrEqualTo(stats.capacityBytes());
                snapshots++;
            }
            before = THREADS.getThreadInfo(callerId);
        }
        assertThat(snapshots).isEqualTo(3_000);
        // The loop can outrun the first accepted call on a fast machine; the books must balance while that comes.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (shipper.statistics().sent() == 0 && System.nanoTime() < deadline) {
            assertThat(shipper.statistics().unaccounted()).isZero();
            Thread.sleep(1);
        }
        ShipperStatistics last = shipper.statistics();
        assertThat(last.sent()).as("some batches got through the flaky service").isPositive();
        assertThat(last.droppedTotal()).as("the outage outlasted the buffer").isPositive();
        switch (policy) {
            case DROP_NEWEST -> assertThat(last.dropped().get(DropReason.QUEUE_FULL)).isPositive();
            case DROP_OLDEST -> assertThat(last.dropped().get(DropReason.EVICTED)).isPositive();
            case BLOCK -> {
                assertThat(last.dropped().get(DropReason.BLOCK_TIMEOUT)).isPositive();
                // Bounded by the block timeout; the margin only covers scheduling on a busy machine.
                assertThat(TimeUnit.NANOSECONDS.toMillis(longestCallNanos)).isLessThan(blockTimeout.toMillis() + 2_000);
            }
        }
        StopReport report = shipper.stop();
        ShipperStatistics stopped = report.statistics();
        assertThat(stopped.queuedEvents()).isZero();
        assertThat(stopped.logged()).isEqualTo(logged);
        assertThat(stopped.unaccounted()).isZero();
    }

    @ParameterizedTest
    @EnumSource(OverflowPolicy.class)
    void snapshotsFromAnotherThreadNeverCountAnEventTwiceWhileLoggingPauses(OverflowPolicy policy)
            throws Exception {
        LogShipper shipper = new LogShipper(ShipperSettings.builder("group", "stream")
            .queueCapacityBytes(16 * 1024)
            .maxEventBytes(1024)
            .overflowPolicy(policy)
            .blockTimeout(Duration.ofMillis(5))
            .maxBatchEvents(20)
            .batchDelay(Duration.ofMillis(2))
            .retryBaseDelay(Duration.ofMillis(1))
            .retryMaxDelay(Duration.ofMillis(3))
            .build(), ShipperDiagnostics.NONE);
        this.shippers.add(shipper);
        shipper.start(flakyService());
        AtomicInteger unbalanced = new AtomicInteger();
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < 60; i++) {
                shipper.offer(System.currentTimeMillis(), "round " + round + " event " + i);
            }
            Thread reader = new Thread(() -> {
                for (int read = 0; read < 50; read++) {
                    if (shipper.statistics().unaccounted() != 0) {
                        unbalanced.incrementAndGet();
                    }
                }
            });
            reader.start();
            reader.join();
        }
        assertThat(unbalanced).as("readings that did not balance").hasValue(0);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
