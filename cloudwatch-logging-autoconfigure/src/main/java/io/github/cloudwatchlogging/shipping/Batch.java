package io.github.cloudwatchlogging.shipping;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The events of one PutLogEvents call, in chronological order, within every limit of the call. Settled exactly
 * once: by the sender when the call ends, or by shutdown when the timeout runs out first.
 */
public final class Batch {

    private final long sequence;

    private final LogEvent[] events;

    private final long putBytes;

    private final long queueBytes;

    private final AtomicBoolean settled = new AtomicBoolean();

    Batch(long sequence, LogEvent[] events, long putBytes, long queueBytes) {
        this.sequence = sequence;
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
        return new Batch(0, events.clone(), putBytes, queueBytes);
    }

    /** The order in which the worker cut this batch. */
    public long sequence() {
        return this.sequence;
    }

    public List<LogEvent> events() {
        return Collections.unmodifiableList(Arrays.asList(this.events));
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

    /** True for the one caller that settles this batch; false for every later one. */
    boolean settle() {
        return this.settled.compareAndSet(false, true);
    }

}
