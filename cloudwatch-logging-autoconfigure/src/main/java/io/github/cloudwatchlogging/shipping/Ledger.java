package io.github.cloudwatchlogging.shipping;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.github.cloudwatchlogging.spool.Settlement;
import io.github.cloudwatchlogging.spool.Spool;
import org.jspecify.annotations.Nullable;

/**
 * Where every accepted event leaves the books: each batch, and each event settled outside a batch, is counted
 * with its outcome and gives back its budget in one step under one lock. It also knows which batches are still
 * unsettled, by the worker's sequence number, which is what a flush waits on: everything cut up to a position,
 * however out of order the batches settle.
 * <p>
 * With a spool, it settles each event's record as well, outside the lock and before the books and any flush or
 * stop waiting on the batch hear of it, so that a stop which saw everything settled releases a spool with nothing
 * left to clear. What a stop gave up on is not settled there but counted {@link DropReason#LEFT_IN_SPOOL}, for the
 * next process to ship.
 */
final class Ledger {

    private final Object lock = new Object();

    private final Budget budget;

    /** Batches cut and not yet settled, by sequence. */
    private final TreeMap<Long, Batch> unsettled = new TreeMap<>();

    /** Flushes waiting for every batch up to their position, in the order the worker handed them over. */
    private final ArrayDeque<Position> flushes = new ArrayDeque<>();

    private Runnable onSettled = () -> {
    };

    private final @Nullable Spool spool;

    Ledger(Budget budget) {
        this(budget, null);
    }

    Ledger(Budget budget, @Nullable Spool spool) {
        this.budget = budget;
        this.spool = spool;
    }

    Budget budget() {
        return this.budget;
    }

    /** What to run after anything settled, outside the lock: let blocked producers retry. */
    void onSettled(Runnable action) {
        this.onSettled = action;
    }

    /** The worker cut this batch: it now counts as unsettled until one of the settle methods takes it. */
    void cut(Batch batch) {
        synchronized (this.lock) {
            this.unsettled.put(batch.sequence(), batch);
        }
    }

    /**
     * A sender is about to make the batch's first call: its records are marked, so that the next process counts
     * any of them it sends again as a possible duplicate.
     */
    void handedOver(Batch batch) {
        if (this.spool == null) {
            return;
        }
        Settlement records = this.spool.settlement();
        try {
            for (LogEvent event : batch.eventArray()) {
                if (event.isSpooled()) {
                    records.markHandedOver(event.spoolPosition());
                }
            }
        }
        catch (Throwable ex) {
            // The spool failed under us (an I/O fault): the record stays pending, so the next process ships
            // it once more, as at least once allows; the books and the batch settle all the same.
        }
        finally {
            records.finish();
        }
    }

    /**
     * The worker charges the budget for the request the sender will build; given back at settlement. Under the
     * lock, and not for a batch a stop already settled, so that a charge is never left behind unreleased.
     */
    void chargeRequest(Batch batch) {
        synchronized (this.lock) {
            if (!batch.isSettled() && batch.requestBytes() == 0) { // once, however often it is handed over
                long bytes = batch.estimatedRequestBytes();
                batch.chargeRequest(bytes);
                this.budget.chargeRequest(bytes);
            }
        }
    }

    /**
     * Completes {@code done} once every batch with a sequence up to {@code lastCut} is settled: at once if they
     * are. Called by the worker after it cut everything logged before the flush was asked for.
     */
    void completeWhenSettled(long lastCut, CompletableFuture<Void> done) {
        synchronized (this.lock) {
            if (isSettledUpTo(lastCut)) {
                done.complete(null);
            }
            else {
                this.flushes.add(new Position(lastCut, done));
            }
        }
    }

    void settleDelivered(Batch batch, PutResult result) {
        settle(batch, (books) -> books.settleSent(batch.size() - result.rejected(), result.byReason(), Instant.now()));
    }

    void settleRejected(Batch batch, RejectReason reason) {
        settle(batch, (books) -> books.settleRejected(reason, batch.size()));
    }

    void settleDropped(Batch batch, DropReason reason) {
        if (reason == DropReason.SHUTDOWN_TIMEOUT && this.spool != null) {
            int spooled = 0;
            for (LogEvent event : batch.eventArray()) {
                spooled += event.isSpooled() ? 1 : 0;
            }
            int kept = spooled;
            settle(batch, (books) -> {
                books.settleDropped(DropReason.SHUTDOWN_TIMEOUT, batch.size() - kept);
                books.settleDropped(DropReason.LEFT_IN_SPOOL, kept);
            }, false);
            return;
        }
        settle(batch, (books) -> books.settleDropped(reason, batch.size()));
    }

    /** Every batch still unsettled, for a stop that gave up. */
    List<Batch> unsettledBatches() {
        synchronized (this.lock) {
            return new ArrayList<>(this.unsettled.values());
        }
    }

    /** An event the worker refused before batching (outside the time window PutLogEvents takes). */
    void settleBeforeBatching(LogEvent event, Destination destination, RejectReason reason) {
        if (this.spool != null && event.isSpooled()) {
            Settlement records = this.spool.settlement();
            try {
                records.settle(event.spoolPosition(), destination.spoolId());
            }
            catch (Throwable ex) {
                // The spool failed under us (an I/O fault): the record stays pending, so the next process ships
                // it once more, as at least once allows; the books and the batch settle all the same.
            }
            finally {
                records.finish();
            }
        }
        synchronized (this.lock) {
            destination.books().settleRejected(reason, 1);
            this.budget.release(1, event.queueSize());
        }
        this.onSettled.run();
    }

    /**
     * An event evicted from the queue for a newer one, on the logging thread: counted for each of its destinations
     * with the books' striped adders, not under the lock, so that the logging call never waits on the worker or a
     * sender. Like a refusal, it is in the books once the call returns. The room it gives back is the evicting
     * call's: no blocked producer is told.
     */
    void settleEvicted(LogEvent event) {
        settleRecord(event, 0);
        Destination[] targets = event.targets();
        for (Destination target : targets) {
            target.books().evicted();
        }
        this.budget.release(targets.length, (long) event.queueSize() * targets.length);
    }

    /** An event given up before the worker batched it (at a stop that gave up): for each of its destinations. */
    void settleUnbatched(LogEvent event, DropReason reason) {
        settleUnbatched(event, reason, 0);
    }

    /** The same, for the destinations of the event from {@code firstTarget} on (the others have it already). */
    void settleUnbatched(LogEvent event, DropReason reason, int firstTarget) {
        Destination[] targets = event.targets();
        int count = targets.length - firstTarget;
        boolean kept = reason == DropReason.SHUTDOWN_TIMEOUT && this.spool != null && event.isSpooled();
        DropReason counted = kept ? DropReason.LEFT_IN_SPOOL : reason;
        if (!kept) {
            settleRecord(event, firstTarget);
        }
        synchronized (this.lock) {
            for (int i = firstTarget; i < targets.length; i++) {
                targets[i].books().settleDropped(counted, 1);
            }
            this.budget.release(count, (long) event.queueSize() * count);
        }
        this.onSettled.run();
    }

    /** Runs the reading under the lock, so that it sees no settlement half-done. */
    <T> T read(Supplier<T> reading) {
        synchronized (this.lock) {
            return reading.get();
        }
    }

    private void settle(Batch batch, Consumer<DestinationBooks> outcome) {
        settle(batch, outcome, true);
    }

    private void settle(Batch batch, Consumer<DestinationBooks> outcome, boolean settleRecords) {
        if (!batch.settle()) {
            return;
        }
        Destination destination = batch.destination();
        if (settleRecords && this.spool != null && destination != null) {
            settleRecords(batch, destination.spoolId());
        }
        synchronized (this.lock) {
            if (destination != null) {
                outcome.accept(destination.books());
            }
            this.budget.release(batch.size(), batch.queueBytes());
            this.budget.releaseRequest(batch.requestBytes());
            this.unsettled.remove(batch.sequence());
            while (!this.flushes.isEmpty() && isSettledUpTo(this.flushes.peek().lastCut())) {
                this.flushes.poll().done().complete(null);
            }
        }
        this.onSettled.run();
    }

    private void settleRecords(Batch batch, int destinationId) {
        Settlement records = this.spool.settlement();
        try {
            for (LogEvent event : batch.eventArray()) {
                if (event.isSpooled()) {
                    records.settle(event.spoolPosition(), destinationId);
                }
            }
        }
        catch (Throwable ex) {
            // The spool failed under us (an I/O fault): the record stays pending, so the next process ships
            // it once more, as at least once allows; the books and the batch settle all the same.
        }
        finally {
            records.finish();
        }
    }

    /** Settles an event's record in the spool for its destinations from {@code firstTarget} on. */
    private void settleRecord(LogEvent event, int firstTarget) {
        if (this.spool == null || !event.isSpooled()) {
            return;
        }
        Settlement records = this.spool.settlement();
        try {
            Destination[] targets = event.targets();
            for (int i = firstTarget; i < targets.length; i++) {
                records.settle(event.spoolPosition(), targets[i].spoolId());
            }
        }
        catch (Throwable ex) {
            // The spool failed under us (an I/O fault): the record stays pending, so the next process ships
            // it once more, as at least once allows; the books and the batch settle all the same.
        }
        finally {
            records.finish();
        }
    }

    private boolean isSettledUpTo(long sequence) {
        return this.unsettled.isEmpty() || this.unsettled.firstKey() > sequence;
    }

    private record Position(long lastCut, CompletableFuture<Void> done) {
    }

}
