package io.github.cloudwatchlogging.shipping;

import io.github.cloudwatchlogging.spool.Spool;
import org.jspecify.annotations.Nullable;

/**
 * What a logging call does in the shipper: the message cut to the per-event limit, the event counted in each of its
 * destinations' books, written to the spool when there is one, and queued, or counted as refused with its reason.
 * It never touches the network and never waits but under {@link OverflowPolicy#BLOCK}, for one block timeout in all.
 */
final class EventIntake {

    private final int maxEventBytes;

    private final @Nullable ShipperSpool spool;

    private final EventQueue queue;

    /** The block timeout under {@link OverflowPolicy#BLOCK}, else 0. */
    private final long blockNanos;

    EventIntake(ShipperSettings settings, @Nullable ShipperSpool spool, EventQueue queue) {
        this.maxEventBytes = settings.maxEventBytes();
        this.spool = spool;
        this.queue = queue;
        this.blockNanos = (settings.overflowPolicy() == OverflowPolicy.BLOCK) ? settings.blockTimeout().toNanos() : 0;
    }

    /** See {@link LogShipper#offer(long, byte[], Destination[])}. */
    boolean offer(long timestamp, byte[] utf8Message, Destination[] targets) {
        if (targets.length == 0) {
            return false; // nowhere to go, and no destination's books to count it in
        }
        byte[] message = EventMessages.prepare(utf8Message, this.maxEventBytes);
        boolean truncated = EventMessages.isTruncated(message, utf8Message);
        for (Destination target : targets) {
            target.books().accepted();
            if (truncated) {
                target.books().truncated();
            }
        }
        long position = -1;
        long blockNanos = this.blockNanos;
        if (this.spool != null) {
            long started = (blockNanos > 0) ? System.nanoTime() : 0;
            position = this.spool.append(timestamp, message, targets);
            if (position == Spool.FULL) {
                for (Destination target : targets) {
                    target.books().refused(DropReason.SPOOL_FULL);
                }
                return false;
            }
            if (blockNanos > 0) {
                blockNanos = Math.max(0, blockNanos - (System.nanoTime() - started)); // one block timeout in all
            }
        }
        return enqueue((position >= 0) ? LogEvent.spooled(timestamp, message, targets, position)
                : new LogEvent(timestamp, message, targets), position, blockNanos);
    }

    /**
     * See {@link LogShipper#offer(long, DeferredMessage, int, Destination[])}. Formatted now, on the calling thread,
     * with a spool (its record must be written before the call returns, to survive a crash) and when it holds more
     * than the per-event limit (formatted, it is cut to the limit; held, it would take more than it is charged).
     */
    boolean offer(long timestamp, DeferredMessage message, int estimatedBytes, Destination[] targets) {
        if (targets.length == 0) {
            return false;
        }
        if (this.spool != null || estimatedBytes > this.maxEventBytes) {
            return offer(timestamp, message.encode(), targets);
        }
        for (Destination target : targets) {
            target.books().accepted(); // truncated, if it is, is counted when the worker formats it
        }
        return enqueue(new LogEvent(timestamp, message, Math.max(1, estimatedBytes), targets), -1, this.blockNanos);
    }

    /** Queues an event its destinations counted accepted, or counts it refused with the reason. */
    private boolean enqueue(LogEvent event, long position, long blockNanos) {
        DropReason refused;
        try {
            refused = this.queue.offer(event, blockNanos);
        }
        catch (RuntimeException | Error ex) {
            // Counted as accepted already: left so, it would never settle, and its destination never close.
            refused = DropReason.FAILED;
        }
        if (refused == null) {
            return true;
        }
        if (position >= 0) {
            this.spool.refused(position);
        }
        for (Destination target : event.targets()) {
            target.books().refused(refused);
        }
        return false;
    }

}
