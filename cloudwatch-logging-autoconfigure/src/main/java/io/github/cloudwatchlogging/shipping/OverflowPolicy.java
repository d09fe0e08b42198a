package io.github.cloudwatchlogging.shipping;

/** What happens to a new event when the queue's byte budget is used up. */
public enum OverflowPolicy {

    /** Drop the new event; the logging call returns at once. */
    DROP_NEWEST,

    /** Drop the oldest events still waiting in the queue to make room; the logging call returns at once. */
    DROP_OLDEST,

    /** Wait up to the block timeout for room, then drop the new event. */
    BLOCK

}
