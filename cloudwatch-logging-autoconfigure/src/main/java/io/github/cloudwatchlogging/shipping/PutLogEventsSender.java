package io.github.cloudwatchlogging.shipping;

/**
 * Sends one batch in one PutLogEvents call. Implementations bound each call by the request timeout and throw on
 * failure; the shipper decides whether and when to try again, so implementations must not retry on their own.
 */
public interface PutLogEventsSender extends AutoCloseable {

    /**
     * Sends the batch.
     * @return what the service refused of it
     * @throws RuntimeException when the call failed; the batch may be sent again
     */
    PutResult send(Batch batch);

    /** Frees the client. Called once, at stop, when no call is under way. */
    @Override
    default void close() {
    }

}
