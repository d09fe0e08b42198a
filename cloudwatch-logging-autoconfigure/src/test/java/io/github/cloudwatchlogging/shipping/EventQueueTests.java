package io.github.cloudwatchlogging.shipping;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventQueueTests {

    private final Destination destination = new Destination(Destination.MAIN, "group", "stream", 0);

    private final AtomicInteger wakeUps = new AtomicInteger();

    private final Budget budget = new Budget(1_000);

    private final Ledger ledger = new Ledger(this.budget);

    /** 10 events of 20 message bytes: each takes 100 budget bytes. */
    private EventQueue queue(OverflowPolicy policy, int maxBatchEvents) {
        ShipperSettings settings = ShipperSettings.builder("group", "stream")
            .queueCapacityBytes(1_000)
            .maxEventBytes(256)
            .maxBatchEvents(maxBatchEvents)
            .overflowPolicy(policy)
            .blockTimeout(Duration.ofMillis(200))
            .build();
        return new EventQueue(settings, this.budget, this.ledger, this.wakeUps::incrementAndGet);
    }

    private LogEvent event(int id) {
        return new LogEvent(id, String.format("%020d", id).getBytes(), new Destination[] { this.destination });
    }

    private long evicted() {
        return this.ledger.read(() -> this.destination.books().dropped(DropReason.EVICTED));
    }

    @Test
    void acceptsUpToTheByteBudgetCountingOverhead() {
        EventQueue queue = queue(OverflowPolicy.DROP_NEWEST, 10_000);
        for (int i = 0; i < 10; i++) {
            assertThat(queue.offer(event(i))).isNull();
        }
        assertThat(this.budget.bytes()).isEqualTo(1_000);
        assertThat(queue.offer(event(10))).isEqualTo(DropReason.QUEUE_FULL);
        assertThat(this.budget.events()).isEqualTo(10);
    }

    @Test
    void takenEventsKeepTheirBudgetUntilReleased() {
        EventQueue queue = queue(OverflowPolicy.DROP_NEWEST, 10_000);
        for (int i = 0; i < 10; i++) {
            queue.offer(event(i));
        }
        assertThat(takeOne(queue)).isNotNull();
        assertThat(queue.offer(event(10))).isEqualTo(DropReason.QUEUE_FULL);
        this.budget.release(1, 100);
        assertThat(queue.offer(event(11))).isNull();
        assertThat(this.budget.events()).isEqualTo(10);
    }

    @Test
    void dropOldestEvictsTheHeadAndCountsIt() {
        EventQueue queue = queue(OverflowPolicy.DROP_OLDEST, 10_000);
        for (int i = 0; i < 12; i++) {
            assertThat(queue.offer(event(i))).isNull();
        }
        assertThat(evicted()).isEqualTo(2);
        assertThat(takeOne(queue).timestamp()).isEqualTo(2);
    }

    /**
     * CI failure of OverflowBooksTests (DROP_OLDEST, the logging thread blocked once): an eviction settled under the
     * ledger's lock, which a sender or the worker may hold. Here another thread holds that lock until the evicting
     * call returns, or 5 s: the call must not need it.
     */
    @Test
    void dropOldestEvictsWithoutWaitingForTheLedgersLock() throws Exception {
        EventQueue queue = queue(OverflowPolicy.DROP_OLDEST, 10_000);
        for (int i = 0; i < 10; i++) {
            queue.offer(event(i));
        }
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch callReturned = new CountDownLatch(1);
        CompletableFuture<Boolean> returnedWhileHeld = CompletableFuture.supplyAsync(() -> this.ledger.read(() -> {
            holding.countDown();
            try {
                return callReturned.await(5, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }));
        holding.await();
        assertThat(queue.offer(event(10))).isNull();
        callReturned.countDown();
        assertThat(returnedWhileHeld.get(10, TimeUnit.SECONDS)).as("the call returned while the lock was held").isTrue();
        assertThat(evicted()).isEqualTo(1);
        assertThat(this.budget.events()).isEqualTo(10);
    }

    @Test
    void dropOldestWhenEverythingIsTakenDropsTheNewOne() {
        EventQueue queue = queue(OverflowPolicy.DROP_OLDEST, 10_000);
        for (int i = 0; i < 10; i++) {
            queue.offer(event(i));
            takeOne(queue);
        }
        assertThat(queue.offer(event(10))).isEqualTo(DropReason.QUEUE_FULL);
    }

    @Test
    void dropOldestNeverEvictsWhenWhatIsInFlightLeavesNoRoomForTheNewEvent() {
        // Finding 4: 7 of 10 events in flight, 3 waiting; an event of 400 budget bytes cannot fit even if all 3
        // waiting ones go, so none of them may be evicted for it.
        EventQueue queue = queue(OverflowPolicy.DROP_OLDEST, 10_000);
        for (int i = 0; i < 10; i++) {
            queue.offer(event(i));
            if (i < 7) {
                takeOne(queue);
            }
        }
        LogEvent large = new LogEvent(10, new byte[320], new Destination[] { this.destination });
        assertThat(queue.offer(large)).isEqualTo(DropReason.QUEUE_FULL);
        assertThat(evicted()).isZero();
        assertThat(queue.waitingEvents()).isEqualTo(3);
    }

    @Test
    void blockWaitsForRoomThenProceeds() throws Exception {
        EventQueue queue = queue(OverflowPolicy.BLOCK, 10_000);
        for (int i = 0; i < 10; i++) {
            queue.offer(event(i));
            takeOne(queue);
        }
        CompletableFuture<DropReason> blocked = CompletableFuture.supplyAsync(() -> queue.offer(event(10)));
        assertThat(blocked).isNotDone();
        this.budget.release(1, 100);
        queue.signalSpace();
        assertThat(blocked.get(5, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void blockGivesUpAfterTheTimeoutAndCountsIt() {
        EventQueue queue = queue(OverflowPolicy.BLOCK, 10_000);
        for (int i = 0; i < 10; i++) {
            queue.offer(event(i));
        }
        assertThat(queue.offer(event(10))).isEqualTo(DropReason.BLOCK_TIMEOUT);
    }

    @Test
    void wakesTheWorkerOnlyWhenABatchBecomesFull() {
        EventQueue queue = queue(OverflowPolicy.DROP_NEWEST, 3);
        queue.prepareToPark(new EventQueue.WakeThreshold(3, ShipperSettings.MAX_BATCH_BYTES, Long.MAX_VALUE));
        queue.offer(event(1));
        queue.offer(event(2));
        assertThat(this.wakeUps).hasValue(0);
        queue.offer(event(3));
        assertThat(this.wakeUps).hasValue(1);
        queue.offer(event(4));
        assertThat(this.wakeUps).hasValue(1);
    }

    @Test
    void closedQueueRefusesAndCounts() {
        EventQueue queue = queue(OverflowPolicy.DROP_NEWEST, 10);
        queue.close();
        assertThat(queue.offer(event(1))).isEqualTo(DropReason.NOT_RUNNING);
    }

    /** What the worker does, one event at a time. */
    private LogEvent takeOne(EventQueue queue) {
        LogEvent[] one = new LogEvent[1];
        return (queue.drainTo(one) == 1) ? one[0] : null;
    }

}
