package io.github.cloudwatchlogging.shipping;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LogShipperTests {

    /** Now, give or take the run: events must be within the 14 days and 2 hours CloudWatch Logs takes. */
    private static final long T0 = System.currentTimeMillis();

    @RegisterExtension
    final Shippers shippers = new Shippers();

    private LogShipper shipper(ShipperSettingsBuilder builder) {
        return this.shippers.create(builder);
    }

    private static ShipperSettingsBuilder settings() {
        return Shippers.settings(Duration.ofMillis(50));
    }

    private static CloudWatchLogsException error(String code, int status) {
        return (CloudWatchLogsException) CloudWatchLogsException.builder()
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code + " happened").build())
            .statusCode(status)
            .build();
    }

    private static Set<String> messages(RecordingSender sender) {
        Set<String> seen = new HashSet<>();
        for (Batch batch : sender.accepted) {
            for (LogEvent event : batch.events()) {
                assertThat(seen.add(new String(event.message()))).as("sent once").isTrue();
            }
        }
        return seen;
    }

    @Test
    void deliversEveryEventOnceAndStopWaitsForTheLast() {
        RecordingSender sender = RecordingSender.acceptingAll();
        LogShipper shipper = shipper(settings().batchDelay(Duration.ofSeconds(30)).maxBatchEvents(100));
        shipper.start(sender);
        for (int i = 0; i < 1_050; i++) {
            shipper.offer(T0 + i, "event-" + i);
        }
        StopReport report = shipper.stop();
        assertThat(report.undelivered()).isZero();
        assertThat(messages(sender)).hasSize(1_050);
        assertThat(report.statistics().sent()).isEqualTo(1_050);
        assertThat(report.statistics().queuedEvents()).isZero();
        assertThat(report.statistics().state()).isEqualTo(ShipperState.STOPPED);
        assertThat(sender.closed).isTrue();
        assertThat(shipper.stop()).isSameAs(report);
    }

    @Test
    void sendsAPartialBatchWhenTheDelayIsUp() {
        RecordingSender sender = RecordingSender.acceptingAll();
        LogShipper shipper = shipper(settings());
        shipper.start(sender);
        shipper.offer(T0 + 1, "only one");
        await().atMost(Duration.ofSeconds(5)).until(() -> sender.acceptedEvents() == 1);
        assertThat(shipper.statistics().batches()).isEqualTo(1);
    }

    @Test
    void eventsQueuedBeforeStartAreSentOnceStarted() {
        RecordingSender sender = RecordingSender.acceptingAll();
        LogShipper shipper = shipper(settings());
        shipper.offer(T0 + 1, "early");
        assertThat(shipper.statistics().state()).isEqualTo(ShipperState.BUFFERING);
        assertThat(shipper.statistics().queuedEvents()).isEqualTo(1);
        shipper.start(sender);
        await().atMost(Duration.ofSeconds(5)).until(() -> sender.acceptedEvents() == 1);
    }

    @Test
    void retriesThrottlingAndServerErrorsWithoutDuplicates() {
        RecordingSender sender = new RecordingSender((call) -> {
            if (call % 3 == 1) {
                throw error("ThrottlingException", 400);
            }
            if (call % 3 == 2) {
                throw error("ServiceUnavailableException", 503);
            }
            return PutResult.ALL_ACCEPTED;
        });
        LogShipper shipper = shipper(settings().maxBatchEvents(10));
        shipper.start(sender);
        for (int i = 0; i < 100; i++) {
            shipper.offer(T0 + i, "event-" + i);
        }
        assertThat(shipper.stop().undelivered()).isZero();
        assertThat(messages(sender)).hasSize(100);
        ShipperStatistics stats = shipper.statistics();
        assertThat(stats.retries()).isEqualTo(stats.failedRequests()).isGreaterThanOrEqualTo(20);
        assertThat(stats.lastFailureType()).isIn("ThrottlingException", "ServiceUnavailableException");
        assertThat(stats.consecutiveFailures()).isZero();
    }

    @Test
    void invalidParameterCountsTheBatchAsRejectedAndMovesOn() {
        RecordingSender sender = new RecordingSender((call) -> {
            if (call == 1) {
                throw error("InvalidParameterException", 400);
            }
            return PutResult.ALL_ACCEPTED;
        });
        LogShipper shipper = shipper(settings().maxBatchEvents(5).maxInFlight(1));
        shipper.start(sender);
        for (int i = 0; i < 10; i++) {
            shipper.offer(T0 + i, "event-" + i);
        }
        shipper.stop();
        ShipperStatistics stats = shipper.statistics();
        assertThat(stats.rejected()).containsEntry(RejectReason.INVALID_PARAMETER, 5L);
        assertThat(stats.sent()).isEqualTo(5);
        assertThat(stats.retries()).isZero();
    }

    @Test
    void refusesEventsOutsideTheTimestampWindowBeforeSendingThem() {
        RecordingSender sender = RecordingSender.acceptingAll();
        LogShipper shipper = shipper(settings());
        shipper.start(sender);
        long now = System.currentTimeMillis();
        shipper.offer(now - Duration.ofDays(15).toMillis(), "two weeks and a day old");
        shipper.offer(now, "now");
        shipper.offer(now + Duration.ofHours(3).toMillis(), "three hours ahead");
        shipper.offer(now - Duration.ofDays(13).toMillis(), "thirteen days old");
        ShipperStatistics stats = shipper.stop().statistics();
        assertThat(messages(sender)).containsExactlyInAnyOrder("now", "thirteen days old");
        assertThat(stats.rejected()).containsEntry(RejectReason.TOO_OLD, 1L).containsEntry(RejectReason.TOO_NEW, 1L);
        assertThat(stats.sent()).isEqualTo(2);
        assertThat(stats.unaccounted()).isZero();
    }

    @Test
    void countsEventsTheServiceRefused() {
        RecordingSender sender = new RecordingSender((call) -> new PutResult(1, 2, 0));
        LogShipper shipper = shipper(settings().maxBatchEvents(10));
        shipper.start(sender);
        for (int i = 0; i < 10; i++) {
            shipper.offer(T0 + i, "event-" + i);
        }
        shipper.stop();
        ShipperStatistics stats = shipper.statistics();
        assertThat(stats.rejected()).containsEntry(RejectReason.TOO_OLD, 1L).containsEntry(RejectReason.TOO_NEW, 2L);
        assertThat(stats.sent()).isEqualTo(7);
    }

    @Test
    void keepsSeveralCallsInFlightWhenTheQueueIsDeep() {
        CountDownLatch release = new CountDownLatch(1);
        RecordingSender sender = new RecordingSender((call) -> {
            awaitQuietly(release);
            return PutResult.ALL_ACCEPTED;
        });
        LogShipper shipper = shipper(settings().maxBatchEvents(10).maxInFlight(3));
        shipper.start(sender);
        for (int i = 0; i < 100; i++) {
            shipper.offer(T0 + i, "event-" + i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> shipper.statistics().inFlightRequests() == 3);
        release.countDown();
        shipper.stop();
        assertThat(sender.maxConcurrent).hasValue(3);
        assertThat(messages(sender)).hasSize(100);
    }

    @Test
    void stopWhileTheWorkerWaitsForASenderStillDeliversPromptly() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingSender sender = new RecordingSender((call) -> {
            awaitQuietly(release);
            return PutResult.ALL_ACCEPTED;
        });
        LogShipper shipper = shipper(settings().batchDelay(Duration.ofMinutes(5))
            .maxBatchEvents(10)
            .maxInFlight(1)
            .shutdownTimeout(Duration.ofSeconds(5)));
        // Other shippers in this JVM (other tests, applications draining at exit) have workers of the same name.
        java.util.Set<Thread> otherWorkers = workerThreads();
        // Queued before the start, so the worker finds all 25 at once: offered while it drains, a part could arrive
        // after it took the rest, and then neither part alone is a full batch and it rightly waits out the delay.
        for (int i = 0; i < 25; i++) {
            shipper.offer(T0 + i, "event-" + i);
        }
        shipper.start(sender);
        // The first batch holds the only sender; the worker waits for it inside Semaphore.tryAcquire, which parks.
        java.util.Set<Thread> started = workerThreads();
        started.removeAll(otherWorkers);
        assertThat(started).as("the worker this shipper started").hasSize(1);
        Thread worker = started.iterator().next();
        await().atMost(Duration.ofSeconds(5)).until(() -> java.util.Arrays.stream(worker.getStackTrace())
            .anyMatch((frame) -> frame.getMethodName().equals("tryAcquire")));
        java.util.concurrent.CompletableFuture<StopReport> stopping = java.util.concurrent.CompletableFuture
            .supplyAsync(shipper::stop);
        // stop()'s wake-up reaches the worker while it is parked in tryAcquire, which swallows it.
        await().atMost(Duration.ofSeconds(5)).until(() -> shipper.state() == ShipperState.STOPPING);
        release.countDown();
        StopReport report = stopping.get(30, TimeUnit.SECONDS);
        assertThat(report.undelivered()).isZero();
        assertThat(messages(sender)).hasSize(25);
    }

    private static java.util.Set<Thread> workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter((thread) -> thread instanceof ShipperThread)
            .filter((thread) -> thread.getName().equals("cloudwatch-logging-worker"))
            .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
    }

    @Test
    void truncatesOversizedEventsAndCountsThem() {
        RecordingSender sender = RecordingSender.acceptingAll();
        LogShipper shipper = shipper(settings().maxEventBytes(1_000));
        shipper.start(sender);
        shipper.offer(T0 + 1, "x".repeat(5_000));
        shipper.offer(T0 + 2, "");
        shipper.stop();
        List<LogEvent> sent = sender.accepted.stream().flatMap((batch) -> batch.events().stream()).toList();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).message().length).isLessThanOrEqualTo(1_000);
        assertThat(new String(sent.get(0).message())).endsWith("[TRUNCATED, original 5000 bytes]");
        assertThat(new String(sent.get(1).message())).isEqualTo("(empty message)");
        assertThat(shipper.statistics().truncated()).isEqualTo(1);
    }

    @Test
    void stopDuringAnOutageReturnsWithinTheTimeoutAndCountsWhatItLeft() {
        AtomicBoolean down = new AtomicBoolean(true);
        RecordingSender sender = new RecordingSender((call) -> {
            if (down.get()) {
                throw error("ServiceUnavailableException", 503);
            }
            return PutResult.ALL_ACCEPTED;
        });
        LogShipper shipper = shipper(settings().maxBatchEvents(10).shutdownTimeout(Duration.ofMillis(500)));
        shipper.start(sender);
        for (int i = 0; i < 95; i++) {
            shipper.offer(T0 + i, "event-" + i);
        }
        long started = System.nanoTime();
        StopReport report = shipper.stop();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
        assertThat(report.undelivered()).isEqualTo(95);
        ShipperStatistics stats = report.statistics();
        assertThat(stats.dropped()).containsEntry(DropReason.SHUTDOWN_TIMEOUT, 95L);
        assertThat(stats.queuedEvents()).isZero();
        assertThat(stats.sent()).isZero();
        assertThat(stats.lastFailureType()).isEqualTo("ServiceUnavailableException");
        assertThat(shipper.offer(T0 + 1, "late")).isFalse();
        assertThat(shipper.statistics().dropped()).containsEntry(DropReason.NOT_RUNNING, 1L);
    }

    @Test
    void theBooksBalanceWhenTheQueueOverflowsDuringAnOutage() {
        AtomicBoolean down = new AtomicBoolean(true);
        RecordingSender sender = new RecordingSender((call) -> {
            if (down.get()) {
                throw error("ServiceUnavailableException", 503);
            }
            return PutResult.ALL_ACCEPTED;
        });
        LogShipper shipper = shipper(settings().maxBatchEvents(10).maxEventBytes(256).queueCapacityBytes(10_000));
        shipper.start(sender);
        for (int i = 0; i < 1_000; i++) {
            shipper.offer(T0 + i, String.format("event-%030d", i));
        }
        ShipperStatistics during = shipper.statistics();
        assertThat(during.queuedBytes()).isLessThanOrEqualTo(10_000);
        assertThat(during.droppedTotal()).isPositive();
        down.set(false);
        shipper.stop();
        ShipperStatistics after = shipper.statistics();
        assertThat(after.sent() + after.droppedTotal() + after.rejectedTotal()).isEqualTo(1_000);
        assertThat(after.sent()).isEqualTo(sender.acceptedEvents());
        assertThat(messages(sender)).hasSize((int) after.sent());
    }

    @Test
    void flushSendsWithoutWaitingForTheDelay() {
        RecordingSender sender = RecordingSender.acceptingAll();
        LogShipper shipper = shipper(settings().batchDelay(Duration.ofMinutes(5)));
        shipper.start(sender);
        shipper.offer(T0 + 1, "a");
        shipper.offer(T0 + 2, "b");
        FlushReport report = shipper.flush(Duration.ofSeconds(5));
        assertThat(report.completed()).isTrue();
        assertThat(report.sent()).isEqualTo(2);
        assertThat(sender.acceptedEvents()).isEqualTo(2);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
