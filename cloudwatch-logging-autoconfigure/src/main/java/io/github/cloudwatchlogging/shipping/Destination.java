package io.github.cloudwatchlogging.shipping;

import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

/**
 * One log stream the shipper writes to, with its own books. Events name the destinations they take; the worker
 * batches each destination on its own, since one PutLogEvents call takes one stream.
 */
public final class Destination {

    /** The name of the destination every shipper has, the one its settings name. */
    public static final String MAIN = "main";

    private final String name;

    private final String logGroup;

    private final String logStream;

    private final int index;

    private final DestinationBooks books = new DestinationBooks();

    /** Its number in the spool; -1 without one. Set before the shipper starts. */
    private volatile int spoolId = -1;

    /** {@link #spoolId} alone, for the records of events that take only this destination. */
    private volatile int @Nullable [] spoolIds;

    private final CopyOnWriteArrayList<RequestListener> requestListeners = new CopyOnWriteArrayList<>();

    Destination(String name, String logGroup, String logStream, int index) {
        this.name = name;
        this.logGroup = logGroup;
        this.logStream = logStream;
        this.index = index;
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

    /** Its position among the shipper's destinations, from 0 (the main one). */
    int index() {
        return this.index;
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

    /** Adds a listener told of every PutLogEvents call to this destination as it ends; for metrics. */
    public void addRequestListener(RequestListener listener) {
        this.requestListeners.add(listener);
    }

    public void removeRequestListener(RequestListener listener) {
        this.requestListeners.remove(listener);
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
