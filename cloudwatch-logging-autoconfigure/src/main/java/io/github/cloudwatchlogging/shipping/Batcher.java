package io.github.cloudwatchlogging.shipping;

import java.util.Arrays;
import java.util.Comparator;

import org.jspecify.annotations.Nullable;

/**
 * Cuts the events of one destination into batches that PutLogEvents accepts as a whole: at most {@code maxEvents} events and
 * {@code maxBytes} bytes (message bytes plus 26 per event), spanning less than 24 hours, in chronological order.
 * <p>
 * Single-threaded and free of I/O: the worker owns the only instance. Events of the same millisecond keep the order
 * in which they were added, so one thread's events stay in the order it logged them within a batch.
 */
final class Batcher {

    private static final Comparator<LogEvent> BY_TIMESTAMP = Comparator.comparingLong(LogEvent::timestamp);

    private final @Nullable Destination destination;

    private final int maxEvents;

    private final long maxBytes;

    private final long maxSpanMillis;

    private final long maxRequestBytes;

    private LogEvent[] pending;

    private int count;

    private long putBytes;

    private long queueBytes;

    private long minTimestamp;

    private long maxTimestamp;

    private boolean inOrder;

    /** When the oldest pending event was added, for the batch delay. */
    private long firstAddedNanos;

    /**
     * @param maxRequestBytes the most a batch's request may cost in heap (see {@link Batch#requestBytes}); a batch of
     * one event is cut whatever its request costs
     */
    Batcher(@Nullable Destination destination, int maxEvents, long maxBytes, long maxSpanMillis,
            long maxRequestBytes) {
        this.destination = destination;
        this.maxRequestBytes = maxRequestBytes;
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.maxSpanMillis = maxSpanMillis;
        // Small to begin with: a shipper may have a batcher for each of up to maxDestinations tenants.
        this.pending = new LogEvent[Math.min(maxEvents, 64)];
    }

    Batcher(int maxEvents, long maxBytes, long maxSpanMillis) {
        this(null, maxEvents, maxBytes, maxSpanMillis, Long.MAX_VALUE);
    }

    static Batcher forSettings(@Nullable Destination destination, ShipperSettings settings, long maxRequestBytes) {
        return new Batcher(destination, settings.maxBatchEvents(), settings.maxBatchBytes(),
                ShipperSettings.MAX_BATCH_SPAN.toMillis(), maxRequestBytes);
    }

    /**
     * Adds an event. When it does not fit beside the pending ones, the pending ones are returned as a batch numbered
     * {@code sequence}, and the event starts the next one.
     * @throws IllegalArgumentException if the event alone exceeds the byte limit (callers truncate first)
     */
    @Nullable Batch add(LogEvent event, long sequence) {
        if (event.putSize() > this.maxBytes) {
            throw new IllegalArgumentException("An event of " + event.putSize() + " bytes cannot fit a batch of "
                    + this.maxBytes + " bytes; it should have been truncated");
        }
        Batch completed = (this.count > 0 && !fits(event)) ? take(sequence) : null;
        append(event);
        return completed;
    }

    /** True when no further event could join the pending ones, not even the smallest. */
    boolean isFull() {
        int smallest = LogEvent.PUT_OVERHEAD_BYTES + 1;
        return this.count == this.maxEvents || this.putBytes + smallest > this.maxBytes
                || Batch.requestBytes(this.putBytes + smallest, this.count + 1) > this.maxRequestBytes;
    }

    /** How many more events would fill the pending ones. */
    int roomForEvents() {
        return this.maxEvents - this.count;
    }

    /** How many more put bytes would fill the pending ones by the call's byte limit. */
    long roomForPutBytes() {
        return this.maxBytes - this.putBytes;
    }

    /** How many more bytes of request (see {@link Batch#requestBytes}) would fill the pending ones. */
    long roomForRequestBytes() {
        return (this.maxRequestBytes == Long.MAX_VALUE) ? Long.MAX_VALUE
                : this.maxRequestBytes - Batch.requestBytes(this.putBytes, this.count);
    }

    boolean isFor(Destination destination) {
        return this.destination == destination;
    }

    /** Whether its destination was closed: then it is empty, and the slot is free for the next one opened. */
    boolean isForClosedDestination() {
        return this.destination != null && this.destination.isClosed();
    }

    boolean isEmpty() {
        return this.count == 0;
    }

    /** When the oldest pending event was added ({@link System#nanoTime}); meaningless while empty. */
    long firstAddedNanos() {
        return this.firstAddedNanos;
    }

    /** Returns the pending events as a batch numbered {@code sequence}, or null when there are none. */
    @Nullable Batch take(long sequence) {
        if (this.count == 0) {
            return null;
        }
        LogEvent[] events = Arrays.copyOf(this.pending, this.count);
        if (!this.inOrder) {
            Arrays.sort(events, BY_TIMESTAMP); // a stable merge sort: equal timestamps keep their order
        }
        Batch batch = new Batch(sequence, this.destination, events, this.putBytes, this.queueBytes);
        Arrays.fill(this.pending, 0, this.count, null);
        this.count = 0;
        this.putBytes = 0;
        this.queueBytes = 0;
        return batch;
    }

    private boolean fits(LogEvent event) {
        long timestamp = event.timestamp();
        return this.count < this.maxEvents && this.putBytes + event.putSize() <= this.maxBytes
                && Batch.requestBytes(this.putBytes + event.putSize(), this.count + 1) <= this.maxRequestBytes
                && Math.max(this.maxTimestamp, timestamp) - Math.min(this.minTimestamp, timestamp) < this.maxSpanMillis;
    }

    private void append(LogEvent event) {
        long timestamp = event.timestamp();
        if (this.count == 0) {
            this.firstAddedNanos = System.nanoTime();
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
