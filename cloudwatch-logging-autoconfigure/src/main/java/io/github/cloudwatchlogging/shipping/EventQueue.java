package io.github.cloudwatchlogging.shipping;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * The one queue between logging threads and the worker. Admission is decided by the {@link Budget} alone.
 * <p>
 * A logging call first announces its event in {@link #waiting} (count and bytes of the events not yet drained),
 * then reserves its budget, then enqueues it. Announcing first is what lets the worker leave safely at stop: once
 * the budget is closed no reservation succeeds, and an event that was reserved before is announced until the worker
 * has drained it. The announcement also drives the wake-up: a call wakes the worker only when the waiting events
 * reach what the worker said would complete a batch, never for every event.
 */
final class EventQueue {

    private static final int COUNT_SHIFT = 40;

    private static final long BYTES_MASK = (1L << COUNT_SHIFT) - 1;

    private final ConcurrentLinkedQueue<LogEvent> events = new ConcurrentLinkedQueue<>();

    /** Packed count and reserved bytes of the events announced and not yet drained or evicted. */
    private final AtomicLong waiting = new AtomicLong();

    /** Packed count and put bytes of waiting events that would complete a batch; set by the worker. */
    private volatile long wakeThreshold;

    private final AtomicInteger blockedProducers = new AtomicInteger();

    private final Object space = new Object();

    private final Budget budget;

    private final Ledger ledger;

    private final OverflowPolicy policy;

    private final long blockTimeoutNanos;

    private final Runnable wakeWorker;

    EventQueue(ShipperSettings settings, Budget budget, Ledger ledger, Runnable wakeWorker) {
        this.budget = budget;
        this.ledger = ledger;
        this.policy = settings.overflowPolicy();
        this.blockTimeoutNanos = settings.blockTimeout().toNanos();
        this.wakeWorker = wakeWorker;
        this.wakeThreshold = pack(settings.maxBatchEvents(), settings.maxBatchBytes());
    }

    /** Queues the event, or returns why it could not; never waits longer than the block timeout. */
    @Nullable DropReason offer(LogEvent event) {
        if (this.budget.isClosed()) {
            return DropReason.NOT_RUNNING;
        }
        long bytes = event.reservedBytes();
        if (bytes > this.budget.admissionBytes()) {
            return DropReason.LARGER_THAN_QUEUE;
        }
        if (tryAdmit(event)) {
            return null;
        }
        if (this.budget.isClosed()) {
            return DropReason.NOT_RUNNING;
        }
        return switch (this.policy) {
            case DROP_NEWEST -> DropReason.QUEUE_FULL;
            case DROP_OLDEST -> evictAndOffer(event);
            case BLOCK -> waitAndOffer(event);
        };
    }

    /** Announce, reserve, enqueue; nothing in between can block. */
    private boolean tryAdmit(LogEvent event) {
        long announced = pack(event.targets().length, event.reservedBytes());
        long before = this.waiting.getAndAdd(announced);
        if (!this.budget.tryReserve(event.targets().length, event.reservedBytes())) {
            long after = this.waiting.addAndGet(-announced);
            // A call that announced after this one did not wake the worker, since this announcement already made
            // the threshold look reached: if the others still reach it, the wake-up is this call's to give.
            if (reaches(after, this.wakeThreshold)) {
                this.wakeWorker.run();
            }
            return false;
        }
        this.events.add(event);
        if (crosses(before, before + announced, this.wakeThreshold)) {
            this.wakeWorker.run();
        }
        return true;
    }

    /**
     * Moves up to {@code into.length} waiting events into the array, oldest first; returns how many. Their budget
     * stays reserved until their batches are settled.
     */
    int drainTo(LogEvent[] into) {
        int count = 0;
        long announced = 0;
        LogEvent event;
        while (count < into.length && (event = this.events.poll()) != null) {
            into[count++] = event;
            announced += pack(event.targets().length, event.reservedBytes());
        }
        if (count > 0) {
            this.waiting.addAndGet(-announced);
        }
        return count;
    }

    /** Refuses all further events and wakes producers blocked for room. */
    void close() {
        this.budget.close();
        synchronized (this.space) {
            this.space.notifyAll();
        }
    }

    /** Events announced and not yet drained: reserved ones among them are still to come out of the queue. */
    long waitingEvents() {
        return count(this.waiting.get());
    }

    /**
     * The worker says how many more waiting events, or bytes of them, would complete a batch; a logging call that
     * reaches it wakes the worker. Returns whether the waiting events reach it already, so that the worker does
     * not park on a wake-up that came before it spoke.
     */
    boolean setWakeThreshold(long events, long putBytes) {
        long threshold = pack(Math.max(1, events), Math.max(1, putBytes));
        this.wakeThreshold = threshold;
        return reaches(this.waiting.get(), threshold);
    }

    /** Lets producers blocked for room retry; called after settled events gave back their budget. */
    void signalSpace() {
        if (this.blockedProducers.get() > 0) {
            synchronized (this.space) {
                this.space.notifyAll();
            }
        }
    }

    /**
     * Evicts the oldest waiting events one by one until the new one fits. When even evicting every waiting event
     * could not make room, because what is batched or in flight takes the rest, it evicts nothing and refuses the
     * new event instead: losing both would help no one.
     */
    private @Nullable DropReason evictAndOffer(LogEvent event) {
        while (!tryAdmit(event)) {
            long held = this.budget.eventBytes() - bytes(this.waiting.get());
            if (held + event.reservedBytes() > this.budget.admissionBytes()) {
                return DropReason.QUEUE_FULL;
            }
            LogEvent oldest = this.events.poll();
            if (oldest == null) {
                return DropReason.QUEUE_FULL;
            }
            this.waiting.addAndGet(-pack(oldest.targets().length, oldest.reservedBytes()));
            this.ledger.settleEvicted(oldest);
        }
        return null;
    }

    private @Nullable DropReason waitAndOffer(LogEvent event) {
        long deadline = System.nanoTime() + this.blockTimeoutNanos;
        this.blockedProducers.incrementAndGet();
        try {
            synchronized (this.space) {
                while (!tryAdmit(event)) {
                    if (this.budget.isClosed()) {
                        return DropReason.NOT_RUNNING;
                    }
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return DropReason.BLOCK_TIMEOUT;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this.space, remaining);
                }
                return null;
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return DropReason.BLOCK_TIMEOUT;
        }
        finally {
            this.blockedProducers.decrementAndGet();
        }
    }

    private static boolean crosses(long before, long after, long threshold) {
        return !reaches(before, threshold) && reaches(after, threshold);
    }

    private static boolean reaches(long waiting, long threshold) {
        long putBytes = bytes(waiting) - count(waiting) * (LogEvent.QUEUE_OVERHEAD_BYTES - LogEvent.PUT_OVERHEAD_BYTES);
        return count(waiting) >= count(threshold) || putBytes >= bytes(threshold);
    }

    private static long pack(long count, long bytes) {
        return (count << COUNT_SHIFT) + bytes;
    }

    private static long count(long packed) {
        return packed >>> COUNT_SHIFT;
    }

    private static long bytes(long packed) {
        return packed & BYTES_MASK;
    }

}
