package io.github.cloudwatchlogging.shipping;

import java.util.Arrays;
import java.util.Comparator;

import org.jspecify.annotations.Nullable;

/**
 * Cuts events into batches that PutLogEvents accepts as a whole: at most {@code maxEvents} events and
 * {@code maxBytes} bytes (message bytes plus 26 per event), spanning less than 24 hours, in chronological order.
 * <p>
 * Single-threaded and free of I/O: the worker owns the only instance. Events of the same millisecond keep the order
 * in which they were added, so one thread's events stay in the order it logged them within a batch.
 */
final class Batcher {

    private static final Comparator<LogEvent> BY_TIMESTAMP = Comparator.comparingLong(LogEvent::timestamp);

    private final int maxEvents;

    private final long maxBytes;

    private final long maxSpanMillis;

    private LogEvent[] pending;

    private int count;

    private long putBytes;

    private long queueBytes;

    private long minTimestamp;

    private long maxTimestamp;

    private boolean inOrder;

    private long nextSequence;

    Batcher(int maxEvents, long maxBytes, long maxSpanMillis) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.maxSpanMillis = maxSpanMillis;
        this.pending = new LogEvent[Math.min(maxEvents, 1024)];
    }

    static Batcher forSettings(ShipperSettings settings) {
        return new Batcher(settings.maxBatchEvents(), settings.maxBatchBytes(),
                ShipperSettings.MAX_BATCH_SPAN.toMillis());
    }

    /**
     * Adds an event. When it does not fit beside the pending ones, the pending ones are returned as a batch and the
     * event starts the next one.
     * @throws IllegalArgumentException if the event alone exceeds the byte limit (callers truncate first)
     */
    @Nullable Batch add(LogEvent event) {
        if (event.putSize() > this.maxBytes) {
            throw new IllegalArgumentException("An event of " + event.putSize() + " bytes cannot fit a batch of "
                    + this.maxBytes + " bytes; it should have been truncated");
        }
        Batch completed = (this.count > 0 && !fits(event)) ? take() : null;
        append(event);
        return completed;
    }

    /** True when no further event could join the pending ones. */
    boolean isFull() {
        return this.count == this.maxEvents || this.maxBytes - this.putBytes < LogEvent.PUT_OVERHEAD_BYTES + 1;
    }

    /** Returns the pending events as a batch, or null when there are none. */
    @Nullable Batch take() {
        if (this.count == 0) {
            return null;
        }
        LogEvent[] events = Arrays.copyOf(this.pending, this.count);
        if (!this.inOrder) {
            Arrays.sort(events, BY_TIMESTAMP); // a stable merge sort: equal timestamps keep their order
        }
        Batch batch = new Batch(this.nextSequence++, events, this.putBytes, this.queueBytes);
        Arrays.fill(this.pending, 0, this.count, null);
        this.count = 0;
        this.putBytes = 0;
        this.queueBytes = 0;
        return batch;
    }

    private boolean fits(LogEvent event) {
        long timestamp = event.timestamp();
        return this.count < this.maxEvents && this.putBytes + event.putSize() <= this.maxBytes
                && Math.max(this.maxTimestamp, timestamp) - Math.min(this.minTimestamp, timestamp) < this.maxSpanMillis;
    }

    private void append(LogEvent event) {
        long timestamp = event.timestamp();
        if (this.count == 0) {
            this.minTimestamp = timestamp;
            this.maxTimestamp = timestamp;
            this.inOrder = true;
        }
        else {
            this.inOrder &= timestamp >= this.maxTimestamp;
            this.minTimestamp = Math.min(this.minTimestamp, timestamp);
            this.maxTimestamp = Math.max(this.maxTimestamp, timestamp);
        }
        if (this.count == this.pending.length) {
            this.pending = Arrays.copyOf(this.pending, Math.min(this.maxEvents, this.pending.length * 2));
        }
        this.pending[this.count++] = event;
        this.putBytes += event.putSize();
        this.queueBytes += event.queueSize();
    }

}
