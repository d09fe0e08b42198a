package io.github.cloudwatchlogging.shipping;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The events of one PutLogEvents call to one destination, in chronological order, within every limit of the call.
 * Settled exactly once: by the sender when the call ends, or by shutdown when the timeout runs out first. The
 * request a sender builds for it is kept here, so that a retry sends the same request without building it again.
 */
public final class Batch {

    /** What the SDK's event object and its references cost in a built request, beyond the message copies. */
    static final long REQUEST_OVERHEAD_BYTES = 96;

    private final long sequence;

    private final @Nullable Destination destination;

    private final LogEvent[] events;

    private final long putBytes;

    private final long queueBytes;

    private final AtomicBoolean settled = new AtomicBoolean();

    /** Budget charged for the request while the batch is in flight; set by the worker before it is sent. */
    private long requestBytes;

    /** Only the one sender thread that delivers the batch reads and writes it. */
    private @Nullable Object request;

    Batch(long sequence, @Nullable Destination destination, LogEvent[] events, long putBytes, long queueBytes) {
        this.sequence = sequence;
        this.destination = destination;
        this.events = events;
        this.putBytes = putBytes;
        this.queueBytes = queueBytes;
    }

    /** Creates a batch outside the shipper, for a sender's tests; the events must already be in order. */
    public static Batch of(LogEvent... events) {
        long putBytes = 0;
        long queueBytes = 0;
        for (LogEvent event : events) {
            putBytes += event.putSize();
            queueBytes += event.queueSize();
        }
        return new Batch(0, null, events.clone(), putBytes, queueBytes);
    }

    /** The order in which the worker cut this batch, across all destinations. */
    public long sequence() {
        return this.sequence;
    }

    /** Where it goes; null for a batch made outside the shipper, which goes where the sender's settings say. */
    public @Nullable Destination destination() {
        return this.destination;
    }

    public List<LogEvent> events() {
        return Collections.unmodifiableList(Arrays.asList(this.events));
    }

    /** The events themselves, not a copy: for the shipper's own loops, which change nothing. */
    LogEvent[] eventArray() {
        return this.events;
    }

    public int size() {
        return this.events.length;
    }

    /** What PutLogEvents counts for this batch: message bytes plus 26 per event. */
    public long putBytes() {
        return this.putBytes;
    }

    long queueBytes() {
        return this.queueBytes;
    }

    /**
     * The request a sender made of this batch, made by {@code build} on the first call only, so that retries
     * reuse it. Called only by the sender thread that delivers the batch.
     */
    public <T> T request(Class<T> type, Function<Batch, T> build) {
        Object current = this.request;
        if (!type.isInstance(current)) {
            current = build.apply(this);
            this.request = current;
        }
        return type.cast(current);
    }

    /**
     * What the built request costs in heap, at most: each message again as a String (up to two bytes a character),
     * the SDK's event object, and the serialized body of a call under way.
     */
    long estimatedRequestBytes() {
        return requestBytes(this.putBytes, this.events.length);
    }

    static long requestBytes(long putBytes, int events) {
        return 3 * putBytes + REQUEST_OVERHEAD_BYTES * events;
    }

    long requestBytes() {
        return this.requestBytes;
    }

    void chargeRequest(long bytes) {
        this.requestBytes = bytes;
    }

    boolean isSettled() {
        return this.settled.get();
    }

    /** True for the one caller that settles this batch; false for every later one. */
    boolean settle() {
        return this.settled.compareAndSet(false, true);
    }

}
