package io.github.cloudwatchlogging.shipping;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Ships events to one CloudWatch Logs stream: one bounded queue, one worker that cuts batches, and up to
 * {@code maxInFlight} senders that each run one PutLogEvents call and its retries.
 * <p>
 * Logging threads call {@link #offer}: it encodes nothing more, never touches the network and never waits, unless
 * the overflow policy is {@link OverflowPolicy#BLOCK}. The worker wakes when a full batch is waiting or the batch
 * delay is up. A batch is sent again only after a call that failed, so a batch the service accepted is never sent
 * twice; only a call whose answer is lost (a timeout) can repeat, as with any client.
 */
public final class LogShipper {

    private static final Duration DIAGNOSTICS_INTERVAL = Duration.ofSeconds(30);

    private final ShipperSettings settings;

    private final RateLimitedDiagnostics diagnostics;

    private final ShippingCounters counters = new ShippingCounters();

    private final EventQueue queue;

    private final Backoff backoff;

    private final Semaphore permits;

    private final Set<Batch> unsettled = ConcurrentHashMap.newKeySet();

    private final CountDownLatch abandoned = new CountDownLatch(1);

    private final AtomicBoolean flushRequested = new AtomicBoolean();

    private final Object lifecycle = new Object();

    private final Object progress = new Object();

    private final CopyOnWriteArrayList<RequestListener> requestListeners = new CopyOnWriteArrayList<>();

    private volatile ShipperState state = ShipperState.BUFFERING;

    private volatile @Nullable Thread worker;

    private @Nullable ExecutorService senders;

    private @Nullable PutLogEventsSender sender;

    private @Nullable StopReport stopReport;

    public LogShipper(ShipperSettings settings, ShipperDiagnostics diagnostics) {
        this.settings = settings;
        this.diagnostics = new RateLimitedDiagnostics(diagnostics, DIAGNOSTICS_INTERVAL, System::nanoTime);
        this.queue = new EventQueue(settings, this.counters, this::wakeWorker);
        this.backoff = new Backoff(settings.retryBaseDelay(), settings.retryMaxDelay());
        this.permits = new Semaphore(settings.maxInFlight());
    }

    public ShipperSettings settings() {
        return this.settings;
    }

    /** Adds a listener told of every PutLogEvents call as it ends; for metrics. */
    public void addRequestListener(RequestListener listener) {
        this.requestListeners.add(listener);
    }

    public void removeRequestListener(RequestListener listener) {
        this.requestListeners.remove(listener);
    }

    /**
     * Starts sending through the given sender. Until then, events are buffered within the queue budget.
     * @throws IllegalStateException if already started or stopped
     */
    public void start(PutLogEventsSender sender) {
        synchronized (this.lifecycle) {
            if (this.state != ShipperState.BUFFERING) {
                throw new IllegalStateException("The shipper is " + this.state + " and cannot be started again");
            }
            this.sender = sender;
            int inFlight = this.settings.maxInFlight();
            this.senders = new ThreadPoolExecutor(inFlight, inFlight, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    ShipperThread.factory("cloudwatch-logging-sender"));
            this.state = ShipperState.RUNNING;
            Thread thread = ShipperThread.named(this::work, "cloudwatch-logging-worker");
            this.worker = thread;
            thread.start();
        }
    }

    /**
     * Queues an event. The message is UTF-8; an empty one is replaced and one over the per-event limit is truncated
     * with a marker. Returns whether it was queued; when not, it was counted as dropped with its reason.
     */
    public boolean offer(long timestamp, byte[] utf8Message) {
        byte[] message = EventMessages.prepare(utf8Message, this.settings.maxEventBytes());
        if (EventMessages.isTruncated(message, utf8Message)) {
            this.counters.truncated();
        }
        return this.queue.offer(new LogEvent(timestamp, message));
    }

    public boolean offer(long timestamp, String message) {
        return offer(timestamp, EventMessages.encode(message));
    }

    /** Where the shipper is in its life; cheaper than a statistics snapshot. */
    public ShipperState state() {
        return this.state;
    }

    public ShipperStatistics statistics() {
        return this.counters.snapshot(this.state, this.settings, this.queue);
    }

    /**
     * Sends everything queued now, without waiting for the batch delay, and waits until it is settled or the
     * timeout runs out.
     */
    public FlushReport flush(Duration timeout) {
        long target = this.counters.enqueuedCount();
        long sentBefore = this.counters.sentCount();
        long rejectedBefore = this.counters.rejectedCount();
        boolean completed = false;
        if (this.state == ShipperState.RUNNING) {
            this.flushRequested.set(true);
            wakeWorker();
            completed = awaitProgress(() -> this.counters.settledCount() >= target, System.nanoTime() + timeout.toNanos());
        }
        return new FlushReport(completed, this.counters.sentCount() - sentBefore,
                this.counters.rejectedCount() - rejectedBefore, this.queue.outstandingEvents());
    }

    /**
     * Refuses new events, delivers everything held within the shutdown timeout, and reports what it could not
     * deliver, also on stderr. Calls under way when the timeout runs out are left to finish on their own and
     * never interrupted, since an interrupted call that the service had accepted would be sent again elsewhere.
     * Idempotent.
     */
    public StopReport stop() {
        synchronized (this.lifecycle) {
            if (this.stopReport != null) {
                return this.stopReport;
            }
            long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
            boolean started = this.worker != null;
            this.state = ShipperState.STOPPING;
            this.queue.close();
            boolean delivered = started && awaitDelivery(deadline);
            if (!delivered) {
                abandon();
            }
            ExecutorService pool = this.senders;
            if (pool != null) {
                pool.shutdown();
            }
            PutLogEventsSender current = this.sender;
            if (current != null && this.counters.inFlightRequests() == 0) {
                closeQuietly(current);
            }
            long undelivered = this.counters.droppedCount(DropReason.SHUTDOWN_TIMEOUT);
            this.state = ShipperState.STOPPED;
            this.stopReport = new StopReport(undelivered, statistics());
            if (undelivered > 0) {
                reportUndelivered(undelivered, started);
            }
            return this.stopReport;
        }
    }

    private boolean awaitDelivery(long deadline) {
        wakeWorker();
        Thread thread = this.worker;
        return awaitProgress(() -> this.queue.outstandingEvents() == 0 && (thread == null || !thread.isAlive()),
                deadline);
    }

    /** Stops all sending and counts everything not yet settled as undelivered. */
    private void abandon() {
        this.abandoned.countDown();
        Thread thread = this.worker;
        if (thread != null) {
            wakeWorker();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(2));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        else {
            dropWaiting(DropReason.SHUTDOWN_TIMEOUT);
        }
        for (Batch batch : new ArrayList<>(this.unsettled)) {
            settleDropped(batch, DropReason.SHUTDOWN_TIMEOUT);
        }
    }

    private void reportUndelivered(long undelivered, boolean started) {
        ShippingCounters.Failure failure = this.counters.lastFailure();
        String reason = !started ? "it was never started"
                : "the shutdown timeout of " + this.settings.shutdownTimeout() + " ran out";
        String message = "cloudwatch-logging: " + undelivered + " log events could not be delivered to "
                + this.settings.logGroup() + "/" + this.settings.logStream() + " because " + reason
                + ((failure != null) ? "; last error: " + failure.type() + ": " + failure.message() : "");
        ShipperDiagnostics target = this.diagnostics.target();
        if (!target.writesToStderr()) {
            System.err.println(message);
        }
        target.error(message, null);
    }

    private void work() {
        Batcher batcher = Batcher.forSettings(this.settings);
        LogEvent[] chunk = new LogEvent[256];
        long delay = this.settings.batchDelay().toNanos();
        long deadline = System.nanoTime() + delay;
        while (!isAbandoned()) {
            try {
                boolean stopping = this.state != ShipperState.RUNNING;
                boolean flush = this.flushRequested.getAndSet(false);
                drainInto(batcher, chunk);
                long now = System.nanoTime();
                if (stopping || flush || now - deadline >= 0) {
                    dispatch(batcher.take());
                    deadline = now + delay;
                    if (stopping && this.queue.waitingEvents() == 0) {
                        break;
                    }
                }
                // Checked again right before parking, not trusted from the top of the loop: a wake-up that arrived
                // while this thread waited for a sender (Semaphore.tryAcquire parks too) was used up there.
                if (this.state == ShipperState.RUNNING && !this.flushRequested.get() && !this.queue.hasFullBatch()) {
                    LockSupport.parkNanos(this, deadline - System.nanoTime());
                }
            }
            catch (RuntimeException | Error ex) {
                // The worker never dies: a bug here must not silently stop all shipping.
                this.diagnostics.error("worker", "cloudwatch-logging: the worker hit an unexpected error", ex);
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
        if (isAbandoned()) {
            Batch pending = batcher.take();
            if (pending != null) {
                settleDropped(pending, DropReason.SHUTDOWN_TIMEOUT);
            }
            dropWaiting(DropReason.SHUTDOWN_TIMEOUT);
        }
        signalProgress();
    }

    private void drainInto(Batcher batcher, LogEvent[] chunk) {
        int count;
        while (!isAbandoned() && (count = this.queue.drainTo(chunk)) > 0) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < count; i++) {
                LogEvent event = chunk[i];
                chunk[i] = null;
                RejectReason outside = TimestampWindow.check(event.timestamp(), now);
                if (outside != null) {
                    settle(Batch.of(event), () -> this.counters.rejectedWhole(outside, 1));
                    continue;
                }
                dispatch(batcher.add(event));
                if (batcher.isFull()) {
                    dispatch(batcher.take());
                }
            }
        }
    }

    /** Hands a batch to a sender, waiting for one to be free; the worker's only wait besides its timer. */
    private void dispatch(@Nullable Batch batch) {
        if (batch == null) {
            return;
        }
        this.unsettled.add(batch);
        try {
            while (!this.permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (isAbandoned()) {
                    return; // stop() settles it
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return;
        }
        ExecutorService pool = this.senders;
        try {
            if (pool == null) {
                throw new RejectedExecutionException("not started");
            }
            pool.execute(() -> deliver(batch));
        }
        catch (RejectedExecutionException ex) {
            this.permits.release();
            settleDropped(batch, DropReason.SHUTDOWN_TIMEOUT);
        }
    }

    /** Runs on a sender thread: one call, and more after failures, until the batch is settled or abandoned. */
    private void deliver(Batch batch) {
        PutLogEventsSender current = this.sender;
        try {
            for (int attempt = 0; current != null && !isAbandoned(); attempt++) {
                Throwable failure = null;
                PutResult result = null;
                this.counters.requestStarted();
                long started = System.nanoTime();
                try {
                    result = current.send(batch);
                }
                catch (Throwable ex) {
                    failure = ex;
                }
                finally {
                    this.counters.requestEnded();
                }
                tellRequestEnded(System.nanoTime() - started, failure);
                if (result != null) {
                    settleDelivered(batch, result);
                    return;
                }
                FailureKind kind = FailureClassifier.classify(failure);
                recordFailure(batch, failure, kind);
                if (!kind.retryable()) {
                    settleRejected(batch);
                    return;
                }
                this.counters.retried();
                if (this.abandoned.await(this.backoff.delayNanos(attempt), TimeUnit.NANOSECONDS)) {
                    return; // stop() settles it
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            this.permits.release();
        }
    }

    private void tellRequestEnded(long nanos, @Nullable Throwable failure) {
        if (this.requestListeners.isEmpty()) {
            return;
        }
        String failureType = (failure != null) ? FailureClassifier.describeType(failure) : null;
        for (RequestListener listener : this.requestListeners) {
            try {
                listener.requestEnded(nanos, failureType);
            }
            catch (RuntimeException ex) {
                // A metrics problem must never stop delivery.
            }
        }
    }

    private void recordFailure(Batch batch, Throwable failure, FailureKind kind) {
        String type = FailureClassifier.describeType(failure);
        String message = this.settings.redact(FailureClassifier.describeMessage(failure));
        this.counters.failed(new ShippingCounters.Failure(Instant.now(), type, message));
        String text = "cloudwatch-logging: PutLogEvents to " + this.settings.logGroup() + "/"
                + this.settings.logStream() + " failed (" + type + ", " + kind.name().toLowerCase() + "): " + message;
        if (kind == FailureKind.INVALID_BATCH) {
            this.diagnostics.error(type, text + "; the batch's " + batch.size() + " events are counted as rejected",
                    null);
        }
        else if (kind == FailureKind.AUTHORIZATION || kind == FailureKind.RESOURCE_NOT_FOUND) {
            this.diagnostics.error(type, text + "; events are kept within the queue budget and retried", null);
        }
        else {
            this.diagnostics.warn(type, text + "; retrying", null);
        }
    }

    private void settleDelivered(Batch batch, PutResult result) {
        settle(batch, () -> this.counters.delivered(batch.size() - result.rejected(), result.byReason(), Instant.now()));
    }

    private void settleRejected(Batch batch) {
        settle(batch, () -> this.counters.rejectedWhole(RejectReason.INVALID_PARAMETER, batch.size()));
    }

    private void settleDropped(Batch batch, DropReason reason) {
        settle(batch, () -> this.counters.settledDropped(reason, batch.size()));
    }

    /**
     * Settles a batch once: counts its outcome and gives back its budget in one step under the books' lock, then
     * lets blocked producers and waiting flushes go on.
     */
    private void settle(Batch batch, Runnable countOutcome) {
        if (!batch.settle()) {
            return;
        }
        synchronized (this.counters.books()) {
            countOutcome.run();
            this.queue.release(batch.size(), batch.queueBytes());
        }
        this.unsettled.remove(batch);
        this.queue.signalSpace();
        signalProgress();
    }

    private void dropWaiting(DropReason reason) {
        LogEvent[] chunk = new LogEvent[256];
        int count;
        while ((count = this.queue.drainTo(chunk)) > 0) {
            settleDropped(Batch.of(Arrays.copyOf(chunk, count)), reason);
        }
    }

    private boolean isAbandoned() {
        return this.abandoned.getCount() == 0;
    }

    private void wakeWorker() {
        Thread thread = this.worker;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    private void signalProgress() {
        synchronized (this.progress) {
            this.progress.notifyAll();
        }
    }

    private boolean awaitProgress(BooleanSupplier done, long deadline) {
        synchronized (this.progress) {
            while (!done.getAsBoolean()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                try {
                    // Bounded so that a condition changed without a signal (a worker that ended) is seen soon.
                    TimeUnit.NANOSECONDS.timedWait(this.progress, Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(50)));
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private void closeQuietly(PutLogEventsSender current) {
        try {
            current.close();
        }
        catch (RuntimeException ex) {
            this.diagnostics.warn("close", "cloudwatch-logging: closing the CloudWatch Logs client failed", ex);
        }
    }

    /**
     * What a flush did.
     *
     * @param completed whether everything queued at the call was settled before the timeout
     * @param sent events accepted while it waited
     * @param rejected events refused while it waited
     * @param remaining events still held when it returned
     */
    public record FlushReport(boolean completed, long sent, long rejected, long remaining) {
    }

    /**
     * What stop left behind.
     *
     * @param undelivered events counted as dropped because the shutdown timeout ran out
     * @param statistics the final statistics
     */
    public record StopReport(long undelivered, ShipperStatistics statistics) {
    }

}
