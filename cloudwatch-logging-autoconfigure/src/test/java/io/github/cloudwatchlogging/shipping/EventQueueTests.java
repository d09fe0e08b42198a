package io.github.cloudwatchlogging.shipping;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventQueueTests {

    private final ShippingCounters counters = new ShippingCounters();

    private final AtomicInteger wakeUps = new AtomicInteger();

    /** 10 events of 36 message bytes: each takes 100 budget bytes. */
    private EventQueue queue(OverflowPolicy policy, int maxBatchEvents) {
        ShipperSettings settings = ShipperSettings.builder("group", "stream")
            .queueCapacityBytes(1_000)
            .maxEventBytes(256)
            .maxBatchEvents(maxBatchEvents)
            .overflowPolicy(policy)
            .blockTimeout(Duration.ofMillis(200))
            .build();
        return new EventQueue(settings, this.counters, this.wakeUps::incrementAndGet);
    }

    private static LogEvent event(int id) {
        return new LogEvent(id, String.format("%036d", id).getBytes());
    }

    @Test
    void acceptsUpToTheByteBudgetCountingOverhead() {
        EventQueue queue = queue(OverflowPolicy.DROP_NEWEST, 10_000);
        for (int i = 0; i < 10; i++) {
            assertThat(queue.offer(event(i))).isTrue();
        }
        assertThat(queue.outstandingBytes()).isEqualTo(1_000);
        assertThat(queue.offer(event(10))).isFalse();
        assertThat(this.counters.droppedCount(DropReason.QUEUE_FULL)).isEqualTo(1);
        assertThat(this.counters.enqueuedCount()).isEqualTo(10);
    }

    @Test
    void takenEventsKeepTheirBudgetUntilReleased() {
        EventQueue queue = queue(OverflowPolicy.DROP_NEWEST, 10_000);
        for (int i = 0; i < 10; i++) {
            queue.offer(event(i));
        }
        assertThat(takeOne(queue)).isNotNull();
        assertThat(queue.offer(event(10))).isFalse();
        queue.release(1, 100);
        assertThat(queue.offer(event(11))).isTrue();
        assertThat(queue.outstandingEvents()).isEqualTo(10);
    }

    @Test
    void dropOldestEvictsTheHeadAndCountsIt() {
        EventQueue queue = queue(OverflowPolicy.DROP_OLDEST, 10_000);
        for (int i = 0; i < 12; i++) {
            assertThat(queue.offer(event(i))).isTrue();
        }
        assertThat(this.counters.droppedCount(DropReason.EVICTED)).isEqualTo(2);
        assertThat(takeOne(queue).timestamp()).isEqualTo(2);
    }

    @Test
    void dropOldestWhenEverythingIsTakenDropsTheNewOne() {
        EventQueue queue = queue(OverflowPolicy.DROP_OLDEST, 10_000);
        for (int i = 0; i < 10; i++) {
            queue.offer(event(i));
            takeOne(queue);
        }
        assertThat(queue.offer(event(10))).isFalse();
        assertThat(this.counters.droppedCount(DropReason.QUEUE_FULL)).isEqualTo(1);
    }

    @Test
    void blockWaitsForRoomThenProceeds() throws Exception {
        EventQueue queue = queue(OverflowPolicy.BLOCK, 10_000);
        for (int i = 0; i < 10; i++) {
            queue.offer(event(i));
            takeOne(queue);
        }
        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> queue.offer(event(10)));
        assertThat(blocked).isNotDone();
        queue.release(1, 100);
        queue.signalSpace();
        assertThat(blocked.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void blockGivesUpAfterTheTimeoutAndCountsIt() {
        EventQueue queue = queue(OverflowPolicy.BLOCK, 10_000);
        for (int i = 0; i < 10; i++) {
            queue.offer(event(i));
        }
        assertThat(queue.offer(event(10))).isFalse();
        assertThat(this.counters.droppedCount(DropReason.BLOCK_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void wakesTheWorkerOnlyWhenABatchBecomesFull() {
        EventQueue queue = queue(OverflowPolicy.DROP_NEWEST, 3);
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
        assertThat(queue.offer(event(1))).isFalse();
        assertThat(this.counters.droppedCount(DropReason.NOT_RUNNING)).isEqualTo(1);
    }

    /** What the worker does, one event at a time. */
    private static LogEvent takeOne(EventQueue queue) {
        LogEvent[] one = new LogEvent[1];
        return (queue.drainTo(one) == 1) ? one[0] : null;
    }

}
