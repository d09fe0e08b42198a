package io.github.cloudwatchlogging.shipping;

import org.jspecify.annotations.Nullable;

/**
 * Told of every PutLogEvents call when it ends, on the sender thread that made it: the hook for metrics. It must
 * be quick and must not throw; the shipper ignores what it throws.
 */
@FunctionalInterface
public interface RequestListener {

    /**
     * @param nanos how long the call took, including the creation of a missing group or stream
     * @param failureType null when the service accepted the batch, else the error code or exception type
     */
    void requestEnded(long nanos, @Nullable String failureType);

}
