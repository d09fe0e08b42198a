package io.github.cloudwatchlogging.shipping;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import io.github.cloudwatchlogging.spool.SpoolStatistics;
import org.jspecify.annotations.Nullable;

/**
 * Ships events to CloudWatch Logs: one queue bounded in bytes, one {@link Worker} that batches each
 * {@link Destination} on its own, and up to {@code maxInFlight} {@link Senders} that each run one PutLogEvents
 * call and its retries. The {@link Ledger} settles every accepted event exactly once.
 * <p>
 * Logging threads call {@link #offer}: it never touches the network and never waits, unless the overflow policy is
 * {@link OverflowPolicy#BLOCK}. (Opening a destination named by an event's values, before the offer, takes short
 * locks: see {@link DestinationTemplate#enter}.) An event that takes several destinations is encoded once and queued
 * once. A batch is sent again only after a call that failed, so a batch the service accepted is never sent twice;
 * only a call whose answer is lost (a timeout) can repeat, as with any client.
 */
public final class LogShipper {

    private static final Duration DIAGNOSTICS_INTERVAL = Duration.ofSeconds(30);

    /**
     * How long a stop that gave up waits for the worker to count what it holds; with the worker's own wait for
     * calls under way ({@link Worker#ANNOUNCED_WAIT_NANOS}) inside it, what a stop may take beyond its timeout.
     */
    private static final long WORKER_JOIN_MILLIS = 300;

    private final ShipperSettings settings;

    private final RateLimitedDiagnostics diagnostics;

    private final Budget budget;

    private final Ledger ledger;

    private final EventQueue queue;

    private final @Nullable ShipperSpool spool;

    private final EventIntake intake;

    private final ShipperDestinations destinations;

    private final Destination[] mainOnly;

    private final ConcurrentLinkedQueue<CompletableFuture<Void>> flushRequests = new ConcurrentLinkedQueue<>();

    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    private final Object lifecycle = new Object();

    private volatile ShipperState state = ShipperState.BUFFERING;

    private volatile @Nullable Thread worker;

    private @Nullable Senders senders;

    private @Nullable StopReport stopReport;

    public LogShipper(ShipperSettings settings, ShipperDiagnostics diagnostics) {
        this.settings = settings;
        this.diagnostics = new RateLimitedDiagnostics(diagnostics, DIAGNOSTICS_INTERVAL, System::nanoTime);
        this.budget = Budget.forSettings(settings);
        this.spool = (settings.spool() != null) ? ShipperSpool.open(settings.spool(), settings, this.diagnostics) : null;
        this.ledger = new Ledger(this.budget, (this.spool != null) ? this.spool.spool() : null);
        this.queue = new EventQueue(settings, this.budget, this.ledger, this::wakeWorker);
        this.ledger.onSettled(this.queue::signalSpace);
        this.intake = new EventIntake(settings, this.spool, this.queue);
        this.destinations = new ShipperDestinations(this.ledger, this.budget, this.spool, settings, this::wakeWorker);
        DestinationTemplate main = this.destinations.add(Destination.MAIN, settings.logGroup(), settings.logStream(),
                true);
        this.mainOnly = new Destination[] { main.defaultDestination() };
    }

    public ShipperSettings settings() {
        return this.settings;
    }

    /**
     * The destination the settings name; when they name it with placeholders evaluated per event, the one their
     * defaults name, which takes the events offered without a destination.
     */
    public Destination mainDestination() {
        return this.mainOnly[0];
    }

    /** The main destination alone, as the array {@link #offer(long, byte[], Destination[])} takes; never changed. */
    public Destination[] mainTargets() {
        return this.mainOnly;
    }

    /** The destinations the settings name. */
    public DestinationTemplate mainTemplate() {
        return this.destinations.mainTemplate();
    }

    /**
     * Adds a destination, batched on its own but sharing the queue budget, the worker and the senders; its names
     * are taken as they are.
     * @throws IllegalStateException once started
     */
    public Destination addDestination(String name, String logGroup, String logStream) {
        return add(name, logGroup, logStream, false).defaultDestination();
    }

    /**
     * Adds the destinations of a route, whose names may hold placeholders evaluated per event
     * ({@link EventNameTemplate}); each is batched on its own, sharing the queue budget, the worker and the senders.
     * @throws IllegalStateException once started
     */
    public DestinationTemplate addTemplate(String name, String logGroup, String logStream) {
        return add(name, logGroup, logStream, true);
    }

    private DestinationTemplate add(String name, String logGroup, String logStream, boolean perEvent) {
        synchronized (this.lifecycle) {
            if (this.state != ShipperState.BUFFERING) {
                throw new IllegalStateException("Destinations are added before the shipper starts");
            }
            return this.destinations.add(name, logGroup, logStream, perEvent);
        }
    }

    /** The destinations open now, pinned or opened for events' values. */
    public List<Destination> destinations() {
        return List.copyOf(this.destinations.all());
    }

    /** The templates, the main one first, then the routes, then the destinations recovered from the spool. */
    public List<DestinationTemplate> templates() {
        return List.copyOf(this.destinations.templates());
    }

    /** How many destinations opened for events' values are open now: at most {@code maxDestinations}. */
    public int destinationsOpenForEvents() {
        return this.destinations.openForEvents();
    }

    /** Adds a listener told of every PutLogEvents call to the main destinations as it ends; for metrics. */
    public void addRequestListener(RequestListener listener) {
        mainTemplate().addRequestListener(listener);
    }

    public void removeRequestListener(RequestListener listener) {
        mainTemplate().removeRequestListener(listener);
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
            if (this.spool != null) {
                this.spool.addRecoveredDestinations((group, stream) -> this.destinations
                    .addRecovered("recovered-" + this.destinations.templates().size(), group, stream));
            }
            Senders pool = new Senders(this.settings, sender, this.ledger,
                    new FailureReports(this.settings, this.diagnostics));
            this.senders = pool;
            Thread thread = ShipperThread.named(new Worker(this.settings, this.queue, this.budget, this.ledger, pool,
                    this.destinations, this.flushRequests, this.drained, this.diagnostics), "cloudwatch-logging-worker");
            this.worker = thread;
            this.state = ShipperState.RUNNING;
            thread.start();
            if (this.spool != null) {
                this.spool.startRecovery(this.queue);
            }
        }
    }

    /**
     * Queues an event for the main destination. The message is UTF-8; an empty one is replaced and one over the
     * per-event limit is truncated with a marker. Returns whether it was queued; when not, it was counted as
     * dropped with its reason.
     */
    public boolean offer(long timestamp, byte[] utf8Message) {
        return offer(timestamp, utf8Message, this.mainOnly);
    }

    public boolean offer(long timestamp, String message) {
        return offer(timestamp, EventMessages.encode(message));
    }

    /**
     * Queues one event for each of the destinations, encoded once. The array is kept, not copied: pass one that
     * never changes, of destinations of this shipper, without repeats; an empty one is refused. A destination a
     * template opened for an event's values must have been {@link DestinationTemplate#enter entered} by the caller,
     * and be exited after this returns: else it may be closed under the call.
     */
    public boolean offer(long timestamp, byte[] utf8Message, Destination[] targets) {
        return this.intake.offer(timestamp, utf8Message, targets);
    }

    /**
     * Like {@link #offer(long, byte[], Destination[])} for a message the worker formats, off the calling thread
     * (formatted now when there is a spool). It takes {@code estimatedBytes} of the budget until it is formatted,
     * then what it takes; an estimate too low lets the budget run over by the difference until then.
     */
    public boolean offer(long timestamp, DeferredMessage message, int estimatedBytes, Destination[] targets) {
        return this.intake.offer(timestamp, message, estimatedBytes, targets);
    }

    /** What the spool is doing; null without one. */
    public @Nullable SpoolStatistics spoolStatistics() {
        return (this.spool != null) ? this.spool.statistics() : null;
    }

    /** Where the shipper is in its life; cheaper than a statistics snapshot. */
    public ShipperState state() {
        return this.state;
    }

    /**
     * The main destinations' statistics (added up over those opened for events' values, open or closed); the queue
     * figures are the shared budget's.
     */
    public ShipperStatistics statistics() {
        return statistics(mainTemplate());
    }

    /** One template's statistics, added up over its destinations, open or closed. */
    public ShipperStatistics statistics(DestinationTemplate template) {
        return this.destinations.statistics(template, this.state);
    }

    public ShipperStatistics statistics(Destination destination) {
        return this.destinations.statistics(destination, this.state);
    }

    /**
     * Sends everything logged before this call without waiting for the batch delay, and waits until all of it is
     * settled (sent, rejected or dropped) or the timeout runs out.
     */
    public FlushReport flush(Duration timeout) {
        long sentBefore = total(ShipperStatistics::sent);
        long rejectedBefore = total(ShipperStatistics::rejectedTotal);
        boolean completed = false;
        if (this.state == ShipperState.RUNNING) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            this.flushRequests.add(done);
            wakeWorker();
            // A stop that began meanwhile may have let the worker go before it saw the request: what the stop
            // delivers in full covers everything this flush asks for too.
            completed = await(CompletableFuture.anyOf(done, this.drained), System.nanoTime() + timeout.toNanos());
        }
        return new FlushReport(completed, total(ShipperStatistics::sent) - sentBefore,
                total(ShipperStatistics::rejectedTotal) - rejectedBefore, this.budget.events());
    }

    /**
     * Refuses new events, delivers everything held within the shutdown timeout, and reports what it could not
     * deliver, also on stderr. Calls under way when the timeout runs out are left to finish on their own and
     * never interrupted, since an interrupted call that the service had accepted would be sent again elsewhere;
     * the client is closed when the last of them ends. Idempotent.
     */
    public StopReport stop() {
        synchronized (this.lifecycle) {
            if (this.stopReport != null) {
                return this.stopReport;
            }
            long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
            Senders pool = this.senders;
            this.state = ShipperState.STOPPING;
            this.queue.close();
            wakeWorker();
            if (pool == null) {
                // Never started: what was buffered is undelivered, including events of calls that reserved before.
                this.queue.settleAllWaiting(DropReason.SHUTDOWN_TIMEOUT, Worker.ANNOUNCED_WAIT_NANOS);
            }
            else if (!await(this.drained, deadline)) {
                abandon(pool);
            }
            else {
                pool.awaitIdle(deadline); // everything settled: the senders are leaving their last calls
            }
            if (pool != null) {
                pool.shutdown();
            }
            if (this.spool != null) {
                this.spool.stop();
            }
            this.state = ShipperState.STOPPED;
            this.stopReport = new StopReport(this.destinations.dropped(DropReason.SHUTDOWN_TIMEOUT),
                    this.destinations.dropped(DropReason.LEFT_IN_SPOOL), statistics());
            FailureReports.afterStop(this.diagnostics.target(), this.destinations.all(), this.stopReport,
                    (pool == null) ? "it was never started"
                            : "the shutdown timeout of " + this.settings.shutdownTimeout() + " ran out",
                    (this.spool != null) ? this.spool.spool().directory() : null);
            return this.stopReport;
        }
    }

    /** Stops every retry, lets the worker count what it holds, and counts every unsettled batch as undelivered. */
    private void abandon(Senders pool) {
        pool.abandon();
        Thread thread = this.worker;
        if (thread != null) {
            wakeWorker();
            try {
                thread.join(WORKER_JOIN_MILLIS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        for (Batch batch : this.ledger.unsettledBatches()) {
            this.ledger.settleDropped(batch, DropReason.SHUTDOWN_TIMEOUT);
        }
    }

    private long total(java.util.function.ToLongFunction<ShipperStatistics> figure) {
        return this.destinations.total(figure, this.state);
    }

    private void wakeWorker() {
        Thread thread = this.worker;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    private static boolean await(CompletableFuture<?> done, long deadline) {
        try {
            done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        }
        catch (TimeoutException | ExecutionException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

}
