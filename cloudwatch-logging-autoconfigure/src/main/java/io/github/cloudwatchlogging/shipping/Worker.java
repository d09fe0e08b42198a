package io.github.cloudwatchlogging.shipping;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread between the queue and the senders: it drains the queue, batches each destination on its own,
 * and hands a batch to a sender when it is full, when its oldest event has waited the batch delay, when a flush
 * asks, or at stop. Everything here is confined to the worker thread but the queue, the ledger and the flush
 * requests.
 */
final class Worker implements Runnable {

    /**
     * How long a stop that gave up waits for calls that reserved before it to enqueue (a few instructions each,
     * unless their thread is descheduled); part of the margin a stop may take beyond its timeout.
     */
    static final long ANNOUNCED_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final EventQueue.WakeThreshold FIRST_EVENT = new EventQueue.WakeThreshold(1, 1, 1);

    /** How often, at most, destinations opened for events' values are checked for idleness. */
    private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ShipperSettings settings;

    private final EventQueue queue;

    private final Budget budget;

    private final Ledger ledger;

    private final Senders senders;

    private final ShipperDestinations destinations;

    private final ConcurrentLinkedQueue<CompletableFuture<Void>> flushRequests;

    private final CompletableFuture<Void> drained;

    private final RateLimitedDiagnostics diagnostics;

    private final BatcherSlots batchers;

    private final Utf8Check utf8;

    private final BurstYield burst;

    private final LogEvent[] chunk = new LogEvent[256];

    private final long delayNanos;

    private final long idleCheckNanos;

    private long nextSequence;

    /** When to check for idle destinations next; {@link Long#MAX_VALUE} while none opened for events is open. */
    private long nextIdleCheck = Long.MAX_VALUE;

    /**
     * @param drained completed, once the worker has cut everything and left, when every batch is settled: what a
     * stop waits for
     */
    Worker(ShipperSettings settings, EventQueue queue, Budget budget, Ledger ledger,
            Senders senders, ShipperDestinations destinations,
            ConcurrentLinkedQueue<CompletableFuture<Void>> flushRequests, CompletableFuture<Void> drained,
            RateLimitedDiagnostics diagnostics) {
        this.settings = settings;
        this.queue = queue;
        this.budget = budget;
        this.ledger = ledger;
        this.senders = senders;
        this.destinations = destinations;
        this.flushRequests = flushRequests;
        this.drained = drained;
        this.diagnostics = diagnostics;
        this.delayNanos = settings.batchDelay().toNanos();
        this.batchers = new BatcherSlots(settings, budget.requestBytesEach());
        this.idleCheckNanos = Math.min(IDLE_CHECK_NANOS, Math.max(1, settings.destinationIdleTimeout().toNanos() / 2));
        this.utf8 = new Utf8Check();
        this.burst = new BurstYield(settings);
    }

    @Override
    public void run() {
        while (!this.senders.isAbandoned()) {
            try {
                Thread.interrupted(); // someone else's interrupt would make every park return at once
                if (workOnce()) {
                    break;
                }
            }
            catch (RuntimeException | Error ex) {
                // The worker never dies: a bug here must not silently stop all shipping.
                this.diagnostics.error("worker", "cloudwatch-logging: the worker hit an unexpected error", ex);
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
        if (this.senders.isAbandoned()) {
            dropEverythingHeld();
        }
        long lastCut = this.nextSequence - 1;
        this.ledger.completeWhenSettled(lastCut, this.drained);
        CompletableFuture<Void> request;
        while ((request = this.flushRequests.poll()) != null) {
            this.ledger.completeWhenSettled(lastCut, request);
        }
    }

    /** One round: drain, cut what is due, answer flushes, then wait. Returns true when the worker may leave. */
    private boolean workOnce() {
        List<CompletableFuture<Void>> flushes = takeFlushRequests();
        boolean stopping = this.budget.isClosed();
        if (!stopping && flushes.isEmpty() && this.burst.shouldYield(this.queue.waitingEvents(),
                this.budget.eventBytes(), this.budget.admissionBytes())) {
            LockSupport.parkNanos(this, BurstYield.YIELD_NANOS);
            return false;
        }
        // Everything logged before a flush request was taken is among the events waiting now.
        long taken = drain(this.queue.waitingEvents());
        this.burst.drained(this.queue.waitingEvents());
        cutDue(stopping || !flushes.isEmpty());
        closeIdleDestinations();
        for (CompletableFuture<Void> flush : flushes) {
            this.ledger.completeWhenSettled(this.nextSequence - 1, flush);
        }
        if (stopping) {
            if (this.queue.waitingEvents() == 0 && this.batchers.allEmpty()) {
                return true;
            }
            // A logging call that reserved before the stop has not enqueued yet: it will in a moment.
            LockSupport.parkNanos(this, EventQueue.ANNOUNCED_POLL_NANOS);
            return false;
        }
        park(taken == 0);
        return false;
    }

    private List<CompletableFuture<Void>> takeFlushRequests() {
        List<CompletableFuture<Void>> taken = new ArrayList<>(0);
        CompletableFuture<Void> request;
        while ((request = this.flushRequests.poll()) != null) {
            taken.add(request);
        }
        return taken;
    }

    /**
     * Drains up to {@code limit} (event, destination) pairs, batching each event for each destination it takes;
     * returns how many it drained.
     */
    private long drain(long limit) {
        long taken = 0;
        int count;
        while (taken < limit && !this.senders.isAbandoned() && (count = this.queue.drainTo(this.chunk)) > 0) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < count; i++) {
                LogEvent queued = this.chunk[i];
                this.chunk[i] = null;
                taken += queued.targets().length;
                batch(queued, now);
            }
        }
        return taken;
    }

    /**
     * Batches the event for each destination it takes. Whatever goes wrong here (a bug, an out-of-memory), the
     * destinations it did not reach yet settle it as {@link DropReason#FAILED}: never left unsettled.
     */
    private void batch(LogEvent queued, long now) {
        LogEvent event = queued;
        int batched = 0;
        try {
            event = sendable(queued);
            RejectReason outside = TimestampWindow.check(event.timestamp(), now);
            for (Destination target : event.targets()) {
                if (outside != null) {
                    this.ledger.settleBeforeBatching(event, target, outside);
                    batched++;
                    continue;
                }
                Batcher batcher = this.batchers.of(target);
                Batch completed = batcher.add(event, this.nextSequence);
                batched++;
                if (completed != null) {
                    send(completed);
                }
                if (batcher.isFull()) {
                    send(batcher.take(this.nextSequence));
                }
            }
        }
        catch (RuntimeException | Error ex) {
            this.diagnostics.error("batch", "cloudwatch-logging: an event could not be batched and is counted "
                    + "as failed", ex);
            this.ledger.settleUnbatched(event, DropReason.FAILED, batched);
        }
    }

    /**
     * The event as it will go on the wire. A deferred message is formatted here. Bytes that are not valid UTF-8 (an
     * encoder with another charset) would become U+FFFD, three bytes each, when the request is built, so they are
     * made valid here, off the logging thread, before the batch is cut by its size. The budget is trued up last, in
     * one step, so that whatever throws before leaves the event charged as it was queued (and settled so): from a
     * deferred event's estimate to what it takes, or for what a repaired message grew.
     */
    private LogEvent sendable(LogEvent queued) {
        boolean deferred = queued.isDeferred();
        byte[] message = deferred ? queued.deferred().encode() : queued.message();
        byte[] valid = this.utf8.valid(message);
        if (!deferred && valid == message) {
            return queued;
        }
        byte[] prepared = prepared(queued, valid);
        LogEvent event = deferred ? queued.formatted(prepared) : queued.withMessage(prepared);
        long difference = event.reservedBytes() - queued.reservedBytes();
        if (deferred || difference > 0) {
            this.budget.grow(difference);
        }
        if (difference < 0) {
            this.queue.signalSpace(); // an estimate given back is room a blocked call may take
        }
        return event;
    }

    /** The message cut to the per-event limit, counted truncated in the event's destinations when it was. */
    private byte[] prepared(LogEvent event, byte[] message) {
        byte[] prepared = EventMessages.prepare(message, this.settings.maxEventBytes());
        if (EventMessages.isTruncated(prepared, message)) {
            for (Destination target : event.targets()) {
                target.books().truncated();
            }
        }
        return prepared;
    }

    private void cutDue(boolean all) {
        long now = System.nanoTime();
        for (Batcher batcher : this.batchers.pending()) {
            if (all || now - batcher.firstAddedNanos() >= this.delayNanos) {
                send(batcher.take(this.nextSequence));
            }
        }
    }

    /**
     * Closes the destinations opened for events' values that have been idle long enough, and forgets the batchers of
     * closed ones (empty, since a destination closes only when nothing of it is unsettled).
     */
    private void closeIdleDestinations() {
        long now = System.nanoTime();
        if (this.nextIdleCheck == Long.MAX_VALUE) {
            // Opening one wakes the worker: from then on it checks, until none is open.
            if (this.destinations.openForEvents() > 0) {
                this.nextIdleCheck = now + this.idleCheckNanos;
            }
            return;
        }
        if (now - this.nextIdleCheck < 0) {
            return;
        }
        boolean anyOpen = this.destinations.closeIdle(now);
        this.batchers.forgetClosed();
        this.nextIdleCheck = anyOpen ? now + this.idleCheckNanos : Long.MAX_VALUE;
    }

    private void send(Batch batch) {
        this.nextSequence++;
        this.ledger.cut(batch);
        boolean handedOver;
        try {
            handedOver = this.senders.dispatch(batch);
        }
        catch (RuntimeException | Error ex) {
            // Cut, so in the ledger: unsettled, it would hold every later flush. The caller reports the error.
            this.ledger.settleDropped(batch, DropReason.FAILED);
            throw ex;
        }
        if (!handedOver) {
            // The stop gave up before a sender was free: the batch is undelivered (settled once, whoever is first).
            this.ledger.settleDropped(batch, DropReason.SHUTDOWN_TIMEOUT);
        }
    }

    /**
     * Parks until the oldest pending event is due, or until a logging call says the waiting events would complete
     * the fullest batch (a batch split between the batcher and the queue counts as full), or a flush or stop.
     */
    private void park(boolean pollSoon) {
        long needEvents = Long.MAX_VALUE;
        long needPutBytes = Long.MAX_VALUE;
        long needRequestBytes = Long.MAX_VALUE;
        long due = Long.MAX_VALUE;
        for (Batcher batcher : this.batchers.pending()) {
            needEvents = Math.min(needEvents, batcher.roomForEvents());
            needPutBytes = Math.min(needPutBytes, batcher.roomForPutBytes());
            needRequestBytes = Math.min(needRequestBytes, batcher.roomForRequestBytes());
            due = Math.min(due, batcher.firstAddedNanos() + this.delayNanos);
        }
        if (!this.flushRequests.isEmpty() || this.budget.isClosed()) {
            return;
        }
        long wakeAt = Math.min(due, this.nextIdleCheck);
        // With nothing pending, the first event must wake the worker: its batch delay starts when it is drained.
        EventQueue.WakeThreshold threshold = (due == Long.MAX_VALUE) ? FIRST_EVENT
                : new EventQueue.WakeThreshold(needEvents, needPutBytes, needRequestBytes);
        boolean reached = this.queue.prepareToPark(threshold);
        try {
            if (reached) {
                if (pollSoon) {
                    // Announced but not enqueued yet: the call wakes the worker once it has; the timeout is a net.
                    LockSupport.parkNanos(this, EventQueue.ANNOUNCED_POLL_NANOS);
                }
                return;
            }
            if (wakeAt == Long.MAX_VALUE) {
                LockSupport.park(this);
            }
            else {
                LockSupport.parkNanos(this, wakeAt - System.nanoTime());
            }
        }
        finally {
            this.queue.workerAwake();
        }
    }

    /** The stop gave up: what is batched or still queued is counted as undelivered. */
    private void dropEverythingHeld() {
        for (Batcher batcher : this.batchers.pending()) {
            Batch batch = batcher.take(this.nextSequence++);
            this.ledger.cut(batch);
            this.ledger.settleDropped(batch, DropReason.SHUTDOWN_TIMEOUT);
        }
        this.queue.settleAllWaiting(DropReason.SHUTDOWN_TIMEOUT, ANNOUNCED_WAIT_NANOS);
    }

}
