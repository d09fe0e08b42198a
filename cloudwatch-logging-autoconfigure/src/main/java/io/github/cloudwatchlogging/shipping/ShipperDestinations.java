package io.github.cloudwatchlogging.shipping;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

import org.jspecify.annotations.Nullable;

/**
 * The destinations of one shipper, by their template (the main one first), and the statistics read from their
 * books, each snapshot under the ledger's lock. Destinations a template opens for an event's values are opened and
 * closed here, under this object's lock; logging calls find an open one without it.
 */
final class ShipperDestinations {

    /** How often, at most, logging calls that find {@code maxDestinations} open look for idle ones to close. */
    private static final long IDLE_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final List<DestinationTemplate> templates = new CopyOnWriteArrayList<>();

    /** Every open destination, for reading. */
    private final List<Destination> all = new CopyOnWriteArrayList<>();

    private final Map<Names, Destination> byNames = new ConcurrentHashMap<>();

    private final Ledger ledger;

    private final Budget budget;

    private final @Nullable ShipperSpool spool;

    private final int maxClosable;

    private final long idleNanos;

    // Under this object's lock.
    private final ArrayDeque<Integer> freeIndexes = new ArrayDeque<>();

    private int nextIndex;

    /** Open destinations opened for events' values; written under this object's lock. */
    private volatile int closable;

    /**
     * While {@code maxDestinations} are open, when a logging call may look for idle ones to close again; until then
     * calls that would open one more go to the default without the lock, so that a steady overflow costs no more
     * than a map lookup. Written under this object's lock.
     */
    private volatile long nextCloseAttempt;

    /** Wakes the worker, so that it starts checking a destination opened for events' values for idleness. */
    private final Runnable onOpened;

    ShipperDestinations(Ledger ledger, Budget budget, @Nullable ShipperSpool spool, ShipperSettings settings,
            Runnable onOpened) {
        this.onOpened = onOpened;
        this.ledger = ledger;
        this.budget = budget;
        this.spool = spool;
        this.maxClosable = settings.maxDestinations();
        this.idleNanos = settings.destinationIdleTimeout().toNanos();
        this.nextCloseAttempt = System.nanoTime();
    }

    /**
     * Adds a template and opens its default destination, numbered in the spool if there is one.
     * @param perEvent whether placeholders in the names are evaluated per event; else the names are taken as they
     * are (a recovered destination's names were evaluated already)
     * @throws IllegalArgumentException when another destination leads to the same group and stream: events taking
     * both would arrive twice
     */
    synchronized DestinationTemplate add(String name, String logGroup, String logStream, boolean perEvent) {
        DestinationTemplate template = new DestinationTemplate(name, logGroup, logStream, perEvent, this);
        Names names = new Names(template.defaultGroup(), template.defaultStream());
        Destination existing = this.byNames.get(names);
        if (existing != null) {
            throw new IllegalArgumentException("Destination '" + name + "' leads to " + names + ", as '"
                    + existing.name() + "' does: its events would arrive twice");
        }
        template.defaultDestination(create(template, names, false, true));
        this.templates.add(template);
        return template;
    }

    /**
     * Adds a pinned destination for what an earlier process left in the spool, named as the spool names it. It is
     * not found by names: live events of the same names take their own route's destination (the events are
     * different ones, so none arrives twice), and are counted there.
     */
    synchronized Destination addRecovered(String name, String logGroup, String logStream) {
        DestinationTemplate template = new DestinationTemplate(name, logGroup, logStream, false, this);
        template.defaultDestination(create(template, new Names(logGroup, logStream), false, false));
        this.templates.add(template);
        return template.defaultDestination();
    }

    /** An open destination of these names; it may be closing: {@link Destination#enter} tells. */
    @Nullable Destination find(String logGroup, String logStream) {
        return this.byNames.get(new Names(logGroup, logStream));
    }

    /**
     * The destination of these names, entered: the open one, or a new one, or, when {@code maxDestinations} are
     * open and none of them has been idle long enough to close, the template's default destination.
     */
    Destination open(DestinationTemplate template, String logGroup, String logStream) {
        Names names = new Names(logGroup, logStream);
        // Unless the names are open: then the worker may be undoing a close of theirs, under the lock.
        // (The map first: a close takes the count down before it takes the names out of the map.)
        if (!this.byNames.containsKey(names) && this.closable >= this.maxClosable
                && System.nanoTime() - this.nextCloseAttempt < 0) {
            return overflow(template);
        }
        synchronized (this) {
            Destination open = this.byNames.get(names);
            if (open != null && open.enter()) {
                return open; // opened meanwhile, or its closing was undone
            }
            long now = System.nanoTime();
            // Once per interval, not once per caller queued on the lock meanwhile.
            if (this.closable >= this.maxClosable && now - this.nextCloseAttempt >= 0) {
                closeIdle(now);
                this.nextCloseAttempt = now + Math.min(this.idleNanos, IDLE_RECHECK_NANOS);
            }
            if (this.closable >= this.maxClosable) {
                return overflow(template);
            }
            Destination destination = create(template, names, true, true);
            this.closable++;
            this.onOpened.run(); // before entering: should it throw, nothing is left entered
            destination.enter();
            return destination;
        }
    }

    /** The template's default destination, pinned (so entered without a count), for one event too many. */
    private static Destination overflow(DestinationTemplate template) {
        template.overflow();
        return template.defaultDestination();
    }

    /**
     * @param closable whether it was opened for an event's values (and may be closed), rather than pinned
     * @param findable whether {@link #find} finds it by its names (not so a recovered one)
     */
    private Destination create(DestinationTemplate template, Names names, boolean closable, boolean findable) {
        Integer free = this.freeIndexes.poll();
        int index = (free != null) ? free : this.nextIndex++;
        Destination destination;
        try {
            destination = new Destination(template.name(), names.logGroup(), names.logStream(), index, template,
                    closable, template.requestListeners());
            destination.idleSinceNanos = System.nanoTime();
            if (this.spool != null) {
                // Appends a line to the spool's destinations file the first time these names are seen, ever.
                this.spool.number(destination);
            }
        }
        catch (RuntimeException | Error ex) {
            this.freeIndexes.add(index);
            throw ex;
        }
        if (findable) {
            this.byNames.put(names, destination);
        }
        this.all.add(destination);
        return destination;
    }

    /**
     * Closes every destination opened for an event's values that nobody has logged to for the idle timeout, that
     * no logging call is in and that holds nothing unsettled; its books are added to its template's. Returns
     * whether any destination opened for an event's values stays open.
     */
    synchronized boolean closeIdle(long now) {
        for (Destination destination : this.all) {
            if (!destination.isClosable()) {
                continue;
            }
            long logged = destination.books().logged();
            if (logged != destination.idleCheckLogged) {
                destination.idleCheckLogged = logged;
                destination.idleSinceNanos = now;
            }
            else if (now - destination.idleSinceNanos >= this.idleNanos && destination.tryClose()) {
                close(destination);
            }
        }
        return this.closable > 0;
    }

    /** Closed to logging calls already: forgotten if nothing of it is unsettled, else opened again. */
    private void close(Destination destination) {
        boolean closed = this.ledger.read(() -> {
            if (destination.books().unsettled() != 0) {
                return false;
            }
            // In one step with the list, so that no statistics read counts it twice or not at all.
            destination.books().addTotalsTo(destination.template().closedBooks());
            this.all.remove(destination);
            return true;
        });
        if (!closed) {
            destination.reopen();
            return;
        }
        this.closable--; // before the names leave the map: see open()
        this.byNames.remove(new Names(destination.logGroup(), destination.logStream()), destination);
        this.freeIndexes.add(destination.index());
    }

    Destination main() {
        return this.templates.get(0).defaultDestination();
    }

    DestinationTemplate mainTemplate() {
        return this.templates.get(0);
    }

    List<DestinationTemplate> templates() {
        return this.templates;
    }

    /** Every open destination, live: for the shipper's own loops. */
    List<Destination> all() {
        return this.all;
    }

    /** How many destinations opened for an event's values are open. */
    int openForEvents() {
        return this.closable;
    }

    ShipperStatistics statistics(Destination destination, ShipperState state) {
        return this.ledger.read(() -> destination.books()
            .snapshot(state, destination.logGroup(), destination.logStream(), queuedEvents(destination), this.budget));
    }

    /** The figures of all the template's destinations, open and closed, added up. */
    ShipperStatistics statistics(DestinationTemplate template, ShipperState state) {
        if (!template.isPerEvent()) {
            return statistics(template.defaultDestination(), state);
        }
        return this.ledger.read(() -> {
            DestinationBooks sum = new DestinationBooks();
            template.closedBooks().addTo(sum);
            long unsettled = 0;
            for (Destination destination : this.all) {
                if (destination.template() == template) {
                    destination.books().addTo(sum);
                    unsettled += destination.books().unsettled();
                }
            }
            long queued = (template == mainTemplate())
                    ? this.budget.events() - unsettledOfOthers((other) -> other.template() != template) : unsettled;
            return sum.snapshot(state, template.logGroup(), template.logStream(), queued, this.budget);
        });
    }

    /** A figure summed over every template. */
    long total(ToLongFunction<ShipperStatistics> figure, ShipperState state) {
        long sum = 0;
        for (DestinationTemplate template : this.templates) {
            sum += figure.applyAsLong(statistics(template, state));
        }
        return sum;
    }

    /** Events dropped for this reason, over every destination, open or closed. */
    long dropped(DropReason reason) {
        return this.ledger.read(() -> {
            long sum = 0;
            for (Destination destination : this.all) {
                sum += destination.books().dropped(reason);
            }
            for (DestinationTemplate template : this.templates) {
                sum += template.closedBooks().dropped(reason);
            }
            return sum;
        });
    }

    /**
     * What the destination holds: for the main one, everything the budget holds but what the others do, so that
     * a shipper with one destination reads its queue from the budget, apart from its counters.
     */
    private long queuedEvents(Destination destination) {
        return (destination != main()) ? destination.books().unsettled()
                : this.budget.events() - unsettledOfOthers((other) -> other != destination);
    }

    /** Under the ledger's lock: what the open destinations that are not the given ones hold. */
    private long unsettledOfOthers(Predicate<Destination> other) {
        long unsettled = 0;
        for (Destination destination : this.all) {
            if (other.test(destination)) {
                unsettled += destination.books().unsettled();
            }
        }
        return unsettled;
    }

    /** A group and a stream. */
    private record Names(String logGroup, String logStream) {

        @Override
        public String toString() {
            return this.logGroup + "/" + this.logStream;
        }

    }

}
