package io.github.cloudwatchlogging.shipping;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BatcherTests {

    private static final long DAY = Duration.ofHours(24).toMillis();

    private static LogEvent event(long timestamp, int size) {
        byte[] message = new byte[size];
        java.util.Arrays.fill(message, (byte) 'x');
        return new LogEvent(timestamp, message);
    }

    private static List<Batch> run(Batcher batcher, List<LogEvent> events) {
        List<Batch> batches = new ArrayList<>();
        for (LogEvent event : events) {
            Batch completed = batcher.add(event, 0);
            if (completed != null) {
                batches.add(completed);
            }
            if (batcher.isFull()) {
                batches.add(batcher.take(0));
            }
        }
        Batch last = batcher.take(0);
        if (last != null) {
            batches.add(last);
        }
        return batches;
    }

    @Test
    void cutsAtTenThousandEvents() {
        Batcher batcher = new Batcher(ShipperSettings.MAX_BATCH_EVENTS, ShipperSettings.MAX_BATCH_BYTES, DAY);
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 25_001; i++) {
            events.add(event(1_000 + i, 1));
        }
        List<Batch> batches = run(batcher, events);
        assertThat(batches).extracting(Batch::size).containsExactly(10_000, 10_000, 5_001);
    }

    @Test
    void fillsExactlyToTheByteLimitCountingTwentySixPerEvent() {
        // 1,048,576 = 4 * 262,144: four events whose message is 262,118 bytes fill a batch exactly.
        Batcher batcher = new Batcher(ShipperSettings.MAX_BATCH_EVENTS, ShipperSettings.MAX_BATCH_BYTES, DAY);
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            events.add(event(1_000, 262_144 - LogEvent.PUT_OVERHEAD_BYTES));
        }
        List<Batch> batches = run(batcher, events);
        assertThat(batches).extracting(Batch::size).containsExactly(4, 4, 1);
        assertThat(batches.get(0).putBytes()).isEqualTo(ShipperSettings.MAX_BATCH_BYTES);
        assertThat(batches).allSatisfy((batch) -> assertThat(batch.putBytes()).isLessThanOrEqualTo(1_048_576));
    }

    @Test
    void oneByteMoreStartsANewBatch() {
        Batcher batcher = new Batcher(ShipperSettings.MAX_BATCH_EVENTS, ShipperSettings.MAX_BATCH_BYTES, DAY);
        List<LogEvent> events = List.of(event(1, 524_288 - 26), event(2, 524_288 - 26 + 1), event(3, 10));
        assertThat(run(batcher, events)).extracting(Batch::size).containsExactly(1, 2);
    }

    @Test
    void singleEventOfTheLargestSizeFitsAlone() {
        Batcher batcher = new Batcher(ShipperSettings.MAX_BATCH_EVENTS, ShipperSettings.MAX_BATCH_BYTES, DAY);
        List<Batch> batches = run(batcher, List.of(event(1, 2_000), event(2, ShipperSettings.MAX_EVENT_BYTES), event(3, 2_000)));
        assertThat(batches).extracting(Batch::size).containsExactly(1, 1, 1);
    }

    @Test
    void eventLargerThanABatchIsRefused() {
        Batcher batcher = new Batcher(ShipperSettings.MAX_BATCH_EVENTS, ShipperSettings.MAX_BATCH_BYTES, DAY);
        assertThatIllegalArgumentException()
            .isThrownBy(() -> batcher.add(event(1, ShipperSettings.MAX_BATCH_BYTES - LogEvent.PUT_OVERHEAD_BYTES + 1), 0))
            .withMessageContaining("truncated");
    }

    @Test
    void interleavedTimestampsComeOutInOrderKeepingEqualOnesInArrivalOrder() {
        Batcher batcher = new Batcher(100, ShipperSettings.MAX_BATCH_BYTES, DAY);
        // Two threads: A logs a1,a2 at t=10; B took t=5 earlier but queued later; C logs two at t=10 after A.
        LogEvent a1 = event(10, 1);
        LogEvent a2 = event(10, 2);
        LogEvent b = event(5, 3);
        LogEvent c1 = event(10, 4);
        LogEvent c2 = event(10, 5);
        LogEvent d = event(7, 6);
        List<Batch> batches = run(batcher, List.of(a1, a2, b, c1, c2, d));
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).events()).containsExactly(b, d, a1, a2, c1, c2);
    }

    @Test
    void neverSpansTwentyFourHours() {
        Batcher batcher = new Batcher(100, ShipperSettings.MAX_BATCH_BYTES, DAY);
        long start = 1_700_000_000_000L;
        List<LogEvent> events = List.of(event(start, 1), event(start + DAY - 1, 1), event(start + DAY, 1),
                event(start - 1, 1), event(start + 3 * DAY, 1));
        List<Batch> batches = run(batcher, events);
        assertThat(batches).allSatisfy((batch) -> {
            List<LogEvent> inBatch = batch.events();
            assertThat(inBatch.get(inBatch.size() - 1).timestamp() - inBatch.get(0).timestamp()).isLessThan(DAY);
        });
        assertThat(batches.stream().mapToInt(Batch::size).sum()).isEqualTo(events.size());
    }

    @Test
    void outOfOrderEventCannotStretchTheSpanBackwards() {
        Batcher batcher = new Batcher(100, ShipperSettings.MAX_BATCH_BYTES, DAY);
        long start = 1_700_000_000_000L;
        List<Batch> batches = run(batcher, List.of(event(start, 1), event(start - DAY, 1)));
        assertThat(batches).extracting(Batch::size).containsExactly(1, 1);
    }

    /**
     * A slot reused while its batcher still held events (never, if the books are right) keeps those events to be
     * cut, rather than dropping them unsettled (second review).
     */
    @Test
    void aSlotReusedWhileItsBatcherHoldsEventsKeepsThem() {
        ShipperSettings settings = ShipperSettings.builder("group", "stream").build();
        BatcherSlots slots = new BatcherSlots(settings, Long.MAX_VALUE);
        Destination first = new Destination("main", "group", "first", 0);
        Destination second = new Destination("main", "group", "second", 0);
        slots.of(first).add(new LogEvent(System.currentTimeMillis(), new byte[] { 'a' }), 0);
        slots.of(second);
        assertThat(slots.pending()).hasSize(1);
        assertThat(slots.allEmpty()).isFalse();
        slots.pending().get(0).take(0);
        assertThat(slots.allEmpty()).isTrue();
        assertThat(slots.pending()).isEmpty();
    }

}
