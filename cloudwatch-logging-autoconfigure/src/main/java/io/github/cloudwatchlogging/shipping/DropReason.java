package io.github.cloudwatchlogging.shipping;

/** Why the shipper itself gave up on an event. */
public enum DropReason {

    /** The queue was full and the policy drops the newest event. */
    QUEUE_FULL,

    /** The queue was full and the policy evicted this older event for a newer one. */
    EVICTED,

    /** The queue stayed full for the whole block timeout. */
    BLOCK_TIMEOUT,

    /** The event alone is larger than the whole queue budget. */
    LARGER_THAN_QUEUE,

    /** The event arrived while the shipper was not running (before start or after stop). */
    NOT_RUNNING,

    /** The event was still undelivered when the shutdown timeout ran out. */
    SHUTDOWN_TIMEOUT,

    /** The shipper failed to batch the event: an internal error, reported with its stack trace. */
    FAILED,

    /** The spool was at its capacity (the overflow policy applied to it). */
    SPOOL_FULL,

    /**
     * Not lost: still undelivered when the shutdown timeout ran out (or the shipper stopped before recovery
     * queued it), and kept in the spool, which the next process started on the same directory ships.
     */
    LEFT_IN_SPOOL;

    /** Whether events dropped for this reason were refused by the logging call itself, never queued. */
    public boolean beforeQueueing() {
        return this != EVICTED && this != SHUTDOWN_TIMEOUT && this != FAILED && this != LEFT_IN_SPOOL;
    }

}
