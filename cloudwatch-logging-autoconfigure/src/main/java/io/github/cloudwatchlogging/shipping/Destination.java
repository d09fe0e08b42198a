package io.github.cloudwatchlogging.shipping;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * One log stream the shipper writes to, with its own books. Events name the destinations they take; the worker
 * batches each destination on its own, since one PutLogEvents call takes one stream.
 * <p>
 * A destination a {@link DestinationTemplate} opened for an event's values is closed when it has been idle for a
 * while: a logging call {@link #enter enters} it before queuing and {@link #exit exits} after, and it is closed
 * only while nobody is in it and nothing of it is unsettled, so no event ever takes a closed destination. Every
 * other destination is pinned: open as long as the shipper.
 */
public final class Destination {

    /** {@link #users} of a closed destination: negative whatever number of failed entries are under way. */
    private static final int CLOSED = Integer.MIN_VALUE / 2;

    /** The name of the destination every shipper has, the one its settings name. */
    public static final String MAIN = "main";

    private final String name;

    private final String logGroup;

    private final String logStream;

    private final int index;

    private final @Nullable DestinationTemplate template;

    /** Whether its template may close it: opened for an event's values, not its template's default. */
    private final boolean closable;

    private final DestinationBooks books = new DestinationBooks();

    /** Logging calls in it now, or {@link #CLOSED} (plus failed entries) once closed. Unused when pinned. */
    private final AtomicInteger users = new AtomicInteger();

    /** Its number in the spool; -1 without one. Set before the shipper starts. */
    private volatile int spoolId = -1;

    /** {@link #spoolId} alone, for the records of events that take only this destination. */
    private volatile int @Nullable [] spoolIds;

    private final CopyOnWriteArrayList<RequestListener> requestListeners;

    // Read and written under the lock of the shipper's destinations only: what the idle check saw last.
    long idleCheckLogged;

    long idleSinceNanos;

    /** A pinned destination of no template: for tests. */
    Destination(String name, String logGroup, String logStream, int index) {
        this(name, logGroup, logStream, index, null, false, new CopyOnWriteArrayList<>());
    }

    /**
     * @param template the template it belongs to
     * @param closable whether the template opened it for an event's values, and may close it
     * @param requestListeners the listeners to tell of its calls: its template's, which adds and removes them
     */
    Destination(String name, String logGroup, String logStream, int index, @Nullable DestinationTemplate template,
            boolean closable, CopyOnWriteArrayList<RequestListener> requestListeners) {
        this.name = name;
        this.logGroup = logGroup;
        this.logStream = logStream;
        this.index = index;
        this.template = template;
        this.closable = closable;
        this.requestListeners = requestListeners;
    }

    /** {@link #MAIN}, or the name of a route. */
    public String name() {
        return this.name;
    }

    public String logGroup() {
        return this.logGroup;
    }

    public String logStream() {
        return this.logStream;
    }

    /**
     * Its slot among the shipper's open destinations, from 0 (the main one); a closed destination's slot is given to
     * the next one opened.
     */
    int index() {
        return this.index;
    }

    /** The template it belongs to; null only in tests. */
    public @Nullable DestinationTemplate template() {
        return this.template;
    }

    /** Whether its template opened it for an event's values, and may close it. */
    boolean isClosable() {
        return this.closable;
    }

    /**
     * A logging call is about to queue an event for it: false, and nothing changed, when it is closed (open another
     * one for the same names). Always true when pinned.
     */
    boolean enter() {
        if (!this.closable) {
            return true;
        }
        if (this.users.getAndIncrement() >= 0) {
            return true;
        }
        this.users.getAndDecrement();
        return false;
    }

    /** The logging call that {@link #enter entered} it is done with it. */
    public void exit() {
        if (this.closable) {
            this.users.getAndDecrement();
        }
    }

    /** Every destination of these is exited; for the caller that entered them. */
    public static void exitAll(Destination[] targets) {
        for (Destination target : targets) {
            target.exit();
        }
    }

    /** Closes it if no logging call is in it; a closed destination is never entered again. */
    boolean tryClose() {
        return this.users.compareAndSet(0, CLOSED);
    }

    /** Undoes {@link #tryClose}: something of it turned out to be unsettled. */
    void reopen() {
        this.users.getAndAdd(-CLOSED);
    }

    boolean isClosed() {
        return this.users.get() < 0;
    }

    int spoolId() {
        return this.spoolId;
    }

    void spoolId(int id) {
        this.spoolId = id;
        this.spoolIds = (id >= 0) ? new int[] { id } : null;
    }

    int @Nullable [] spoolIds() {
        return this.spoolIds;
    }

    DestinationBooks books() {
        return this.books;
    }

    /** Tells the listeners; whatever they throw, Errors included, never stops a delivery. */
    void tellRequestEnded(long nanos, @Nullable String failureType) {
        for (RequestListener listener : this.requestListeners) {
            try {
                listener.requestEnded(nanos, failureType);
            }
            catch (Throwable ex) {
                // A metrics problem must never leave a batch unsettled.
            }
        }
    }

    @Override
    public String toString() {
        return this.name + " (" + this.logGroup + "/" + this.logStream + ")";
    }

}
