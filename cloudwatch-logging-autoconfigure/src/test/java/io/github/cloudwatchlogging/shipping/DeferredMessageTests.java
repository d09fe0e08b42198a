package io.github.cloudwatchlogging.shipping;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages the worker formats: the budget reserved at the call's estimate is trued up to what the message takes,
 * and all of it given back once settled, whether the estimate was low or high; a message over the per-event limit
 * is cut and counted truncated; one whose formatting throws is counted failed, never lost from the books; with a
 * spool it is formatted on the calling thread, before the call returns.
 */
class DeferredMessageTests {

    private static final long NOW = System.currentTimeMillis();

    @RegisterExtension
    final Shippers shippers = new Shippers();

    @Test
    void theBudgetIsTruedUpToWhatTheFormattedMessageTakesAndGivenBackWhenSent() throws Exception {
        String[] texts = { "x".repeat(500), "y", "z".repeat(20) };
        int[] estimates = { 10, 5_000, 20 }; // low, high, right
        long deferred = heldWhileInFlight(texts, estimates);
        long eager = heldWhileInFlight(texts, null);
        assertThat(deferred).as("what a formatted deferred batch holds is what the same batch encoded at once holds")
            .isEqualTo(eager)
            .isNotEqualTo(heldWhileInFlight(new String[] { "x".repeat(10), "y".repeat(5_000), "z".repeat(20) }, null));
    }

    /** The budget a batch of these messages holds while its call is under way; all given back after. */
    private long heldWhileInFlight(String[] texts, int[] estimates) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingSender sender = new RecordingSender((call) -> {
            await(release);
            return PutResult.ALL_ACCEPTED;
        });
        // Cut when the third arrives, not before: the batch in flight is the three of them.
        LogShipper shipper = this.shippers.create(Shippers.settings(Duration.ofMinutes(1)).maxBatchEvents(3));
        shipper.start(sender);
        for (int i = 0; i < texts.length; i++) {
            boolean offered = (estimates != null) ? shipper.offer(NOW, deferred(texts[i]), estimates[i],
                    shipper.mainTargets()) : shipper.offer(NOW, texts[i]);
            assertThat(offered).isTrue();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sender.calls.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        long held = shipper.statistics().queuedBytes();
        release.countDown();
        assertThat(shipper.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(sender.accepted).hasSize(1);
        assertThat(sender.accepted.get(0).events()).extracting((event) -> new String(event.message(),
                StandardCharsets.UTF_8))
            .containsExactly(texts);
        ShipperStatistics statistics = shipper.statistics();
        assertThat(statistics.sent()).isEqualTo(texts.length);
        assertThat(statistics.queuedBytes()).isZero();
        assertThat(statistics.queuedEvents()).isZero();
        shipper.stop();
        return held;
    }

    @Test
    void aMessageOverTheLimitIsCutAndCountedAndOneThatCannotBeFormattedIsCountedFailed() {
        RecordingSender sender = RecordingSender.acceptingAll();
        LogShipper shipper = this.shippers.create(Shippers.settings(Duration.ofMillis(1)).maxEventBytes(300));
        shipper.start(sender);
        Destination[] main = shipper.mainTargets();
        assertThat(shipper.offer(NOW, deferred("m".repeat(1_000)), 300, main)).isTrue();
        assertThat(shipper.offer(NOW, () -> {
            throw new IllegalStateException("a layout that throws");
        }, 100, main)).isTrue();
        assertThat(shipper.flush(Duration.ofSeconds(10)).completed()).isTrue();
        ShipperStatistics statistics = shipper.statistics();
        assertThat(statistics.truncated()).isEqualTo(1);
        assertThat(statistics.sent()).isEqualTo(1);
        assertThat(statistics.dropped()).containsEntry(DropReason.FAILED, 1L);
        assertThat(sender.accepted.get(0).events().get(0).message()).hasSize(300);
        assertThat(statistics.queuedBytes()).isZero();
    }

    @Test
    void withASpoolTheMessageIsFormattedBeforeTheCallReturns(@org.junit.jupiter.api.io.TempDir java.nio.file.Path spool) {
        LogShipper shipper = this.shippers.create(Shippers.settings(Duration.ofMillis(1))
            .spool(new io.github.cloudwatchlogging.spool.SpoolSettings(spool, 64L * 1024 * 1024,
                    io.github.cloudwatchlogging.spool.SpoolSync.NONE)));
        shipper.start(RecordingSender.acceptingAll());
        Thread caller = Thread.currentThread();
        List<Thread> formattedOn = new java.util.concurrent.CopyOnWriteArrayList<>();
        assertThat(shipper.offer(NOW, () -> {
            formattedOn.add(Thread.currentThread());
            return "spooled".getBytes(StandardCharsets.UTF_8);
        }, 7, shipper.mainTargets())).isTrue();
        assertThat(formattedOn).containsExactly(caller);
        assertThat(shipper.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(shipper.statistics().sent()).isEqualTo(1);
    }

    @Test
    void aMessageHoldingMoreThanTheLimitIsFormattedAtTheCallAndCut() {
        LogShipper shipper = this.shippers.create(Shippers.settings(Duration.ofMillis(1)).maxEventBytes(300));
        shipper.start(RecordingSender.acceptingAll());
        Thread caller = Thread.currentThread();
        List<Thread> formattedOn = new java.util.concurrent.CopyOnWriteArrayList<>();
        assertThat(shipper.offer(NOW, () -> {
            formattedOn.add(Thread.currentThread());
            return "h".repeat(20_000).getBytes(StandardCharsets.UTF_8);
        }, 20_000, shipper.mainTargets())).isTrue();
        assertThat(formattedOn).containsExactly(caller);
        assertThat(shipper.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(shipper.statistics().truncated()).isEqualTo(1);
        assertThat(shipper.statistics().sent()).isEqualTo(1);
    }

    private static DeferredMessage deferred(String text) {
        return () -> text.getBytes(StandardCharsets.UTF_8);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
