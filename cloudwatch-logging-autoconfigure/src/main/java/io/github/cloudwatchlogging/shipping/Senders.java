package io.github.cloudwatchlogging.shipping;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Up to {@code maxInFlight} sender threads, each running one batch's PutLogEvents call and its retries until the
 * batch is settled. The client is closed once, by whichever comes last: the stop, or the last call under way.
 */
final class Senders {

    private static final long DISPATCH_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final long IDLE_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);


    private final ShipperSettings settings;

    private final PutLogEventsSender sender;

    private final Ledger ledger;

    private final FailureReporter failures;

    private final Backoff backoff;

    private final Semaphore permits;

    private final ThreadPoolExecutor pool;

    private final CountDownLatch abandoned = new CountDownLatch(1);

    private final AtomicBoolean closing = new AtomicBoolean();

    private final AtomicBoolean closed = new AtomicBoolean();

    Senders(ShipperSettings settings, PutLogEventsSender sender, Ledger ledger, FailureReporter failures) {
        this.settings = settings;
        this.sender = sender;
        this.ledger = ledger;
        this.failures = failures;
        this.backoff = new Backoff(settings.retryBaseDelay(), settings.retryMaxDelay());
        int inFlight = settings.maxInFlight();
        this.permits = new Semaphore(inFlight);
        this.pool = new ThreadPoolExecutor(inFlight, inFlight, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                ShipperThread.factory("cloudwatch-logging-sender"));
    }

    /**
     * Hands a batch to a sender, waiting for one to be free: the worker's only wait besides its timer. Returns
     * false, leaving the batch to the stop to settle, when the stop gave up first.
     */
    boolean dispatch(Batch batch) {
        while (!isAbandoned()) {
            if (!tryAcquire()) {
                continue;
            }
            try {
                this.ledger.chargeRequest(batch);
                this.pool.execute(() -> deliver(batch));
                return true;
            }
            catch (RejectedExecutionException ex) {
                releasePermit();
                return false;
            }
            catch (Throwable ex) {
                // No thread for it now (the JVM could not start one): keep the batch and try again shortly.
                releasePermit();
                this.failures.dispatchFailed(ex);
                LockSupport.parkNanos(DISPATCH_RETRY_NANOS);
            }
        }
        return false;
    }

    private boolean tryAcquire() {
        try {
            return this.permits.tryAcquire(10, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            return false; // someone else's interrupt: the worker clears its flag itself and goes on
        }
    }

    /** Runs on a sender thread: one call, and more after failures, until the batch is settled or abandoned. */
    private void deliver(Batch batch) {
        Destination destination = batch.destination();
        DestinationBooks books = destination.books();
        try {
            this.ledger.handedOver(batch);
            for (int attempt = 0; !isAbandoned(); attempt++) {
                Throwable failure = null;
                PutResult result = null;
                Thread.interrupted(); // an interrupt left set would fail the call before it starts
                books.requestStarted();
                long started = System.nanoTime();
                try {
                    result = this.sender.send(batch);
                }
                catch (Throwable ex) {
                    failure = ex;
                }
                finally {
                    books.requestEnded();
                }
                destination.tellRequestEnded(System.nanoTime() - started,
                        (failure != null) ? FailureClassifier.describeType(failure) : null);
                if (result != null) {
                    this.ledger.settleDelivered(batch, result);
                    return;
                }
                FailureKind kind = FailureClassifier.classify(failure);
                try {
                    this.failures.record(batch, failure, kind);
                }
                catch (Throwable ex) {
                    // Reporting a failure must never leave the batch unsettled.
                }
                if (!kind.retryable()) {
                    this.ledger.settleRejected(batch, RejectReason.INVALID_PARAMETER);
                    return;
                }
                books.retried();
                if (awaitAbandoned(this.backoff.delayNanos(attempt))) {
                    return; // the stop settles it
                }
            }
        }
        finally {
            releasePermit();
        }
    }

    /** Gives a permit back, and closes the client if the stop is waiting for this last one. */
    private void releasePermit() {
        this.permits.release();
        if (this.closing.get() && this.permits.availablePermits() == this.settings.maxInFlight()) {
            closeClient();
        }
    }

    /** Waits out a backoff; an interrupt (someone else's) cuts the wait short but never leaves the batch behind. */
    private boolean awaitAbandoned(long nanos) {
        try {
            return this.abandoned.await(nanos, TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            return isAbandoned();
        }
    }

    /** Stops every retry and refuses further batches; calls under way end on their own (never interrupted). */
    void abandon() {
        this.abandoned.countDown();
    }

    boolean isAbandoned() {
        return this.abandoned.getCount() == 0;
    }

    /**
     * Lets the pool's threads end and closes the client now, or when the last call under way ends: whichever
     * side sees the other done closes it, once.
     */
    void shutdown() {
        this.pool.shutdown();
        this.closing.set(true);
        if (this.permits.availablePermits() == this.settings.maxInFlight()) {
            closeClient();
        }
    }

    /**
     * After a stop that saw everything settled: waits, until the deadline at most, for the senders to leave their
     * calls (a few instructions after the last settlement), so that the stop returns with the client closed.
     */
    void awaitIdle(long deadlineNanos) {
        while (this.permits.availablePermits() < this.settings.maxInFlight() && System.nanoTime() - deadlineNanos < 0) {
            LockSupport.parkNanos(IDLE_POLL_NANOS);
        }
    }

    private void closeClient() {
        if (this.closed.compareAndSet(false, true)) {
            try {
                this.sender.close();
            }
            catch (RuntimeException ex) {
                this.failures.closeFailed(ex);
            }
        }
    }

    /** Says when a call failed; kept apart so that this class only runs calls. */
    interface FailureReporter {

        void record(Batch batch, Throwable failure, FailureKind kind);

        void closeFailed(RuntimeException failure);

        void dispatchFailed(Throwable failure);

    }

}
