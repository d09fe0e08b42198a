package io.github.cloudwatchlogging.shipping;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * The shipper's running totals. Logging threads only touch striped adders; everything else is off the hot path.
 * <p>
 * Every change the worker and the senders make to the books (events moving from waiting to taken, a batch settled
 * and its budget given back) is made under {@link #books()}, and a snapshot reads under it too, so a snapshot
 * balances exactly: logged = sent + dropped + rejected + queued. Logging threads never take that lock; a snapshot
 * taken while a logging call is half-way may show that one call's event as logged but not yet queued, or evicted
 * but not yet replaced.
 */
final class ShippingCounters {

    private final Object books = new Object();

    private final LongAdder enqueued = new LongAdder();

    private final LongAdder truncated = new LongAdder();

    private final LongAdder[] dropped = adders(DropReason.values().length);

    private final LongAdder[] rejected = adders(RejectReason.values().length);

    private final LongAdder sent = new LongAdder();

    private final LongAdder settled = new LongAdder();

    private final LongAdder batches = new LongAdder();

    private final LongAdder retries = new LongAdder();

    private final LongAdder failedRequests = new LongAdder();

    private final AtomicLong consecutiveFailures = new AtomicLong();

    private final AtomicInteger inFlightRequests = new AtomicInteger();

    private volatile @Nullable Failure lastFailure;

    private volatile @Nullable Instant lastSuccess;

    /** When the current run of failures began; null while calls succeed. */
    private volatile @Nullable Instant failingSince;

    /** The lock that the shipper's own changes to the books and every snapshot hold. */
    Object books() {
        return this.books;
    }

    void enqueued() {
        this.enqueued.increment();
    }

    void truncated() {
        this.truncated.increment();
    }

    void dropped(DropReason reason, long count) {
        this.dropped[reason.ordinal()].add(count);
    }

    /** An accepted event evicted from the queue to make room: it counts as dropped and as settled. */
    void evicted() {
        this.dropped[DropReason.EVICTED.ordinal()].increment();
        this.settled.increment();
    }

    void settledDropped(DropReason reason, long count) {
        this.dropped[reason.ordinal()].add(count);
        this.settled.add(count);
    }

    void delivered(int sentCount, Map<RejectReason, Integer> rejectedCounts, Instant when) {
        this.sent.add(sentCount);
        long total = sentCount;
        for (Map.Entry<RejectReason, Integer> entry : rejectedCounts.entrySet()) {
            this.rejected[entry.getKey().ordinal()].add(entry.getValue());
            total += entry.getValue();
        }
        this.settled.add(total);
        this.batches.increment();
        this.consecutiveFailures.set(0);
        this.failingSince = null;
        this.lastSuccess = when;
    }

    void rejectedWhole(RejectReason reason, int count) {
        this.rejected[reason.ordinal()].add(count);
        this.settled.add(count);
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

    long enqueuedCount() {
        return this.enqueued.sum();
    }

    long settledCount() {
        return this.settled.sum();
    }

    long droppedCount(DropReason reason) {
        return this.dropped[reason.ordinal()].sum();
    }

    long sentCount() {
        return this.sent.sum();
    }

    long rejectedCount() {
        long total = 0;
        for (LongAdder adder : this.rejected) {
            total += adder.sum();
        }
        return total;
    }

    int inFlightRequests() {
        return this.inFlightRequests.get();
    }

    @Nullable Failure lastFailure() {
        return this.lastFailure;
    }

    ShipperStatistics snapshot(ShipperState state, ShipperSettings settings, EventQueue queue) {
        synchronized (this.books) {
            Map<DropReason, Long> droppedByReason = new EnumMap<>(DropReason.class);
            long logged = this.enqueued.sum();
            for (DropReason reason : DropReason.values()) {
                long count = this.dropped[reason.ordinal()].sum();
                droppedByReason.put(reason, count);
                if (reason.beforeQueueing()) {
                    logged += count;
                }
            }
            Map<RejectReason, Long> rejectedByReason = new EnumMap<>(RejectReason.class);
            for (RejectReason reason : RejectReason.values()) {
                rejectedByReason.put(reason, this.rejected[reason.ordinal()].sum());
            }
            Failure failure = this.lastFailure;
            return new ShipperStatistics(state, settings.logGroup(), settings.logStream(), queue.outstandingEvents(),
                    queue.outstandingBytes(), queue.capacityBytes(), logged, this.enqueued.sum(), this.sent.sum(),
                    droppedByReason, rejectedByReason, this.truncated.sum(), this.batches.sum(), this.retries.sum(),
                    this.failedRequests.sum(), this.consecutiveFailures.get(),
                    (failure != null) ? failure.time() : null, (failure != null) ? failure.type() : null,
                    (failure != null) ? failure.message() : null, this.lastSuccess, this.inFlightRequests.get(),
                    this.failingSince);
        }
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
