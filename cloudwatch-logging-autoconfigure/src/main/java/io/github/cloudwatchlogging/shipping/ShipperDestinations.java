package io.github.cloudwatchlogging.shipping;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToLongFunction;

import org.jspecify.annotations.Nullable;

/**
 * The destinations of one shipper, the main one first, and the statistics read from their books: each snapshot
 * under the ledger's lock, the main destination's queue figures being the shared budget's.
 */
final class ShipperDestinations {

    private final List<Destination> all = new CopyOnWriteArrayList<>();

    private final Ledger ledger;

    private final Budget budget;

    private final @Nullable ShipperSpool spool;

    ShipperDestinations(Ledger ledger, Budget budget, @Nullable ShipperSpool spool) {
        this.ledger = ledger;
        this.budget = budget;
        this.spool = spool;
    }

    /**
     * Adds one, numbered in the spool if there is one.
     * @throws IllegalArgumentException when another one leads to the same group and stream: events taking both
     * would arrive twice
     */
    Destination add(String name, String logGroup, String logStream) {
        for (Destination existing : this.all) {
            if (existing.logGroup().equals(logGroup) && existing.logStream().equals(logStream)) {
                throw new IllegalArgumentException("Destination '" + name + "' leads to " + logGroup + "/" + logStream
                        + ", as '" + existing.name() + "' does: its events would arrive twice");
            }
        }
        Destination destination = new Destination(name, logGroup, logStream, this.all.size());
        this.all.add(destination);
        if (this.spool != null) {
            this.spool.number(destination);
        }
        return destination;
    }

    Destination main() {
        return this.all.get(0);
    }

    /** All of them, live: for the shipper's own loops. */
    List<Destination> all() {
        return this.all;
    }

    ShipperStatistics statistics(Destination destination, ShipperState state) {
        return this.ledger.read(() -> destination.books()
            .snapshot(state, destination, queuedEvents(destination), this.budget));
    }

    /** A figure summed over every destination. */
    long total(ToLongFunction<ShipperStatistics> figure, ShipperState state) {
        long sum = 0;
        for (Destination destination : this.all) {
            sum += figure.applyAsLong(statistics(destination, state));
        }
        return sum;
    }

    /** Events dropped for this reason, over every destination. */
    long dropped(DropReason reason) {
        long sum = 0;
        for (Destination destination : this.all) {
            sum += this.ledger.read(() -> destination.books().dropped(reason));
        }
        return sum;
    }

    /**
     * What the destination holds: for the main one, everything the budget holds but what the others do, so that
     * a shipper with one destination reads its queue from the budget, apart from its counters.
     */
    private long queuedEvents(Destination destination) {
        if (destination != main()) {
            return destination.books().unsettled();
        }
        long others = 0;
        for (Destination other : this.all) {
            if (other != destination) {
                others += other.books().unsettled();
            }
        }
        return this.budget.events() - others;
    }

}
