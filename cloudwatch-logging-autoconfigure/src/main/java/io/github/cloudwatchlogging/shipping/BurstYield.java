package io.github.cloudwatchlogging.shipping;

import java.util.concurrent.TimeUnit;

/**
 * Whether the worker should leave the cores to the application's threads for a moment: they are logging a burst
 * (the queue grew by {@link #BURST_EVENTS_PER_MILLI} events a millisecond or more since the worker last looked;
 * an event for several destinations counts once for each), what waits takes less than half of what events may take
 * of the budget, and the worker has not yielded for half the batch delay already. A run of yields that reached half
 * the delay ends with one round of work, after which a burst still under way may be yielded to again, as long: the
 * worker's work is put off by at most half the batch delay at a time, and never while what waits takes half the
 * budget. On a machine of few cores, the worker formatting and cutting batches and the senders
 * sending them while a burst is still being logged slow every logging call down (issue 15: a burst from one thread
 * ran at a third of a peer's speed); their work waits for the burst to end instead, within half the batch delay and
 * half the memory. Flushes and stops never wait. Only the worker thread uses it.
 */
final class BurstYield {

    /** How long the worker parks each time it yields. */
    static final long YIELD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** 100,000 events a second and more: logging that outpaces any one call to CloudWatch Logs. */
    static final long BURST_EVENTS_PER_MILLI = 100;

    private final long longestNanos;

    private long lastWaiting;

    private long lastLookedNanos = System.nanoTime();

    /** When the current run of yields began, or {@link Long#MAX_VALUE} when the worker is not yielding. */
    private long yieldingSince = Long.MAX_VALUE;

    BurstYield(ShipperSettings settings) {
        this.longestNanos = settings.batchDelay().toNanos() / 2;
    }

    /**
     * @param waiting the events waiting in the queue now
     * @param eventBytes what events take of the budget now
     * @param admissionBytes what events may take of it
     */
    boolean shouldYield(long waiting, long eventBytes, long admissionBytes) {
        if (this.longestNanos < YIELD_NANOS) {
            return false; // a batch delay under 2 ms leaves no room to yield within half of it
        }
        long now = System.nanoTime();
        long elapsedMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(now - this.lastLookedNanos));
        boolean bursting = waiting - this.lastWaiting >= BURST_EVENTS_PER_MILLI * elapsedMillis;
        this.lastWaiting = waiting;
        this.lastLookedNanos = now;
        boolean yielding = bursting && eventBytes < admissionBytes / 2
                && (this.yieldingSince == Long.MAX_VALUE || now - this.yieldingSince < this.longestNanos);
        if (!yielding) {
            this.yieldingSince = Long.MAX_VALUE;
        }
        else if (this.yieldingSince == Long.MAX_VALUE) {
            this.yieldingSince = now;
        }
        return yielding;
    }

    /** The worker drained the queue: what waits now is the base the next growth is measured from. */
    void drained(long waiting) {
        this.lastWaiting = waiting;
    }

}
