package io.github.cloudwatchlogging.shipping;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Builds the real sender on the first call, on a sender thread, so that building the client (which may read
 * instance metadata for a region or credentials) never delays start-up. A failed build is a failed call: it is
 * retried with backoff like any other.
 */
public final class LazySender implements PutLogEventsSender {

    private final Supplier<PutLogEventsSender> factory;

    private volatile @Nullable PutLogEventsSender delegate;

    public LazySender(Supplier<PutLogEventsSender> factory) {
        this.factory = factory;
    }

    @Override
    public PutResult send(Batch batch) {
        return delegate().send(batch);
    }

    @Override
    public void close() {
        PutLogEventsSender current = this.delegate;
        if (current != null) {
            current.close();
        }
    }

    private PutLogEventsSender delegate() {
        PutLogEventsSender current = this.delegate;
        if (current == null) {
            synchronized (this) {
                current = this.delegate;
                if (current == null) {
                    current = this.factory.get();
                    this.delegate = current;
                }
            }
        }
        return current;
    }

}
