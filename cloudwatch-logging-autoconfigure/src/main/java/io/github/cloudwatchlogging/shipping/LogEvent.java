package io.github.cloudwatchlogging.shipping;

/**
 * One encoded event: its timestamp in epoch milliseconds, its message as UTF-8 bytes (never empty and never longer
 * than the per-event limit once it has passed through {@link EventMessages#prepare}) and the destinations it takes.
 * Immutable: an event that takes several destinations is the same object in a batch of each.
 */
public final class LogEvent {

    /** What PutLogEvents counts for every event on top of its message bytes. */
    public static final int PUT_OVERHEAD_BYTES = 26;

    /**
     * What one queued event costs in heap beyond its message bytes: the event (40), its array's header (16) and
     * the queue node (24); measured by the benchmarks' retained-heap figure. The byte
     * budget counts this so that it bounds memory, not just payload.
     */
    public static final int QUEUE_OVERHEAD_BYTES = 80;

    private static final Destination[] NONE = new Destination[0];

    private final long timestamp;

    private final byte[] message;

    private final Destination[] targets;

    private final int queueSize;

    /** Where its record is in the spool, or a negative number when it is in memory only. */
    private final long spoolPosition;

    public LogEvent(long timestamp, byte[] message) {
        this(timestamp, message, NONE, message.length + QUEUE_OVERHEAD_BYTES, -1);
    }

    LogEvent(long timestamp, byte[] message, Destination[] targets) {
        this(timestamp, message, targets, message.length + QUEUE_OVERHEAD_BYTES, -1);
    }

    LogEvent(long timestamp, byte[] message, Destination[] targets, long spoolPosition) {
        this(timestamp, message, targets, message.length + QUEUE_OVERHEAD_BYTES, spoolPosition);
    }

    private LogEvent(long timestamp, byte[] message, Destination[] targets, int queueSize, long spoolPosition) {
        this.timestamp = timestamp;
        this.message = message;
        this.targets = targets;
        this.queueSize = queueSize;
        this.spoolPosition = spoolPosition;
    }

    /**
     * The same event with another message, counted in the budget at what it reserved or at what the replacement
     * takes, the larger; the caller charges the budget for the difference.
     */
    LogEvent withMessage(byte[] replacement) {
        return new LogEvent(this.timestamp, replacement, this.targets,
                Math.max(this.queueSize, replacement.length + QUEUE_OVERHEAD_BYTES), this.spoolPosition);
    }

    /** Where its record is in the spool; negative when it has none. */
    long spoolPosition() {
        return this.spoolPosition;
    }

    boolean isSpooled() {
        return this.spoolPosition >= 0;
    }

    public long timestamp() {
        return this.timestamp;
    }

    /** The UTF-8 message. The array is shared, not copied: callers must not change it. */
    public byte[] message() {
        return this.message;
    }

    /** The destinations it takes. Shared, not copied. */
    Destination[] targets() {
        return this.targets;
    }

    /** Bytes this event adds to a PutLogEvents batch. */
    public int putSize() {
        return this.message.length + PUT_OVERHEAD_BYTES;
    }

    /** Bytes this event takes from the queue budget for each destination it takes. */
    public int queueSize() {
        return this.queueSize;
    }

    /** Bytes it takes from the budget in all: once for each destination, since each settles on its own. */
    long reservedBytes() {
        return (long) this.queueSize * this.targets.length;
    }

}
