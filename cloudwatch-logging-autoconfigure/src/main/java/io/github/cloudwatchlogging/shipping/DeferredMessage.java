package io.github.cloudwatchlogging.shipping;

/**
 * A message the logging call captured and the worker formats, off the logging thread, when it batches the event:
 * what a layout does then no longer costs the application's thread. Whatever the message depends on must have been
 * captured by the call (its text, the thread's name, the MDC), as Logback's {@code prepareForDeferredProcessing}
 * does.
 */
@FunctionalInterface
public interface DeferredMessage {

    /**
     * The message as UTF-8; called once: on the worker, where whatever it throws counts the event as failed, or on
     * the calling thread when the shipper formats at the call (a spool; more than the per-event limit).
     */
    byte[] encode();

}
