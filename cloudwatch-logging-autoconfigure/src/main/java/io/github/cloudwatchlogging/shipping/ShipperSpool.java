package io.github.cloudwatchlogging.shipping;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

import io.github.cloudwatchlogging.spool.DestinationName;
import io.github.cloudwatchlogging.spool.RecoveredRecord;
import io.github.cloudwatchlogging.spool.RecoveryOutcome;
import io.github.cloudwatchlogging.spool.Settlement;
import io.github.cloudwatchlogging.spool.Spool;
import io.github.cloudwatchlogging.spool.SpoolSettings;
import io.github.cloudwatchlogging.spool.SpoolStatistics;
import org.jspecify.annotations.Nullable;

/**
 * The shipper's side of the spool: it writes each accepted event before the logging call returns, names the
 * destinations by the spool's numbers, and queues again what an earlier process left, on its own thread, waiting
 * for room in the budget rather than dropping any of it.
 */
final class ShipperSpool {

    /** How long a stop waits for the recovery thread to see the queue closed. */
    private static final long RECOVERY_JOIN_MILLIS = 1_000;

    private final Spool spool;

    private final long blockNanos;

    private final int maxEventBytes;

    private final Map<Integer, Destination> byId = new HashMap<>();

    private @Nullable Thread recovery;

    private ShipperSpool(Spool spool, ShipperSettings settings) {
        this.spool = spool;
        this.blockNanos = (settings.overflowPolicy() == OverflowPolicy.BLOCK) ? settings.blockTimeout().toNanos() : 0;
        this.maxEventBytes = settings.maxEventBytes();
    }

    static ShipperSpool open(SpoolSettings settings, ShipperSettings shipperSettings, RateLimitedDiagnostics diagnostics) {
        Spool spool = Spool.open(settings, (message) -> {
            diagnostics.warn("spool", message, null);
            if (!diagnostics.target().writesToStderr()) {
                System.err.println("cloudwatch-logging: " + message);
            }
        });
        return new ShipperSpool(spool, shipperSettings);
    }

    Spool spool() {
        return this.spool;
    }

    /**
     * Before the start: adds (through {@code add}) a destination for each group and stream that records of an
     * earlier process still have to reach and the configuration does not name.
     */
    void addRecoveredDestinations(BiFunction<String, String, Destination> add) {
        for (int id : this.spool.destinationsToRecover()) {
            DestinationName name = this.spool.destination(id);
            if (name != null && !this.byId.containsKey(id)) {
                add.apply(name.logGroup(), name.logStream()); // numbered as it is added
            }
        }
    }

    /**
     * Gives a destination its number in the spool, as it is added; the first one is the main destination. Only a
     * pinned destination is kept for recovery: what an earlier process left for one opened for an event's values
     * is recovered through a pinned one added before the start, and a closed one must not be held.
     */
    void number(Destination destination) {
        int id = this.spool.destinationId(destination.logGroup(), destination.logStream());
        destination.spoolId(id);
        if (id >= 0 && !destination.isClosable()) {
            this.byId.putIfAbsent(id, destination);
        }
    }

    /**
     * Writes the event; returns its position, {@link Spool#NOT_SPOOLED} (ship it from memory) or {@link Spool#FULL}.
     * Under {@link OverflowPolicy#BLOCK} a full spool is waited on for the block timeout.
     */
    long append(long timestamp, byte[] message, Destination[] targets) {
        int[] ids = (targets.length == 1) ? targets[0].spoolIds() : idsOf(targets);
        if (ids == null) {
            return Spool.NOT_SPOOLED;
        }
        try {
            return this.spool.append(timestamp, message, ids, this.blockNanos);
        }
        catch (Throwable ex) {
            return Spool.NOT_SPOOLED; // the spool never throws by design; the logging call must not, whatever happens
        }
    }

    /** The queue refused an event after it was written: its record will reach none of its destinations. */
    void refused(long position) {
        Settlement records = this.spool.settlement();
        try {
            records.settleAll(position);
        }
        finally {
            records.finish();
        }
    }

    /** Starts queuing what an earlier process left, on its own thread. */
    void startRecovery(EventQueue queue) {
        if (!this.spool.isUsable() || this.spool.destinationsToRecover().isEmpty()) {
            return;
        }
        Thread thread = new Thread(() -> this.spool.recover((record) -> queueRecovered(queue, record)),
                "cloudwatch-logging-spool-recovery");
        thread.setDaemon(true);
        this.recovery = thread;
        thread.start();
    }

    /** Stops the recovery (what it did not queue stays on disk) and releases the directory. */
    void stop() {
        Thread thread = this.recovery;
        if (thread != null) {
            try {
                // The closed queue refuses its next event; it may be scanning a segment meanwhile. Past this wait
                // it is left to finish alone: what it has not handed over stays on disk.
                thread.join(RECOVERY_JOIN_MILLIS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        this.spool.close();
    }

    SpoolStatistics statistics() {
        return this.spool.statistics();
    }

    private RecoveryOutcome queueRecovered(EventQueue queue, RecoveredRecord record) {
        Destination[] targets = java.util.Arrays.stream(record.destinationIds())
            .mapToObj(this.byId::get)
            .filter(java.util.Objects::nonNull)
            .toArray(Destination[]::new);
        if (targets.length < record.destinationIds().length) {
            // A destination the spool could not number in this process: leave the whole record to the next one.
            return RecoveryOutcome.LEFT;
        }
        // An earlier process may have allowed larger events: cut it as this one would, the record stays whole.
        byte[] message = EventMessages.prepare(record.message(), this.maxEventBytes);
        LogEvent event = LogEvent.spooled(record.timestamp(), message, targets, record.position());
        for (Destination target : targets) {
            target.books().accepted();
        }
        DropReason refused = queue.offerRecovered(event);
        if (refused == null) {
            return RecoveryOutcome.QUEUED;
        }
        boolean stopping = refused != DropReason.LARGER_THAN_QUEUE;
        for (Destination target : targets) {
            target.books().refused(stopping ? DropReason.LEFT_IN_SPOOL : refused);
        }
        if (stopping) {
            return RecoveryOutcome.STOP;
        }
        refused(record.position()); // larger than this configuration's whole budget: counted, settled
        return RecoveryOutcome.QUEUED;
    }

    private int @Nullable [] idsOf(Destination[] targets) {
        int[] ids = new int[targets.length];
        for (int i = 0; i < targets.length; i++) {
            ids[i] = targets[i].spoolId();
            if (ids[i] < 0) {
                return null;
            }
        }
        return ids;
    }

}
