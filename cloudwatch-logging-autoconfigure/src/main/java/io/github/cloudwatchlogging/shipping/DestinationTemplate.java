package io.github.cloudwatchlogging.shipping;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The destinations of one route (the main one, or a route of the configuration): a log group and stream whose names
 * may hold placeholders evaluated per event ({@link EventNameTemplate}). Without such a placeholder it is one
 * destination, pinned. With one, each distinct pair of names is a destination of its own, opened on first use and
 * closed when idle, up to the shipper's {@code maxDestinations} open at once; besides them the default destination
 * (every placeholder at its default) is always open, and takes the events that would open one too many, counted as
 * {@link #overflowed}. All of them share the one queue budget, the worker and the senders.
 */
public final class DestinationTemplate {

    private final String name;

    private final String logGroup;

    private final String logStream;

    private final @Nullable EventNameTemplate groupTemplate;

    private final @Nullable EventNameTemplate streamTemplate;

    private final ShipperDestinations destinations;

    private final CopyOnWriteArrayList<RequestListener> requestListeners = new CopyOnWriteArrayList<>();

    private final LongAdder overflowed = new LongAdder();

    /** The books of the destinations it closed, added up; under the ledger's lock. */
    private final DestinationBooks closedBooks = new DestinationBooks();

    private @Nullable Destination defaultDestination;

    /**
     * @param logGroup the group's name, or its template
     * @param logStream the stream's name, or its template
     * @param perEvent whether to evaluate placeholders per event, or take the names as they are
     */
    DestinationTemplate(String name, String logGroup, String logStream, boolean perEvent,
            ShipperDestinations destinations) {
        this.name = name;
        this.logGroup = logGroup;
        this.logStream = logStream;
        this.groupTemplate = (perEvent && EventNameTemplate.isPerEvent(logGroup))
                ? EventNameTemplate.forGroup(logGroup) : null;
        this.streamTemplate = (perEvent && EventNameTemplate.isPerEvent(logStream))
                ? EventNameTemplate.forStream(logStream) : null;
        this.destinations = destinations;
    }

    /** {@link Destination#MAIN}, or the name of a route. */
    public String name() {
        return this.name;
    }

    /** The group as configured, placeholders and all. */
    public String logGroup() {
        return this.logGroup;
    }

    /** The stream as configured, placeholders and all. */
    public String logStream() {
        return this.logStream;
    }

    /** Whether its names hold a placeholder evaluated per event. */
    public boolean isPerEvent() {
        return this.groupTemplate != null || this.streamTemplate != null;
    }

    /** The group every placeholder at its default names. */
    String defaultGroup() {
        return (this.groupTemplate != null) ? this.groupTemplate.defaultName() : this.logGroup;
    }

    /** The stream every placeholder at its default names. */
    String defaultStream() {
        return (this.streamTemplate != null) ? this.streamTemplate.defaultName() : this.logStream;
    }

    void defaultDestination(Destination destination) {
        this.defaultDestination = destination;
    }

    /** Its one destination when it has no per-event placeholder; else the one every default names. Always open. */
    public Destination defaultDestination() {
        Destination destination = this.defaultDestination;
        if (destination == null) {
            throw new IllegalStateException("The template " + this.name + " is not added to a shipper");
        }
        return destination;
    }

    /**
     * The destination of an event, entered (see {@link Destination#enter}): the caller queues the event for it and
     * then {@link Destination#exit exits} it. Opens it on first use; the default destination when one more would be
     * too many. Finding an open one takes no lock; opening one takes the destinations' lock (and, once, a line in the
     * spool's destinations file, forced to disk), and when {@code maxDestinations} are open, at most every 100 ms,
     * the ledger's lock to close idle ones.
     * @param mdc the event's MDC (in Log4j2, its context data) by key; null for a missing entry
     * @param level the event's level, for example {@code ERROR}
     */
    public Destination enter(Function<String, @Nullable String> mdc, String level) {
        return enter(mdc, Function::apply, level);
    }

    /**
     * The same, the event's MDC read through {@code mdc} without a lambda made per event.
     * @param event the event
     * @param mdc reads the event's MDC (context data) entry of a key; null for a missing entry
     * @param level the event's level, for example {@code ERROR}
     */
    public <E> Destination enter(E event, BiFunction<E, String, @Nullable String> mdc, String level) {
        if (!isPerEvent()) {
            return defaultDestination();
        }
        String group = (this.groupTemplate != null) ? this.groupTemplate.evaluate(event, mdc, level) : this.logGroup;
        String stream = (this.streamTemplate != null) ? this.streamTemplate.evaluate(event, mdc, level)
                : this.logStream;
        Destination destination = this.destinations.find(group, stream);
        if (destination != null && destination.enter()) {
            return destination;
        }
        return this.destinations.open(this, group, stream);
    }

    /** Events sent to the default destination because {@code maxDestinations} were open. */
    public long overflowed() {
        return this.overflowed.sum();
    }

    void overflow() {
        this.overflowed.increment();
    }

    CopyOnWriteArrayList<RequestListener> requestListeners() {
        return this.requestListeners;
    }

    /** Under the ledger's lock. */
    DestinationBooks closedBooks() {
        return this.closedBooks;
    }

    /** Adds a listener told of every PutLogEvents call to any of its destinations as it ends; for metrics. */
    public void addRequestListener(RequestListener listener) {
        this.requestListeners.add(listener);
    }

    public void removeRequestListener(RequestListener listener) {
        this.requestListeners.remove(listener);
    }

    @Override
    public String toString() {
        return this.name + " (" + this.logGroup + "/" + this.logStream + ")";
    }

}
