package io.github.cloudwatchlogging.shipping;

/**
 * One encoded event: its timestamp in epoch milliseconds and its message as UTF-8 bytes, never empty and never
 * longer than the per-event limit once it has passed through {@link EventMessages#prepare}.
 */
public final class LogEvent {

    /** What PutLogEvents counts for every event on top of its message bytes. */
    public static final int PUT_OVERHEAD_BYTES = 26;

    /**
     * What one queued event costs in heap beyond its message bytes: the event, its array header and the queue
     * node. The byte budget counts this so that it bounds memory, not just payload.
     */
    public static final int QUEUE_OVERHEAD_BYTES = 64;

    private final long timestamp;

    private final byte[] message;

    public LogEvent(long timestamp, byte[] message) {
        this.timestamp = timestamp;
        this.message = message;
    }

    public long timestamp() {
        return this.timestamp;
    }

    /** The UTF-8 message. The array is shared, not copied: callers must not change it. */
    public byte[] message() {
        return this.message;
    }

    /** Bytes this event adds to a PutLogEvents batch. */
    public int putSize() {
        return this.message.length + PUT_OVERHEAD_BYTES;
    }

    /** Bytes this event takes from the queue budget. */
    public int queueSize() {
        return this.message.length + QUEUE_OVERHEAD_BYTES;
    }

}
