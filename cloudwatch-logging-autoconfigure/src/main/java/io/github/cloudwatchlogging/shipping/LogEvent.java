package io.github.cloudwatchlogging.shipping;

/**
 * One event: its timestamp in epoch milliseconds, its message as UTF-8 bytes (never empty and never longer than the
 * per-event limit once it has passed through {@link EventMessages#prepare}) or, until the worker formats it, a
 * {@link DeferredMessage}, and the destinations it takes. Immutable: an event that takes several destinations is the
 * same object in a batch of each. Four fields, 32 bytes: a backlog holds one per event; an event in the spool is a
 * {@link Spooled}, which adds where its record is.
 */
public sealed class LogEvent permits LogEvent.Spooled {

    /** What PutLogEvents counts for every event on top of its message bytes. */
    public static final int PUT_OVERHEAD_BYTES = 26;

    /**
     * What one queued event costs in heap beyond its message bytes: the event (32, or 40 spooled), its array's
     * header (16) and the queue node (24), rounded up; measured by the benchmarks' retained-heap figure. The byte
     * budget counts this so that it bounds memory, not just payload.
     */
    public static final int QUEUE_OVERHEAD_BYTES = 80;

    private static final Destination[] NONE = new Destination[0];

    private static final byte[] NOT_YET_FORMATTED = new byte[0];

    private final long timestamp;

    /** The UTF-8 message, or the {@link DeferredMessage} that makes it. */
    private final Object message;

    private final Destination[] targets;

    private final int queueSize;

    public LogEvent(long timestamp, byte[] message) {
        this(timestamp, message, NONE, message.length + QUEUE_OVERHEAD_BYTES);
    }

    LogEvent(long timestamp, byte[] message, Destination[] targets) {
        this(timestamp, message, targets, message.length + QUEUE_OVERHEAD_BYTES);
    }

    /**
     * An event whose message the worker formats; it takes {@code estimatedBytes} of the budget until then, and what
     * the message takes after.
     */
    LogEvent(long timestamp, DeferredMessage message, int estimatedBytes, Destination[] targets) {
        this(timestamp, message, targets, estimatedBytes + QUEUE_OVERHEAD_BYTES);
    }

    private LogEvent(long timestamp, Object message, Destination[] targets, int queueSize) {
        this.timestamp = timestamp;
        this.message = message;
        this.targets = targets;
        this.queueSize = queueSize;
    }

    /** An event whose record is in the spool at {@code spoolPosition}. */
    static LogEvent spooled(long timestamp, byte[] message, Destination[] targets, long spoolPosition) {
        return new Spooled(timestamp, message, targets, message.length + QUEUE_OVERHEAD_BYTES, spoolPosition);
    }

    /**
     * The same event with another message, counted in the budget at what it reserved or at what the replacement
     * takes, the larger; the caller charges the budget for the difference.
     */
    LogEvent withMessage(byte[] replacement) {
        return withMessage(replacement, Math.max(this.queueSize, replacement.length + QUEUE_OVERHEAD_BYTES));
    }

    /**
     * A deferred event once formatted, counted at what its message takes (more or less than the estimate); the
     * caller charges or gives back the difference.
     */
    LogEvent formatted(byte[] message) {
        return withMessage(message, message.length + QUEUE_OVERHEAD_BYTES);
    }

    LogEvent withMessage(byte[] replacement, int queueSize) {
        return new LogEvent(this.timestamp, replacement, this.targets, queueSize);
    }

    /** Where its record is in the spool; negative when it has none. */
    long spoolPosition() {
        return -1;
    }

    final boolean isSpooled() {
        return spoolPosition() >= 0;
    }

    /** Whether its message is still to be formatted, by {@link #deferred()}. */
    final boolean isDeferred() {
        return this.message instanceof DeferredMessage;
    }

    final DeferredMessage deferred() {
        return (DeferredMessage) this.message;
    }

    public final long timestamp() {
        return this.timestamp;
    }

    /**
     * The UTF-8 message (empty while it is deferred: the worker formats it before anything reads it). The array is
     * shared, not copied: callers must not change it.
     */
    public final byte[] message() {
        return (this.message instanceof byte[] bytes) ? bytes : NOT_YET_FORMATTED;
    }

    /** The destinations it takes. Shared, not copied. */
    final Destination[] targets() {
        return this.targets;
    }

    /** Bytes this event adds to a PutLogEvents batch. */
    public final int putSize() {
        return message().length + PUT_OVERHEAD_BYTES;
    }

    /** Bytes this event takes from the queue budget for each destination it takes. */
    public final int queueSize() {
        return this.queueSize;
    }

    /** Bytes it takes from the budget in all: once for each destination, since each settles on its own. */
    final long reservedBytes() {
        return (long) this.queueSize * this.targets.length;
    }

    /** An event the spool holds too: it settles its record there when it settles. */
    static final class Spooled extends LogEvent {

        private final long spoolPosition;

        Spooled(long timestamp, byte[] message, Destination[] targets, int queueSize, long spoolPosition) {
            super(timestamp, message, targets, queueSize);
            this.spoolPosition = spoolPosition;
        }

        @Override
        long spoolPosition() {
            return this.spoolPosition;
        }

        @Override
        LogEvent withMessage(byte[] replacement, int queueSize) {
            return new Spooled(timestamp(), replacement, targets(), queueSize, this.spoolPosition);
        }

    }

}
