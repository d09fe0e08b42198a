package io.github.cloudwatchlogging.shipping;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The shipper's memory budget. One atomic word holds the events accepted and not yet settled (waiting, batched or
 * in flight) and whether it still accepts any: one word, so that a logging call decides on one consistent reading
 * and a stop can never slip between its check and its reservation. The requests built for batches in flight are
 * counted apart, in the part of the capacity kept for them, which admission leaves alone.
 */
final class Budget {

    private static final int COUNT_SHIFT = 40;

    private static final long BYTES_MASK = (1L << COUNT_SHIFT) - 1;

    private static final long CLOSED = 1L << 62;

    /** The largest budget the word can count. */
    static final long MAX_CAPACITY_BYTES = BYTES_MASK;

    /** The most events the word can count: 22 bits, below the closed bit. */
    static final long MAX_EVENTS = (1L << 22) - 1;

    private final AtomicLong word = new AtomicLong();

    /** What the requests of batches in flight take, apart from the events, which alone are held to admission. */
    private final AtomicLong requests = new AtomicLong();

    private final long capacityBytes;

    private final long admissionBytes;

    private final long requestBytesEach;

    /**
     * The queue capacity, of which the requests of batches in flight may take up to half: {@code maxInFlight} of
     * the largest request a full batch makes, or less when the capacity is small, and batches are then cut smaller
     * so that their requests fit.
     */
    static Budget forSettings(ShipperSettings settings) {
        long largestRequest = Batch.requestBytes(settings.maxBatchBytes(), settings.maxBatchEvents());
        long largestEvent = (long) settings.maxEventBytes() + LogEvent.QUEUE_OVERHEAD_BYTES;
        long forRequests = Math.min(settings.queueCapacityBytes() / 2, largestRequest * settings.maxInFlight());
        // Whatever the capacity, the largest event the settings allow must be admitted.
        forRequests = Math.max(0, Math.min(forRequests, settings.queueCapacityBytes() - largestEvent));
        return new Budget(settings.queueCapacityBytes(), settings.queueCapacityBytes() - forRequests,
                Math.max(1, forRequests / settings.maxInFlight()));
    }

    /** A budget whose whole capacity is for events; for tests. */
    Budget(long capacityBytes) {
        this(capacityBytes, capacityBytes, Long.MAX_VALUE);
    }

    /**
     * @param capacityBytes the whole budget
     * @param admissionBytes what events may take of it; the rest is kept for the requests of batches in flight
     * @param requestBytesEach what the request of one batch may take
     */
    Budget(long capacityBytes, long admissionBytes, long requestBytesEach) {
        this.capacityBytes = capacityBytes;
        this.admissionBytes = admissionBytes;
        this.requestBytesEach = requestBytesEach;
    }

    /** Takes room for {@code count} events of {@code bytes} in all, unless closed or past what events may take. */
    boolean tryReserve(int count, long bytes) {
        while (true) {
            long current = this.word.get();
            if ((current & CLOSED) != 0 || bytes(current) + bytes > this.admissionBytes
                    || count(current) + count > MAX_EVENTS) {
                return false;
            }
            if (this.word.compareAndSet(current, current + pack(count, bytes))) {
                return true;
            }
        }
    }

    /**
     * Counts the request of a batch about to be sent. Not checked against anything: the part kept for requests
     * holds {@code maxInFlight} of them, since batches are cut so that their requests fit {@link #requestBytesEach}.
     */
    void chargeRequest(long bytes) {
        this.requests.addAndGet(bytes);
    }

    void releaseRequest(long bytes) {
        this.requests.addAndGet(-bytes);
    }

    /**
     * Changes what events already reserved take, whatever is left: a message that grew when made valid, or a
     * deferred one trued up from its estimate (less, at times). Never below what they still hold: the caller
     * subtracts at most what that event reserved.
     */
    void grow(long bytes) {
        this.word.addAndGet(bytes);
    }

    void release(int count, long bytes) {
        this.word.addAndGet(-pack(count, bytes));
    }

    /** Refuses every later reservation; what was reserved before stays reserved until it is released. */
    void close() {
        long current;
        do {
            current = this.word.get();
        }
        while ((current & CLOSED) == 0 && !this.word.compareAndSet(current, current | CLOSED));
    }

    boolean isClosed() {
        return (this.word.get() & CLOSED) != 0;
    }

    long events() {
        return count(this.word.get());
    }

    /** Everything it holds: events and the requests of batches in flight. */
    long bytes() {
        return bytes(this.word.get()) + this.requests.get();
    }

    /** What the events alone take, held to {@link #admissionBytes}. */
    long eventBytes() {
        return bytes(this.word.get());
    }

    long capacityBytes() {
        return this.capacityBytes;
    }

    long admissionBytes() {
        return this.admissionBytes;
    }

    long requestBytesEach() {
        return this.requestBytesEach;
    }

    private static long pack(long count, long bytes) {
        return (count << COUNT_SHIFT) + bytes;
    }

    private static long count(long word) {
        return (word & ~CLOSED) >>> COUNT_SHIFT;
    }

    private static long bytes(long word) {
        return word & BYTES_MASK;
    }

}
