package io.github.cloudwatchlogging.shipping;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One immutable reading of what the shipper is doing. The actuator endpoint, metrics and health all read this.
 *
 * @param state where the shipper is in its life
 * @param logGroup the log group it writes to
 * @param logStream the log stream it writes to
 * @param queuedEvents events accepted and not yet settled (waiting, batched or in flight)
 * @param queuedBytes the queue budget those events take
 * @param capacityBytes the queue budget
 * @param logged events handed to the shipper since it was created: queued or dropped at once
 * @param enqueued events accepted into the queue since start
 * @param sent events CloudWatch Logs accepted
 * @param dropped events the shipper gave up on, by reason
 * @param rejected events CloudWatch Logs refused, by reason
 * @param truncated events cut to the per-event limit when logged (then sent, or refused like any other)
 * @param batches PutLogEvents calls that succeeded
 * @param retries PutLogEvents calls repeated after a failure
 * @param failedRequests PutLogEvents calls that failed
 * @param consecutiveFailures failed calls since the last success
 * @param lastFailureTime when the last call failed
 * @param lastFailureType the error code or exception type of the last failure
 * @param lastFailureMessage what the last failure said
 * @param lastSuccessTime when a call last succeeded
 * @param inFlightRequests PutLogEvents calls under way now
 * @param failingSince when the current run of failed calls began, or null while the last call succeeded
 */
public record ShipperStatistics(ShipperState state, String logGroup, String logStream, long queuedEvents,
        long queuedBytes, long capacityBytes, long logged, long enqueued, long sent, Map<DropReason, Long> dropped,
        Map<RejectReason, Long> rejected, long truncated, long batches, long retries, long failedRequests,
        long consecutiveFailures, @Nullable Instant lastFailureTime, @Nullable String lastFailureType,
        @Nullable String lastFailureMessage, @Nullable Instant lastSuccessTime, int inFlightRequests,
        @Nullable Instant failingSince) {

    public ShipperStatistics {
        dropped = Map.copyOf(dropped);
        rejected = Map.copyOf(rejected);
    }

    public long droppedTotal() {
        return this.dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    public long rejectedTotal() {
        return this.rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Every event logged is sent, dropped, rejected or still queued: {@code logged} minus all of those, zero in a
     * snapshot taken while no logging call was under way.
     */
    public long unaccounted() {
        return this.logged - this.sent - droppedTotal() - rejectedTotal() - this.queuedEvents;
    }

}
