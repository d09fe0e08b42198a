package io.github.cloudwatchlogging.shipping;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * The one queue between logging threads and the worker, bounded in bytes.
 * <p>
 * Its budget covers every event from the moment it is accepted until its batch is settled (sent, rejected or
 * dropped): events still waiting here and events the worker has taken but not finished. A logging call does one CAS
 * on a packed (count, bytes) word and one lock-free enqueue; it wakes the worker only when its event is the one that
 * makes a full batch wait, never for every event.
 */
final class EventQueue {

    private static final int COUNT_SHIFT = 40;

    private static final long BYTES_MASK = (1L << COUNT_SHIFT) - 1;

    /** The largest budget the packed word can count. */
    static final long MAX_CAPACITY_BYTES = BYTES_MASK;

    /** The most events the packed word can count (23 bits, so the word never turns negative). */
    static final long MAX_EVENTS = (1L << 23) - 1;

    private final ConcurrentLinkedQueue<LogEvent> events = new ConcurrentLinkedQueue<>();

    /** Packed count and queue bytes of the events waiting in {@link #events}. */
    private final AtomicLong waiting = new AtomicLong();

    /** Packed count and queue bytes of the events the worker took and has not settled yet. */
    private final AtomicLong taken = new AtomicLong();

    private final AtomicInteger blockedProducers = new AtomicInteger();

    private final Object space = new Object();

    private final long capacityBytes;

    private final OverflowPolicy policy;

    private final long blockTimeoutNanos;

    private final int fullBatchEvents;

    private final long fullBatchPutBytes;

    private final ShippingCounters counters;

    private final Runnable wakeWorker;

    private volatile boolean closed;

    EventQueue(ShipperSettings settings, ShippingCounters counters, Runnable wakeWorker) {
        this.capacityBytes = settings.queueCapacityBytes();
        this.policy = settings.overflowPolicy();
        this.blockTimeoutNanos = settings.blockTimeout().toNanos();
        this.fullBatchEvents = settings.maxBatchEvents();
        this.fullBatchPutBytes = settings.maxBatchBytes();
        this.counters = counters;
        this.wakeWorker = wakeWorker;
    }

    /** Queues the event or counts why it could not; never waits longer than the block timeout. */
    boolean offer(LogEvent event) {
        if (this.closed) {
            this.counters.dropped(DropReason.NOT_RUNNING, 1);
            return false;
        }
        int size = event.queueSize();
        if (size > this.capacityBytes) {
            this.counters.dropped(DropReason.LARGER_THAN_QUEUE, 1);
            return false;
        }
        if (tryReserve(size)) {
            enqueue(event);
            return true;
        }
        return switch (this.policy) {
            case DROP_NEWEST -> drop(DropReason.QUEUE_FULL);
            case DROP_OLDEST -> evictAndOffer(event, size);
            case BLOCK -> waitAndOffer(event, size);
        };
    }

    /**
     * Moves up to {@code into.length} waiting events into the array, oldest first, and counts them as taken by the
     * worker; returns how many. The move from waiting to taken is one step under the books' lock, so a statistics
     * snapshot never counts these events twice or not at all.
     */
    int drainTo(LogEvent[] into) {
        int count = 0;
        long bytes = 0;
        LogEvent event;
        while (count < into.length && (event = this.events.poll()) != null) {
            into[count++] = event;
            bytes += event.queueSize();
        }
        if (count > 0) {
            long packed = pack(count, bytes);
            synchronized (this.counters.books()) {
                this.taken.addAndGet(packed);
                this.waiting.addAndGet(-packed);
            }
        }
        return count;
    }

    /**
     * Gives back the budget of settled events. Callers hold the books' lock, so that the events stop counting as
     * queued in the same step as they start counting as sent, rejected or dropped; they call {@link #signalSpace}
     * after letting it go.
     */
    void release(int eventCount, long queueBytes) {
        this.taken.addAndGet(-pack(eventCount, queueBytes));
    }

    /** Refuses all further events and wakes producers blocked for room. */
    void close() {
        this.closed = true;
        synchronized (this.space) {
            this.space.notifyAll();
        }
    }

    /** Whether the events waiting make a full batch: what a producer wakes the worker for. */
    boolean hasFullBatch() {
        long current = this.waiting.get();
        return count(current) >= this.fullBatchEvents || putBytes(current) >= this.fullBatchPutBytes;
    }

    long waitingEvents() {
        return count(this.waiting.get());
    }

    /** Events accepted and not yet settled: waiting, batched, or in flight. */
    long outstandingEvents() {
        return count(this.waiting.get()) + count(this.taken.get());
    }

    /** Budget bytes of the events accepted and not yet settled. */
    long outstandingBytes() {
        return bytes(this.waiting.get()) + bytes(this.taken.get());
    }

    long capacityBytes() {
        return this.capacityBytes;
    }

    private boolean tryReserve(int size) {
        while (true) {
            long current = this.waiting.get();
            if (bytes(current) + bytes(this.taken.get()) + size > this.capacityBytes || count(current) >= MAX_EVENTS) {
                return false;
            }
            long next = current + pack(1, size);
            if (this.waiting.compareAndSet(current, next)) {
                if (completesBatch(current, next)) {
                    this.wakeWorker.run();
                }
                return true;
            }
        }
    }

    private void enqueue(LogEvent event) {
        this.events.add(event);
        this.counters.enqueued();
    }

    private boolean completesBatch(long before, long after) {
        return (count(before) < this.fullBatchEvents && count(after) >= this.fullBatchEvents)
                || (putBytes(before) < this.fullBatchPutBytes && putBytes(after) >= this.fullBatchPutBytes);
    }

    private boolean drop(DropReason reason) {
        this.counters.dropped(reason, 1);
        return false;
    }

    private boolean evictAndOffer(LogEvent event, int size) {
        while (!tryReserve(size)) {
            LogEvent oldest = this.events.poll();
            if (oldest == null) {
                // Everything in the budget is already batched or in flight: nothing older can make room.
                return drop(DropReason.QUEUE_FULL);
            }
            this.waiting.addAndGet(-pack(1, oldest.queueSize()));
            this.counters.evicted();
        }
        enqueue(event);
        return true;
    }

    private boolean waitAndOffer(LogEvent event, int size) {
        long deadline = System.nanoTime() + this.blockTimeoutNanos;
        this.blockedProducers.incrementAndGet();
        try {
            synchronized (this.space) {
                while (!tryReserve(size)) {
                    if (this.closed) {
                        return drop(DropReason.NOT_RUNNING);
                    }
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return drop(DropReason.BLOCK_TIMEOUT);
                    }
                    TimeUnit.NANOSECONDS.timedWait(this.space, remaining);
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return drop(DropReason.BLOCK_TIMEOUT);
        }
        finally {
            this.blockedProducers.decrementAndGet();
        }
        enqueue(event);
        return true;
    }

    /** Lets producers blocked for room retry; called after settled events gave back their budget. */
    void signalSpace() {
        if (this.blockedProducers.get() > 0) {
            synchronized (this.space) {
                this.space.notifyAll();
            }
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

    private static long putBytes(long packed) {
        return bytes(packed) - count(packed) * (LogEvent.QUEUE_OVERHEAD_BYTES - LogEvent.PUT_OVERHEAD_BYTES);
    }

}
