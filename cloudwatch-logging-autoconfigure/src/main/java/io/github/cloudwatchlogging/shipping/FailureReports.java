package io.github.cloudwatchlogging.shipping;

import java.time.Instant;

/** Counts a failed call in its destination's books and says so, rate-limited, through the diagnostics. */
final class FailureReports implements Senders.FailureReporter {

    private final ShipperSettings settings;

    private final RateLimitedDiagnostics diagnostics;

    FailureReports(ShipperSettings settings, RateLimitedDiagnostics diagnostics) {
        this.settings = settings;
        this.diagnostics = diagnostics;
    }

    @Override
    public void record(Batch batch, Throwable failure, FailureKind kind) {
        Destination destination = batch.destination();
        String type = FailureClassifier.describeType(failure);
        String message = this.settings.redact(FailureClassifier.describeMessage(failure));
        destination.books().failed(new DestinationBooks.Failure(Instant.now(), type, message));
        String text = "cloudwatch-logging: PutLogEvents to " + destination.logGroup() + "/" + destination.logStream()
                + " failed (" + type + ", " + kind.name().toLowerCase() + "): " + message;
        String key = destination.name() + ":" + type;
        if (kind == FailureKind.INVALID_BATCH) {
            this.diagnostics.error(key, text + "; the batch's " + batch.size() + " events are counted as rejected",
                    null);
        }
        else if (kind == FailureKind.AUTHORIZATION || kind == FailureKind.RESOURCE_NOT_FOUND) {
            this.diagnostics.error(key, text + "; events are kept within the queue budget and retried", null);
        }
        else {
            this.diagnostics.warn(key, text + "; retrying", null);
        }
    }

    @Override
    public void closeFailed(RuntimeException failure) {
        this.diagnostics.warn("close", "cloudwatch-logging: closing the CloudWatch Logs client failed", failure);
    }

}
