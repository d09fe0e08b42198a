package io.github.cloudwatchlogging.shipping;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Where every accepted event leaves the books: each batch, and each event settled outside a batch, is counted
 * with its outcome and gives back its budget in one step under one lock. It also knows which batches are still
 * unsettled, by the worker's sequence number, which is what a flush waits on: everything cut up to a position,
 * however out of order the batches settle.
 */
final class Ledger {

    private final Object lock = new Object();

    private final Budget budget;

    /** Batches cut and not yet settled, by sequence. */
    private final TreeMap<Long, Batch> unsettled = new TreeMap<>();

    /** Flushes waiting for every batch up to their position, in the order the worker handed them over. */
    private final ArrayDeque<Position> waiting = new ArrayDeque<>();

    private Runnable onSettled = () -> {
    };

    Ledger(Budget budget) {
        this.budget = budget;
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

    /** The worker charges the budget for the request the sender will build; given back at settlement. */
    void chargeRequest(Batch batch) {
        long bytes = batch.estimatedRequestBytes();
        batch.chargeRequest(bytes);
        this.budget.chargeRequest(bytes);
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
                this.waiting.add(new Position(lastCut, done));
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
        synchronized (this.lock) {
            destination.books().settleRejected(reason, 1);
            this.budget.release(1, event.queueSize());
        }
        this.onSettled.run();
    }

    /** An event evicted from the queue for a newer one, or dropped from it at stop: for each of its destinations. */
    void settleEvicted(LogEvent event) {
        settleWaiting(event, DropReason.EVICTED);
    }

    void settleWaiting(LogEvent event, DropReason reason) {
        synchronized (this.lock) {
            for (Destination target : event.targets()) {
                target.books().settleDropped(reason, 1);
            }
            this.budget.release(event.targets().length, event.reservedBytes());
        }
        this.onSettled.run();
    }

    /** Runs the reading under the lock, so that it sees no settlement half-done. */
    <T> T read(java.util.function.Supplier<T> reading) {
        synchronized (this.lock) {
            return reading.get();
        }
    }

    private void settle(Batch batch, java.util.function.Consumer<DestinationBooks> outcome) {
        if (!batch.settle()) {
            return;
        }
        Destination destination = batch.destination();
        synchronized (this.lock) {
            if (destination != null) {
                outcome.accept(destination.books());
            }
            this.budget.release(batch.size(), batch.queueBytes());
            this.budget.releaseRequest(batch.requestBytes());
            this.unsettled.remove(batch.sequence());
            while (!this.waiting.isEmpty() && isSettledUpTo(this.waiting.peek().lastCut())) {
                this.waiting.poll().done().complete(null);
            }
        }
        this.onSettled.run();
    }

    private boolean isSettledUpTo(long sequence) {
        return this.unsettled.isEmpty() || this.unsettled.firstKey() > sequence;
    }

    private record Position(long lastCut, CompletableFuture<Void> done) {
    }

}
