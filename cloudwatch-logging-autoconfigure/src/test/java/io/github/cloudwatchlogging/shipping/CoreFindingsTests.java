package io.github.cloudwatchlogging.shipping;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * One test per defect found by reading the old core (issue "One core for every destination"), each of which
 * failed on the core before the fix. The interleavings they depend on are explored by the Fray tests.
 */
class CoreFindingsTests {

    private static final long T0 = System.currentTimeMillis();

    @RegisterExtension
    final Shippers shippers = new Shippers();

    private final List<String> sent = new CopyOnWriteArrayList<>();

    private LogShipper shipper(ShipperSettingsBuilder builder) {
        return this.shippers.create(builder);
    }

    private static ShipperSettingsBuilder settings() {
        return Shippers.settings(Duration.ofMinutes(5));
    }

    private PutLogEventsSender recording() {
        return (batch) -> {
            batch.events().forEach((event) -> this.sent.add(new String(event.message())));
            return PutResult.ALL_ACCEPTED;
        };
    }

    private static CloudWatchLogsException unavailable() {
        return (CloudWatchLogsException) CloudWatchLogsException.builder()
            .awsErrorDetails(AwsErrorDetails.builder().errorCode("ServiceUnavailableException").build())
            .statusCode(503)
            .build();
    }

    @Test
    void finding2FlushWaitsForWhatWasLoggedBeforeItWhileLaterBatchesSettleFirst() throws Exception {
        AtomicBoolean aMayPass = new AtomicBoolean();
        CountDownLatch aFailed = new CountDownLatch(1);
        LogShipper shipper = shipper(settings().maxBatchEvents(1).maxInFlight(2));
        shipper.start((batch) -> {
            String message = new String(batch.events().get(0).message());
            if (message.equals("a") && !aMayPass.get()) {
                aFailed.countDown();
                throw unavailable();
            }
            this.sent.add(message);
            return PutResult.ALL_ACCEPTED;
        });
        shipper.offer(T0, "a");
        assertThat(aFailed.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<FlushReport> flush = CompletableFuture
            .supplyAsync(() -> shipper.flush(Duration.ofSeconds(30)));
        Thread.sleep(200); // the flush is under way; what is logged from now on is after it
        shipper.offer(T0 + 1, "c");
        await().atMost(Duration.ofSeconds(5)).until(() -> this.sent.contains("c"));
        Thread.sleep(200);
        // Before: settled (1, the later "c") >= enqueued at the call (1), so it answered completed with "a" retrying.
        assertThat(flush).as("a flush while an earlier batch is still retrying").isNotDone();
        aMayPass.set(true);
        FlushReport report = flush.get(10, TimeUnit.SECONDS);
        assertThat(report.completed()).isTrue();
        assertThat(this.sent).contains("a", "c");
    }

    @Test
    void finding5AFullBatchSplitBetweenTheBatcherAndTheQueueIsSentWithoutWaitingForTheDelay() {
        LogShipper shipper = shipper(settings().maxBatchEvents(4));
        for (int i = 0; i < 5; i++) {
            shipper.offer(T0 + i, "first-" + i);
        }
        shipper.start(recording()); // one full batch goes; the fifth event waits in the batcher
        await().atMost(Duration.ofSeconds(5)).until(() -> this.sent.size() == 4);
        for (int i = 0; i < 3; i++) {
            shipper.offer(T0 + 10 + i, "second-" + i);
        }
        // Before: the queue alone held 3 of 4, so no one woke the worker until the 5-minute delay.
        await().atMost(Duration.ofSeconds(5)).until(() -> this.sent.size() == 8);
    }

    @Test
    void finding6AnErrorThrownByARequestListenerStillSettlesTheBatch() {
        LogShipper shipper = shipper(settings().maxBatchEvents(1));
        shipper.addRequestListener((nanos, failure) -> {
            throw new AssertionError("a listener with a bug");
        });
        shipper.start(recording());
        shipper.offer(T0, "listened");
        // Before: the Error escaped the sender's RuntimeException catch and the batch was never settled.
        assertThat(shipper.flush(Duration.ofSeconds(5)).completed()).isTrue();
        assertThat(shipper.statistics().sent()).isEqualTo(1);
    }

    @Test
    void finding6ACauseChainThatLoopsIsDescribedAndClassified() {
        RuntimeException first = new RuntimeException("first");
        IllegalStateException second = new IllegalStateException("second");
        first.initCause(second);
        second.initCause(first);
        // Before: the walk to the root cause went round the loop forever.
        String described = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> FailureClassifier.describeMessage(first));
        assertThat(described).contains("first").contains("second");
        assertThat(FailureClassifier.classify(first)).isEqualTo(FailureKind.UNKNOWN);
    }

    @Test
    void finding6AnInterruptLeftOnTheWorkerNeitherLosesABatchNorStopsShipping() {
        Set<Thread> before = workers();
        LogShipper shipper = shipper(settings().maxBatchEvents(1).maxInFlight(1));
        CountDownLatch release = new CountDownLatch(1);
        shipper.start((batch) -> {
            awaitQuietly(release);
            this.sent.add(new String(batch.events().get(0).message()));
            return PutResult.ALL_ACCEPTED;
        });
        Set<Thread> started = workers();
        started.removeAll(before);
        Thread worker = started.iterator().next();
        shipper.offer(T0, "holds the only sender");
        shipper.offer(T0 + 1, "waits for a sender");
        await().atMost(Duration.ofSeconds(5)).until(() -> waitsForASender(worker));
        worker.interrupt();
        release.countDown();
        // Before: the interrupted wait for a sender returned without handing over the batch, which then sat
        // unsettled until stop; and the flag, never cleared, made every later park return at once.
        assertThat(shipper.flush(Duration.ofSeconds(5)).completed()).isTrue();
        assertThat(this.sent).containsExactly("holds the only sender", "waits for a sender");
        shipper.offer(T0 + 2, "after the interrupt");
        assertThat(shipper.flush(Duration.ofSeconds(5)).completed()).isTrue();
        assertThat(this.sent).hasSize(3);
    }

    @Test
    void finding8AStopThatGaveUpClosesTheClientWhenTheLastCallEnds() {
        AtomicBoolean closed = new AtomicBoolean();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch calling = new CountDownLatch(1);
        LogShipper shipper = shipper(settings().maxBatchEvents(1).shutdownTimeout(Duration.ofMillis(200)));
        shipper.start(new PutLogEventsSender() {

            @Override
            public PutResult send(Batch batch) {
                calling.countDown();
                awaitQuietly(release);
                return PutResult.ALL_ACCEPTED;
            }

            @Override
            public void close() {
                closed.set(true);
            }

        });
        shipper.offer(T0, "in flight at stop");
        awaitQuietly(calling);
        StopReport report = shipper.stop();
        assertThat(report.undelivered()).isEqualTo(1);
        assertThat(closed).as("closed while a call is under way").isFalse();
        release.countDown();
        // Before: stop closed the client only when nothing was in flight, and no one closed it later.
        await().atMost(Duration.ofSeconds(5)).untilTrue(closed);
    }

    @Test
    void finding10TheRequestIsBuiltOnceForEveryAttemptAndCountedInTheBudgetWhileInFlight() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch retrying = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LogShipper shipper = shipper(settings().maxBatchEvents(1));
        shipper.start((batch) -> {
            batch.request(StringBuilder.class, (built) -> {
                builds.incrementAndGet();
                return new StringBuilder();
            });
            if (attempts.incrementAndGet() == 1) {
                throw unavailable();
            }
            retrying.countDown();
            awaitQuietly(release);
            return PutResult.ALL_ACCEPTED;
        });
        shipper.offer(T0, "x".repeat(100));
        assertThat(retrying.await(5, TimeUnit.SECONDS)).isTrue();
        // Before: every attempt built the SDK request again, and the budget counted only the queued event.
        assertThat(shipper.statistics().queuedBytes())
            .isEqualTo(100 + LogEvent.QUEUE_OVERHEAD_BYTES + Batch.requestBytes(100 + LogEvent.PUT_OVERHEAD_BYTES, 1));
        release.countDown();
        assertThat(shipper.flush(Duration.ofSeconds(5)).completed()).isTrue();
        assertThat(attempts).hasValue(2);
        assertThat(builds).hasValue(1);
        assertThat(shipper.statistics().queuedBytes()).isZero();
    }

    @Test
    void anEventForSeveralDestinationsIsQueuedOnceAndSentToEach() {
        List<String> streams = new CopyOnWriteArrayList<>();
        Set<Thread> before = workers();
        LogShipper shipper = shipper(settings().maxBatchEvents(10));
        Destination problems = shipper.addDestination("problems", "group", "problems");
        shipper.start((batch) -> {
            streams.add(batch.destination().logStream() + ":" + batch.size());
            return PutResult.ALL_ACCEPTED;
        });
        Destination[] both = { shipper.mainDestination(), problems };
        shipper.offer(T0, "both".getBytes(), both);
        shipper.offer(T0 + 1, "main only");
        assertThat(shipper.flush(Duration.ofSeconds(5)).completed()).isTrue();
        assertThat(streams).containsExactlyInAnyOrder("stream:2", "problems:1");
        assertThat(shipper.statistics().sent()).isEqualTo(2);
        assertThat(shipper.statistics(problems).sent()).isEqualTo(1);
        assertThat(shipper.statistics().unaccounted()).isZero();
        assertThat(shipper.statistics(problems).unaccounted()).isZero();
        Set<Thread> started = workers();
        started.removeAll(before);
        assertThat(started).as("one worker for both destinations").hasSize(1);
    }

    private static boolean waitsForASender(Thread worker) {
        for (StackTraceElement frame : worker.getStackTrace()) {
            if (frame.getMethodName().equals("tryAcquire")) {
                return true;
            }
        }
        return false;
    }

    private static Set<Thread> workers() {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter((thread) -> thread instanceof ShipperThread && thread.getName().equals("cloudwatch-logging-worker"))
            .collect(Collectors.toSet());
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
