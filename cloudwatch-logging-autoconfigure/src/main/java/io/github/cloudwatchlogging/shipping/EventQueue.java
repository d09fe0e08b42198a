package io.github.cloudwatchlogging.shipping;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.jspecify.annotations.Nullable;

/**
 * The one queue between logging threads and the worker. Admission is decided by the {@link Budget} alone.
 * <p>
 * A logging call first announces its event in {@link #waiting} (count and bytes of the events not yet drained),
 * then reserves its budget, then enqueues it. Announcing first is what lets the worker leave safely at stop: once
 * the budget is closed no reservation succeeds, and an event that was reserved before is announced until the worker
 * has drained it. The announcement also drives the wake-up: a call wakes the worker only when the worker is parked
 * and the waiting events reach what it said would complete a batch, never for every event.
 */
final class EventQueue {

    /** How often the waiting events are looked at again for one a call announced and has not enqueued yet. */
    static final long ANNOUNCED_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private static final int COUNT_SHIFT = 40;

    private static final long BYTES_MASK = (1L << COUNT_SHIFT) - 1;

    private final ConcurrentLinkedQueue<LogEvent> events = new ConcurrentLinkedQueue<>();

    /** Packed count and reserved bytes of the events announced and not yet drained or evicted. */
    private final AtomicLong waiting = new AtomicLong();

    /** What waiting events would complete the batch the worker is filling; set by the worker before it parks. */
    private volatile WakeThreshold wakeThreshold;

    /** Whether the worker is parked waiting for {@link #wakeThreshold}; whoever wakes it clears it. */
    private final AtomicBoolean workerParked = new AtomicBoolean();

    private final AtomicInteger blockedProducers = new AtomicInteger();

    private final Object space = new Object();

    /**
     * Evictions (read side, so that evicting threads never wait for each other) and close() (write side) exclude
     * each other: an event is never evicted after the stop began.
     */
    private final ReentrantReadWriteLock evictions = new ReentrantReadWriteLock();

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
        this.wakeThreshold = new WakeThreshold(settings.maxBatchEvents(), settings.maxBatchBytes(), Long.MAX_VALUE);
    }

    /** Queues the event, or returns why it could not; never waits longer than the block timeout. */
    @Nullable DropReason offer(LogEvent event) {
        return offer(event, this.blockTimeoutNanos);
    }

    /**
     * The same, waiting at most {@code blockNanos} under {@link OverflowPolicy#BLOCK}: what is left of the block
     * timeout once the spool had its wait.
     */
    @Nullable DropReason offer(LogEvent event, long blockNanos) {
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
            case BLOCK -> waitAndOffer(event, blockNanos);
        };
    }

    /**
     * Queues an event the spool recovered, waiting for room as long as it takes; refused only once the queue is
     * closed, or when the event alone is larger than the budget.
     */
    @Nullable DropReason offerRecovered(LogEvent event) {
        if (event.reservedBytes() > this.budget.admissionBytes()) {
            return DropReason.LARGER_THAN_QUEUE;
        }
        return waitAndOffer(event, Long.MAX_VALUE);
    }

    /** Announce, reserve, enqueue; nothing in between can block. */
    private boolean tryAdmit(LogEvent event) {
        long announced = pack(event.targets().length, event.reservedBytes());
        long waitingNow = this.waiting.getAndAdd(announced) + announced;
        if (!this.budget.tryReserve(event.targets().length, event.reservedBytes())) {
            this.waiting.addAndGet(-announced);
            return false;
        }
        try {
            this.events.add(event);
        }
        catch (RuntimeException | Error ex) {
            // Not queued (no memory for the node): what it reserved and announced is given back, so that the caller
            // may count it refused and the worker's count of waiting events stays true.
            this.budget.release(event.targets().length, event.reservedBytes());
            this.waiting.addAndGet(-announced);
            throw ex;
        }
        // Only a parked worker is woken, once: a call never pays for a wake-up nobody waits for.
        if (this.workerParked.get() && this.wakeThreshold.isReachedBy(waitingNow)
                && this.workerParked.compareAndSet(true, false)) {
            try {
                this.wakeWorker.run();
            }
            catch (RuntimeException | Error ex) {
                // Queued already, so the caller must not count it refused; the next call tries the wake-up again.
                this.workerParked.set(true);
            }
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

    /**
     * After a stop that gave up (or a shipper never started): counts every waiting event undelivered, waiting a
     * little for calls that reserved before the stop and have not enqueued yet (a few instructions each, unless
     * their thread is descheduled).
     */
    void settleAllWaiting(DropReason reason, long waitNanos) {
        LogEvent[] chunk = new LogEvent[256];
        long giveUp = System.nanoTime() + waitNanos;
        while (waitingEvents() > 0 && System.nanoTime() - giveUp < 0) {
            int count = drainTo(chunk);
            for (int i = 0; i < count; i++) {
                this.ledger.settleUnbatched(chunk[i], reason);
                chunk[i] = null;
            }
            if (count == 0) {
                LockSupport.parkNanos(ANNOUNCED_POLL_NANOS);
            }
        }
    }

    /** Refuses all further events and wakes producers blocked for room. */
    void close() {
        this.evictions.writeLock().lock();
        try {
            this.budget.close();
        }
        finally {
            this.evictions.writeLock().unlock();
        }
        synchronized (this.space) {
            this.space.notifyAll();
        }
    }

    /** Events announced and not yet drained: reserved ones among them are still to come out of the queue. */
    long waitingEvents() {
        return count(this.waiting.get());
    }

    /**
     * The worker is about to park until the waiting events reach the threshold (what would complete the batch it is
     * filling); the first logging call that sees them reach it wakes the worker. Returns whether they reach it
     * already, so that the worker does not park on events announced before it spoke.
     */
    boolean prepareToPark(WakeThreshold threshold) {
        this.wakeThreshold = threshold;
        this.workerParked.set(true);
        return threshold.isReachedBy(this.waiting.get());
    }

    /** The worker is awake again: no call needs to wake it. */
    void workerAwake() {
        this.workerParked.set(false);
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
            // Under the lock close() takes too: once the stop began, what waits is the stop's to deliver.
            this.evictions.readLock().lock();
            try {
                if (this.budget.isClosed()) {
                    return DropReason.NOT_RUNNING;
                }
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
            finally {
                this.evictions.readLock().unlock();
            }
        }
        return null;
    }

    private @Nullable DropReason waitAndOffer(LogEvent event, long timeoutNanos) {
        long start = System.nanoTime();
        this.blockedProducers.incrementAndGet();
        try {
            synchronized (this.space) {
                while (!tryAdmit(event)) {
                    if (this.budget.isClosed()) {
                        return DropReason.NOT_RUNNING;
                    }
                    long remaining = timeoutNanos - (System.nanoTime() - start);
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

    /**
     * How much more would complete the batch the worker is filling: events, put bytes, or the bytes of its
     * request (see {@link Batch#requestBytes}), whichever comes first.
     */
    record WakeThreshold(long events, long putBytes, long requestBytes) {

        WakeThreshold {
            events = Math.max(1, events);
            putBytes = Math.max(1, putBytes);
            requestBytes = Math.max(1, requestBytes);
        }

        /** Whether the waiting events (a packed count and reserved bytes) reach it. */
        boolean isReachedBy(long waiting) {
            long count = count(waiting);
            // The waiting word counts what events reserve (message + QUEUE_OVERHEAD_BYTES); a batch, what they put.
            long put = bytes(waiting) - count * (LogEvent.QUEUE_OVERHEAD_BYTES - LogEvent.PUT_OVERHEAD_BYTES);
            return count >= this.events || put >= this.putBytes
                    || Batch.requestBytes(put, (int) Math.min(Integer.MAX_VALUE, count)) >= this.requestBytes;
        }

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
