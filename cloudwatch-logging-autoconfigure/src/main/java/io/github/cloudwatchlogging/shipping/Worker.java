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

    /** How often the worker looks again for an event a logging call announced and has not enqueued yet. */
    private static final long ANNOUNCED_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    /**
     * How long a stop that gave up waits for calls that reserved before it to enqueue (a few instructions each,
     * unless their thread is descheduled); part of the margin a stop may take beyond its timeout.
     */
    static final long ANNOUNCED_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ShipperSettings settings;

    private final EventQueue queue;

    private final Budget budget;

    private final Ledger ledger;

    private final Senders senders;

    private final ConcurrentLinkedQueue<CompletableFuture<Void>> flushRequests;

    private final CompletableFuture<Void> drained;

    private final RateLimitedDiagnostics diagnostics;

    private final List<Batcher> batchers = new ArrayList<>();

    private final Utf8Check utf8;

    private final LogEvent[] chunk = new LogEvent[256];

    private final long delayNanos;

    private long nextSequence;

    /**
     * @param drained completed, once the worker has cut everything and left, when every batch is settled: what a
     * stop waits for
     */
    Worker(ShipperSettings settings, EventQueue queue, Budget budget, Ledger ledger,
            Senders senders, ConcurrentLinkedQueue<CompletableFuture<Void>> flushRequests,
            CompletableFuture<Void> drained, RateLimitedDiagnostics diagnostics) {
        this.settings = settings;
        this.queue = queue;
        this.budget = budget;
        this.ledger = ledger;
        this.senders = senders;
        this.flushRequests = flushRequests;
        this.drained = drained;
        this.diagnostics = diagnostics;
        this.delayNanos = settings.batchDelay().toNanos();
        this.utf8 = new Utf8Check(settings.maxEventBytes());
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
        // Everything logged before a flush request was taken is among the events waiting now.
        long drained = drain(this.queue.waitingEvents());
        cutDue(stopping || !flushes.isEmpty());
        for (CompletableFuture<Void> flush : flushes) {
            this.ledger.completeWhenSettled(this.nextSequence - 1, flush);
        }
        if (stopping) {
            if (this.queue.waitingEvents() == 0 && allEmpty()) {
                return true;
            }
            // A logging call that reserved before the stop has not enqueued yet: it will in a moment.
            LockSupport.parkNanos(this, ANNOUNCED_POLL_NANOS);
            return false;
        }
        park(drained == 0);
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
                LogEvent event = this.utf8.valid(this.chunk[i]);
                if (event.queueSize() > this.chunk[i].queueSize()) {
                    this.budget.grow(event.reservedBytes() - this.chunk[i].reservedBytes());
                }
                this.chunk[i] = null;
                taken += event.targets().length;
                RejectReason outside = TimestampWindow.check(event.timestamp(), now);
                for (Destination target : event.targets()) {
                    if (outside != null) {
                        this.ledger.settleBeforeBatching(event, target, outside);
                    }
                    else {
                        add(target, event);
                    }
                }
            }
        }
        return taken;
    }

    private void add(Destination target, LogEvent event) {
        Batcher batcher = batcher(target);
        Batch completed = batcher.add(event, this.nextSequence);
        if (completed != null) {
            send(completed);
        }
        if (batcher.isFull()) {
            send(batcher.take(this.nextSequence));
        }
    }

    private void cutDue(boolean all) {
        long now = System.nanoTime();
        for (Batcher batcher : this.batchers) {
            if (batcher != null && !batcher.isEmpty() && (all || now - batcher.firstAddedNanos() >= this.delayNanos)) {
                send(batcher.take(this.nextSequence));
            }
        }
    }

    private void send(Batch batch) {
        this.nextSequence++;
        this.ledger.cut(batch);
        if (!this.senders.dispatch(batch)) {
            // The stop gave up before a sender was free: the batch is undelivered (settled once, whoever is first).
            this.ledger.settleDropped(batch, DropReason.SHUTDOWN_TIMEOUT);
        }
    }

    /**
     * Parks until the oldest pending event is due, or until a logging call says the waiting events would complete
     * the fullest batch (a batch split between the batcher and the queue counts as full), or a flush or stop.
     */
    private void park(boolean drainedNothing) {
        long needEvents = Long.MAX_VALUE;
        long needBytes = Long.MAX_VALUE;
        long due = Long.MAX_VALUE;
        for (Batcher batcher : this.batchers) {
            if (batcher != null && !batcher.isEmpty()) {
                needEvents = Math.min(needEvents, batcher.roomForEvents());
                needBytes = Math.min(needBytes, batcher.roomForPutBytes());
                due = Math.min(due, batcher.firstAddedNanos() + this.delayNanos);
            }
        }
        // With nothing pending, the first event must wake the worker: its batch delay starts when it is drained.
        if (due == Long.MAX_VALUE) {
            needEvents = 1;
            needBytes = 1;
        }
        if (!this.flushRequests.isEmpty() || this.budget.isClosed()) {
            return;
        }
        if (this.queue.setWakeThreshold(needEvents, needBytes)) {
            if (drainedNothing) {
                // Announced but not enqueued yet: that call is between two of its steps, let it finish.
                LockSupport.parkNanos(this, ANNOUNCED_POLL_NANOS);
            }
            return;
        }
        if (due == Long.MAX_VALUE) {
            LockSupport.park(this);
        }
        else {
            LockSupport.parkNanos(this, due - System.nanoTime());
        }
    }

    private boolean allEmpty() {
        for (Batcher batcher : this.batchers) {
            if (batcher != null && !batcher.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The stop gave up: what is batched or still queued is counted as undelivered. */
    private void dropEverythingHeld() {
        for (Batcher batcher : this.batchers) {
            if (batcher != null && !batcher.isEmpty()) {
                Batch batch = batcher.take(this.nextSequence++);
                this.ledger.cut(batch);
                this.ledger.settleDropped(batch, DropReason.SHUTDOWN_TIMEOUT);
            }
        }
        long giveUp = System.nanoTime() + ANNOUNCED_WAIT_NANOS;
        while (this.queue.waitingEvents() > 0 && System.nanoTime() - giveUp < 0) {
            int count = this.queue.drainTo(this.chunk);
            for (int i = 0; i < count; i++) {
                this.ledger.settleWaiting(this.chunk[i], DropReason.SHUTDOWN_TIMEOUT);
                this.chunk[i] = null;
            }
            if (count == 0) {
                LockSupport.parkNanos(this, ANNOUNCED_POLL_NANOS);
            }
        }
    }

    private Batcher batcher(Destination destination) {
        int index = destination.index();
        while (this.batchers.size() <= index) {
            this.batchers.add(null);
        }
        Batcher batcher = this.batchers.get(index);
        if (batcher == null) {
            batcher = Batcher.forSettings(destination, this.settings, this.budget.requestBytesEach());
            this.batchers.set(index, batcher);
        }
        return batcher;
    }

}
