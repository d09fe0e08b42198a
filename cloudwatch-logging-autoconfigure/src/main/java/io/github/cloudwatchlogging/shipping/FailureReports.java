package io.github.cloudwatchlogging.shipping;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

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

    /** What a stop could not deliver, and what it left in the spool (at {@code spoolDirectory}, when there is one). */
    static void afterStop(ShipperDiagnostics target, List<Destination> destinations, StopReport report, String reason,
            java.nio.file.@Nullable Path spoolDirectory) {
        if (report.undelivered() > 0) {
            undelivered(target, destinations, report.undelivered(), reason);
        }
        if (report.leftInSpool() > 0 && spoolDirectory != null) {
            leftInSpool(target, report.leftInSpool(), reason, spoolDirectory);
        }
    }

    /**
     * Says how many events a stop counted undelivered, and the last error of any destination: on stderr too when
     * the diagnostics do not reach it, so that a loss is never silent.
     */
    static void undelivered(ShipperDiagnostics target, List<Destination> destinations, long undelivered,
            String reason) {
        List<String> where = new ArrayList<>();
        DestinationBooks.Failure failure = null;
        for (Destination destination : destinations) {
            where.add(destination.logGroup() + "/" + destination.logStream());
            DestinationBooks.Failure last = destination.books().lastFailure();
            if (last != null && (failure == null || last.time().isAfter(failure.time()))) {
                failure = last;
            }
        }
        String message = "cloudwatch-logging: " + undelivered + " log events could not be delivered to "
                + String.join(", ", where) + " because " + reason
                + ((failure != null) ? "; last error: " + failure.type() + ": " + failure.message() : "");
        alsoOnStderr(target, message);
        target.error(message, null);
    }

    /** The stop gave up on events the spool keeps: not lost, shipped by the next process on the directory. */
    static void leftInSpool(ShipperDiagnostics target, long kept, String reason, java.nio.file.Path directory) {
        String message = "cloudwatch-logging: " + kept + " log events were not delivered because " + reason
                + "; they are kept in the spool at " + directory + " and the next start on it ships them";
        alsoOnStderr(target, message);
        target.warn(message, null);
    }

    /** What a stop reports must not be silent where the diagnostics do not reach stderr. */
    private static void alsoOnStderr(ShipperDiagnostics target, String message) {
        if (!target.writesToStderr()) {
            System.err.println(message);
        }
    }

    @Override
    public void dispatchFailed(Throwable failure) {
        this.diagnostics.error("dispatch", "cloudwatch-logging: no sender thread could take a batch ("
                + failure + "); it is kept and handed over again", null);
    }

    @Override
    public void closeFailed(RuntimeException failure) {
        this.diagnostics.warn("close", "cloudwatch-logging: closing the CloudWatch Logs client failed", failure);
    }

}
