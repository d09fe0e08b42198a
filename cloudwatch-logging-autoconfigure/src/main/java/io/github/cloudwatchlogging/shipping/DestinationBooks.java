package io.github.cloudwatchlogging.shipping;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * The running totals of one destination. Logging threads touch only striped adders ({@link #accepted},
 * {@link #refused}, {@link #evicted}, {@link #truncated}). Otherwise an accepted event leaves the books only through
 * one of the settle methods, which the {@link Ledger} alone calls, under its lock, in the same step as it gives the
 * event's budget back: so a snapshot, taken under that lock too, balances whenever no logging call is under way.
 */
final class DestinationBooks {

    private final LongAdder accepted = new LongAdder();

    private final LongAdder truncated = new LongAdder();

    private final LongAdder[] refused = adders(DropReason.values().length);

    // Written and read under the ledger's lock only.
    private long sent;

    private long settled;

    private long batches;

    private final long[] rejected = new long[RejectReason.values().length];

    private final long[] dropped = new long[DropReason.values().length];

    private final LongAdder retries = new LongAdder();

    private final LongAdder failedRequests = new LongAdder();

    private final AtomicLong consecutiveFailures = new AtomicLong();

    private final AtomicInteger inFlightRequests = new AtomicInteger();

    private volatile @Nullable Failure lastFailure;

    private volatile @Nullable Instant lastSuccess;

    private volatile @Nullable Instant failingSince;

    /**
     * A logging call is queuing an event: counted before the queue takes it, so that the worker can never settle
     * an event the books do not know yet.
     */
    void accepted() {
        this.accepted.increment();
    }

    /** The queue refused the event {@link #accepted} counted: it never entered the queue. */
    void refused(DropReason reason) {
        this.refused[reason.ordinal()].increment();
        this.accepted.decrement();
    }

    /**
     * The queue evicted an event {@link #accepted} counted, for a newer one. Counted on the logging thread with
     * striped adders like a refusal, never under the ledger's lock: a logging call never waits for the worker or a
     * sender to finish settling.
     */
    void evicted() {
        this.refused[DropReason.EVICTED.ordinal()].increment();
        this.accepted.decrement();
    }

    void truncated() {
        this.truncated.increment();
    }

    void settleSent(int sentCount, Map<RejectReason, Integer> rejectedCounts, Instant when) {
        this.sent += sentCount;
        this.settled += sentCount;
        rejectedCounts.forEach(this::settleRejected);
        this.batches++;
        this.consecutiveFailures.set(0);
        this.failingSince = null;
        this.lastSuccess = when;
    }

    void settleRejected(RejectReason reason, int count) {
        this.rejected[reason.ordinal()] += count;
        this.settled += count;
    }

    void settleDropped(DropReason reason, int count) {
        this.dropped[reason.ordinal()] += count;
        this.settled += count;
    }

    void requestStarted() {
        this.inFlightRequests.incrementAndGet();
    }

    void requestEnded() {
        this.inFlightRequests.decrementAndGet();
    }

    void failed(Failure failure) {
        this.failedRequests.increment();
        if (this.consecutiveFailures.getAndIncrement() == 0 || this.failingSince == null) {
            this.failingSince = failure.time();
        }
        this.lastFailure = failure;
    }

    void retried() {
        this.retries.increment();
    }

    int inFlightRequests() {
        return this.inFlightRequests.get();
    }

    @Nullable Failure lastFailure() {
        return this.lastFailure;
    }

    /** Events logging calls handed over for it, accepted or not: what tells whether it is idle. */
    long logged() {
        long logged = this.accepted.sum();
        for (LongAdder count : this.refused) {
            logged += count.sum();
        }
        return logged;
    }

    /**
     * Under the ledger's lock: adds these figures to {@code total}'s, for a template's figures over all its
     * destinations. Times are the latest, but when failing began (the earliest), and consecutive failures the most.
     */
    void addTo(DestinationBooks total) {
        addTotalsTo(total);
        total.consecutiveFailures.accumulateAndGet(this.consecutiveFailures.get(), Math::max);
        total.inFlightRequests.addAndGet(this.inFlightRequests.get());
        Instant failing = this.failingSince;
        Instant totalFailing = total.failingSince;
        if (failing != null && (totalFailing == null || failing.isBefore(totalFailing))) {
            total.failingSince = failing;
        }
    }

    /**
     * Under the ledger's lock: adds the running totals only, and the last failure and success, for the books of a
     * destination that closes: its state now (failing since, calls under way) ends with it, and kept in its
     * template's closed books it would say "failing" for good.
     */
    void addTotalsTo(DestinationBooks total) {
        total.accepted.add(this.accepted.sum());
        total.truncated.add(this.truncated.sum());
        for (int i = 0; i < this.refused.length; i++) {
            total.refused[i].add(this.refused[i].sum());
            total.dropped[i] += this.dropped[i];
        }
        for (int i = 0; i < this.rejected.length; i++) {
            total.rejected[i] += this.rejected[i];
        }
        total.sent += this.sent;
        total.settled += this.settled;
        total.batches += this.batches;
        total.retries.add(this.retries.sum());
        total.failedRequests.add(this.failedRequests.sum());
        Failure failure = this.lastFailure;
        Failure totalFailure = total.lastFailure;
        if (failure != null && (totalFailure == null || failure.time().isAfter(totalFailure.time()))) {
            total.lastFailure = failure;
        }
        total.lastSuccess = latest(total.lastSuccess, this.lastSuccess);
    }

    private static @Nullable Instant latest(@Nullable Instant a, @Nullable Instant b) {
        if (a == null) {
            return b;
        }
        return (b == null || a.isAfter(b)) ? a : b;
    }

    /** Under the ledger's lock: events accepted and not settled yet. */
    long unsettled() {
        return this.accepted.sum() - this.settled;
    }

    /** Under the ledger's lock. */
    long dropped(DropReason reason) {
        return this.dropped[reason.ordinal()] + this.refused[reason.ordinal()].sum();
    }

    /**
     * Under the ledger's lock.
     * @param logGroup the group to show, or the template of its names
     * @param logStream the stream to show, or the template of its names
     * @param queuedEvents the events counted as queued for this destination
     */
    ShipperStatistics snapshot(ShipperState state, String logGroup, String logStream, long queuedEvents,
            Budget budget) {
        Map<DropReason, Long> droppedByReason = new EnumMap<>(DropReason.class);
        long accepted = this.accepted.sum();
        long logged = accepted;
        for (DropReason reason : DropReason.values()) {
            long refusedCount = this.refused[reason.ordinal()].sum();
            droppedByReason.put(reason, this.dropped[reason.ordinal()] + refusedCount);
            logged += refusedCount;
        }
        Map<RejectReason, Long> rejectedByReason = new EnumMap<>(RejectReason.class);
        for (RejectReason reason : RejectReason.values()) {
            rejectedByReason.put(reason, this.rejected[reason.ordinal()]);
        }
        Failure failure = this.lastFailure;
        return new ShipperStatistics(state, logGroup, logStream, queuedEvents,
                budget.bytes(), budget.capacityBytes(), logged, accepted, this.sent, droppedByReason,
                rejectedByReason, this.truncated.sum(), this.batches, this.retries.sum(), this.failedRequests.sum(),
                this.consecutiveFailures.get(), (failure != null) ? failure.time() : null,
                (failure != null) ? failure.type() : null, (failure != null) ? failure.message() : null,
                this.lastSuccess, this.inFlightRequests.get(), this.failingSince);
    }

    private static LongAdder[] adders(int count) {
        LongAdder[] adders = new LongAdder[count];
        for (int i = 0; i < count; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    /** One failed request: when, what kind, and what the SDK said. */
    record Failure(Instant time, String type, String message) {
    }

}
