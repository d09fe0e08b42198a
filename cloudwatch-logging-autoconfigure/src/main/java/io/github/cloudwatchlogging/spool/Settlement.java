package io.github.cloudwatchlogging.spool;

import java.util.function.LongFunction;

import org.jspecify.annotations.Nullable;

/**
 * Settles or marks records of one batch or event, on one thread. It pins the segment it is working in (so that it
 * cannot be freed meanwhile) and counts what it settled there, handing the count over when it moves to another
 * segment or {@link #finish}es: one pin and one count per segment, not per record.
 */
public final class Settlement {

    private final LongFunction<@Nullable Segment> segments;

    private final Runnable settled;

    private @Nullable Segment segment;

    private int count;

    Settlement(LongFunction<@Nullable Segment> segments, Runnable settled) {
        this.segments = segments;
        this.settled = settled;
    }

    /** The record at {@code position} reached, or gave up on, the destination with this number. */
    public void settle(long position, int destinationId) {
        Segment target = pin(position);
        if (target != null && target.settle((int) position, destinationId)) {
            this.count++;
        }
    }

    /** The record will reach none of its destinations (refused before it was queued). */
    public void settleAll(long position) {
        Segment target = pin(position);
        if (target != null && target.settleAll((int) position)) {
            this.count++;
        }
    }

    /** The record is about to be sent for the first time: the next process counts it a possible duplicate. */
    public void markHandedOver(long position) {
        Segment target = pin(position);
        if (target != null) {
            target.markHandedOver((int) position);
        }
    }

    /** Unpins and hands over the count; to be called once done, also after a failure (use try/finally). */
    public void finish() {
        Segment current = this.segment;
        if (current != null) {
            current.unpin();
            if (this.count > 0) {
                current.recordsSettled(this.count);
                this.settled.run();
            }
        }
        this.segment = null;
        this.count = 0;
    }

    private @Nullable Segment pin(long position) {
        Segment target = (position < 0) ? null : this.segments.apply(position >>> 32);
        if (target == this.segment) {
            return target;
        }
        finish();
        if (target != null && target.pin()) {
            this.segment = target;
            return target;
        }
        return null;
    }

}
