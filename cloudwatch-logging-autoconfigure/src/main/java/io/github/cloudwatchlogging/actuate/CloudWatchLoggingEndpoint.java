package io.github.cloudwatchlogging.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.cloudwatchlogging.autoconfigure.CloudWatchLogShipping;
import io.github.cloudwatchlogging.autoconfigure.InfrastructureDocuments;
import io.github.cloudwatchlogging.autoconfigure.OpenDestinations;
import io.github.cloudwatchlogging.shipping.DropReason;
import io.github.cloudwatchlogging.shipping.FlushReport;
import io.github.cloudwatchlogging.shipping.LogShipper;
import io.github.cloudwatchlogging.shipping.RejectReason;
import io.github.cloudwatchlogging.shipping.ShipperStatistics;
import io.github.cloudwatchlogging.spool.SpoolStatistics;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * What the log shipper is doing, and a way to flush it now. Never shows credentials.
 */
@Endpoint(id = "cloudwatchlogging")
public class CloudWatchLoggingEndpoint {

    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(10);

    private final CloudWatchLogShipping shipping;

    public CloudWatchLoggingEndpoint(CloudWatchLogShipping shipping) {
        this.shipping = shipping;
    }

    @ReadOperation
    public ShippingDescriptor status() {
        ShipperStatistics statistics = this.shipping.statistics();
        if (statistics == null) {
            return ShippingDescriptor.notInstalled();
        }
        Map<String, RouteDescriptor> routes = new LinkedHashMap<>();
        this.shipping.routeStatistics().forEach((name, route) -> routes.put(name, RouteDescriptor.of(route)));
        OpenDestinations open = this.shipping.openDestinations();
        return ShippingDescriptor.of(statistics, routes, (open != null) ? DestinationsDescriptor.of(open) : null,
                this.shipping.spoolStatistics(), this.shipping.errorAlarmState());
    }

    /**
     * What this configuration needs around it: {@code iam-policy} (the least-privilege policy document),
     * {@code cloudformation} (a template of its groups and that policy) or {@code terraform} (the same in
     * Terraform's JSON syntax). Null, so 404, for any other name.
     */
    @ReadOperation
    public @Nullable Map<String, Object> infrastructure(@Selector String document) {
        InfrastructureDocuments documents = this.shipping.infrastructure();
        if (documents == null) {
            return null;
        }
        return switch (document) {
            case "iam-policy" -> documents.iamPolicy();
            case "cloudformation" -> documents.cloudFormation();
            case "terraform" -> documents.terraform();
            default -> null;
        };
    }

    @WriteOperation
    public FlushDescriptor flush() {
        FlushReport report = this.shipping.flush(FLUSH_TIMEOUT);
        if (report == null) {
            return new FlushDescriptor(false, 0, 0, 0);
        }
        return new FlushDescriptor(report.completed(), report.sent(), report.rejected(), report.remaining());
    }

    /**
     * The shipper's state.
     *
     * @param state BUFFERING, RUNNING, STOPPING, STOPPED, or NOT_INSTALLED when a CloudWatchLogsAppender of the
     * application's own Logback configuration ships instead
     * @param logGroup the log group
     * @param logStream the log stream
     * @param queue events held and the budget
     * @param events what happened to the events
     * @param requests what happened to the PutLogEvents calls
     * @param routes the same for each route under logging.cloudwatch.routes, by name, and for each destination the
     * spool recovered events for that the configuration does not name ({@code recovered-N})
     * @param destinations the destinations open for events' values ({mdc:KEY} or {level} in a group or stream),
     * null when no name holds such a placeholder
     * @param spool the crash-safe spool (logging.cloudwatch.spool.*), null when it is off
     * @param errorAlarm the alarm on errors (logging.cloudwatch.alarms.errors.*): PENDING, CREATED or FAILED, with
     * what the service said; null when it is off
     */
    public record ShippingDescriptor(String state, @Nullable String logGroup, @Nullable String logStream,
            @Nullable Queue queue, @Nullable Events events, @Nullable Requests requests,
            Map<String, RouteDescriptor> routes, @Nullable DestinationsDescriptor destinations,
            @Nullable SpoolStatistics spool, @Nullable String errorAlarm) implements OperationResponseBody {

        static ShippingDescriptor of(ShipperStatistics s, Map<String, RouteDescriptor> routes,
                @Nullable DestinationsDescriptor destinations, @Nullable SpoolStatistics spool,
                @Nullable String errorAlarm) {
            RouteDescriptor main = RouteDescriptor.of(s);
            return new ShippingDescriptor(main.state(), main.logGroup(), main.logStream(), main.queue(),
                    main.events(), main.requests(), routes, destinations, spool, errorAlarm);
        }

        static ShippingDescriptor notInstalled() {
            return new ShippingDescriptor("NOT_INSTALLED", null, null, null, null, null, Map.of(), null, null, null);
        }

    }

    /**
     * The destinations open for events' values.
     *
     * @param open how many are open now, each template's default destination aside
     * @param max how many may be open at once (logging.cloudwatch.max-destinations)
     * @param overflowed events sent to the default destination because {@code max} were open, by route ({@code main}
     * for the main destination)
     * @param list each open one: its route, names and counts
     */
    public record DestinationsDescriptor(int open, int max, Map<String, Long> overflowed,
            List<OpenDestination> list) {

        static DestinationsDescriptor of(OpenDestinations open) {
            return new DestinationsDescriptor(open.open(), open.max(), open.overflowed(),
                    open.destinations().stream().map(OpenDestination::of).toList());
        }

    }

    /**
     * @param route the route whose names it evaluates ({@code main} for the main destination)
     * @param logGroup the log group
     * @param logStream the log stream
     * @param queued events held for it
     * @param sent events it delivered
     * @param dropped events it gave up
     * @param rejected events CloudWatch Logs refused
     */
    public record OpenDestination(String route, String logGroup, String logStream, long queued, long sent,
            long dropped, long rejected) {

        static OpenDestination of(OpenDestinations.Open open) {
            ShipperStatistics s = open.statistics();
            return new OpenDestination(open.route(), s.logGroup(), s.logStream(), s.queuedEvents(), s.sent(),
                    s.droppedTotal(), s.rejectedTotal());
        }

    }

    /**
     * One destination's state: the main one, or a route's.
     *
     * @param state BUFFERING, RUNNING, STOPPING or STOPPED
     * @param logGroup the log group
     * @param logStream the log stream
     * @param queue events held and the budget
     * @param events what happened to the events
     * @param requests what happened to the PutLogEvents calls
     */
    public record RouteDescriptor(String state, String logGroup, String logStream, Queue queue, Events events,
            Requests requests) {

        static RouteDescriptor of(ShipperStatistics s) {
            return new RouteDescriptor(s.state().name(), s.logGroup(), s.logStream(),
                    new Queue(s.queuedEvents(), s.queuedBytes(), s.capacityBytes()),
                    new Events(s.logged(), s.enqueued(), s.sent(), s.droppedTotal(), s.dropped(), s.rejectedTotal(),
                            s.rejected(), s.truncated()),
                    new Requests(s.batches(), s.retries(), s.failedRequests(), s.consecutiveFailures(),
                            s.inFlightRequests(), s.lastSuccessTime(),
                            (s.lastFailureTime() != null)
                                    ? new Failure(s.lastFailureTime(), s.lastFailureType(), s.lastFailureMessage())
                                    : null));
        }

    }

    /**
     * @param events events accepted and not yet delivered, rejected or dropped
     * @param bytes the budget they take
     * @param capacityBytes the budget
     */
    public record Queue(long events, long bytes, long capacityBytes) {
    }

    /**
     * @param logged handed to the shipper: always sent + dropped + rejected + queued, but for logging calls under
     * way while this was read
     * @param enqueued accepted into the queue
     * @param sent accepted by CloudWatch Logs
     * @param dropped given up by the shipper
     * @param droppedByReason given up, by reason
     * @param rejected refused by CloudWatch Logs
     * @param rejectedByReason refused, by reason
     * @param truncated cut to the per-event limit (and sent)
     */
    public record Events(long logged, long enqueued, long sent, long dropped, Map<DropReason, Long> droppedByReason, long rejected,
            Map<RejectReason, Long> rejectedByReason, long truncated) {
    }

    /**
     * @param batches successful PutLogEvents calls
     * @param retries calls repeated after a failure
     * @param flushFailures failed calls
     * @param consecutiveFailures failed calls since the last success
     * @param inFlight calls under way now
     * @param lastSuccess when a call last succeeded
     * @param lastFailure the last failed call
     */
    public record Requests(long batches, long retries, long flushFailures, long consecutiveFailures, int inFlight,
            @Nullable Instant lastSuccess, @Nullable Failure lastFailure) {
    }

    /**
     * @param time when it failed
     * @param type the error code or exception type
     * @param message what it said
     */
    public record Failure(Instant time, @Nullable String type, @Nullable String message) {
    }

    /**
     * @param completed whether everything queued at the call was settled in time
     * @param sent events accepted while it waited
     * @param rejected events refused while it waited
     * @param remaining events still held
     */
    public record FlushDescriptor(boolean completed, long sent, long rejected, long remaining)
            implements OperationResponseBody {
    }

}
