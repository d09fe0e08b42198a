package io.github.cloudwatchlogging.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.github.cloudwatchlogging.autoconfigure.CloudWatchLogShipping;
import io.github.cloudwatchlogging.shipping.DropReason;
import io.github.cloudwatchlogging.shipping.RejectReason;
import io.github.cloudwatchlogging.shipping.ShipperStatistics;
import io.github.cloudwatchlogging.spool.SpoolStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * The shipper's statistics as Micrometer meters. Counters and gauges read a statistics snapshot when the registry
 * asks; only the request timer is fed as calls end, on the sender threads, never on the logging path.
 */
public class CloudWatchLoggingMetrics implements MeterBinder {

    /** The tag value of the main destination's meters. */
    public static final String MAIN = "main";

    private final CloudWatchLogShipping shipping;

    private final List<String> routes;

    /**
     * @param shipping the shipping whose meters these are
     * @param routes the names of its routes, each metered apart under its own {@code route} tag
     */
    public CloudWatchLoggingMetrics(CloudWatchLogShipping shipping, Collection<String> routes) {
        this.shipping = shipping;
        this.routes = List.copyOf(routes);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        new Destination(registry, MAIN, this.shipping::statistics).bind();
        for (String route : this.routes) {
            new Destination(registry, route, () -> this.shipping.statistics(route)).bind();
        }
        bindSpool(registry);
        bindOpenDestinations(registry);
    }

    /**
     * The destinations open for events' values, in all, and the events each route sent to its default destination
     * because too many were open: meters per route, never per destination, so their number stays that of the routes.
     */
    private void bindOpenDestinations(MeterRegistry registry) {
        Gauge.builder("cloudwatch.logging.destinations.open", this.shipping,
                CloudWatchLogShipping::destinationsOpenForEvents)
            .description("Destinations open for events' values ({mdc:KEY} or {level} in a name)")
            .baseUnit("destinations")
            .register(registry);
        List<String> all = new ArrayList<>();
        all.add(MAIN);
        all.addAll(this.routes);
        for (String route : all) {
            FunctionCounter.builder("cloudwatch.logging.destinations.overflowed", this.shipping,
                    (shipping) -> shipping.overflowed(route))
                .description("Events sent to their route's default destination because max-destinations were open")
                .baseUnit("events")
                .tag("route", route)
                .register(registry);
        }
    }

    /** The spool's meters: NaN and zero while it is off. */
    private void bindSpool(MeterRegistry registry) {
        spoolGauge(registry, "cloudwatch.logging.spool.bytes", "Disk the spool's segments take", BaseUnits.BYTES,
                SpoolStatistics::bytesOnDisk);
        spoolGauge(registry, "cloudwatch.logging.spool.segments", "Segment files of the spool on disk", "segments",
                SpoolStatistics::segments);
        spoolRecords(registry, "recovered", "Records of an earlier process queued again at start-up",
                SpoolStatistics::recovered);
        spoolRecords(registry, "recovered-duplicate",
                "Recovered records an earlier process had handed to a sender: they may arrive twice",
                SpoolStatistics::recoveredDuplicates);
        spoolRecords(registry, "corrupt", "Damaged stretches of the spool skipped at start-up",
                SpoolStatistics::corruptRecords);
        spoolRecords(registry, "not-spooled", "Events shipped from memory only: the spool could not write them",
                SpoolStatistics::notSpooled);
        spoolRecords(registry, "full", "Events the full spool had no room for", SpoolStatistics::full);
    }

    private void spoolGauge(MeterRegistry registry, String name, String description, String unit,
            ToDoubleFunction<SpoolStatistics> value) {
        Gauge.builder(name, this.shipping, (shipping) -> {
            SpoolStatistics current = shipping.spoolStatistics();
            return (current != null) ? value.applyAsDouble(current) : Double.NaN;
        }).description(description).baseUnit(unit).register(registry);
    }

    private void spoolRecords(MeterRegistry registry, String outcome, String description,
            ToDoubleFunction<SpoolStatistics> count) {
        FunctionCounter.builder("cloudwatch.logging.spool.records", this.shipping, (shipping) -> {
            SpoolStatistics current = shipping.spoolStatistics();
            return (current != null) ? count.applyAsDouble(current) : 0;
        }).description(description).baseUnit("records").tag("outcome", outcome).register(registry);
    }

    /** The meters of the main destination or of one route. */
    private final class Destination {

        private final MeterRegistry registry;

        private final String route;

        private final Supplier<@Nullable ShipperStatistics> statistics;

        Destination(MeterRegistry registry, String route, Supplier<@Nullable ShipperStatistics> statistics) {
            this.registry = registry;
            this.route = route;
            this.statistics = statistics;
        }

        void bind() {
            MeterRegistry registry = this.registry;
            gauge(registry, "cloudwatch.logging.queue.events",
                    "Events accepted and not yet settled: waiting, batched or in flight", BaseUnits.EVENTS,
                    ShipperStatistics::queuedEvents);
            gauge(registry, "cloudwatch.logging.queue.bytes", "Queue budget those events take", BaseUnits.BYTES,
                    ShipperStatistics::queuedBytes);
            gauge(registry, "cloudwatch.logging.queue.capacity", "Queue budget (logging.cloudwatch.queue-capacity)",
                    BaseUnits.BYTES, ShipperStatistics::capacityBytes);
            gauge(registry, "cloudwatch.logging.requests.active", "PutLogEvents calls under way", "requests",
                    ShipperStatistics::inFlightRequests);
            events(registry, "sent", "none", ShipperStatistics::sent);
            events(registry, "truncated", "none", ShipperStatistics::truncated);
            for (DropReason reason : DropReason.values()) {
                events(registry, "dropped", tagValue(reason),
                        (statistics) -> statistics.dropped().getOrDefault(reason, 0L));
            }
            for (RejectReason reason : RejectReason.values()) {
                events(registry, "rejected", tagValue(reason),
                        (statistics) -> statistics.rejected().getOrDefault(reason, 0L));
            }
            FunctionCounter.builder("cloudwatch.logging.retries", shipping(), counted(ShipperStatistics::retries))
                .description("PutLogEvents calls repeated after a failure")
                .baseUnit("requests")
                .tag("route", this.route)
                .register(registry);
            CloudWatchLoggingMetrics.this.shipping.addRequestListener(MAIN.equals(this.route) ? null : this.route,
                    new RequestTimer(registry, this.route));
        }

        private void gauge(MeterRegistry registry, String name, String description, String unit,
                ToDoubleFunction<ShipperStatistics> value) {
            // The shipping bean, which the context holds, is what the registry refers to (weakly).
            Gauge.builder(name, shipping(), (shipping) -> {
                ShipperStatistics current = this.statistics.get();
                return (current != null) ? value.applyAsDouble(current) : Double.NaN;
            }).description(description).baseUnit(unit).tag("route", this.route).register(registry);
        }

        private CloudWatchLogShipping shipping() {
            return CloudWatchLoggingMetrics.this.shipping;
        }

        private ToDoubleFunction<CloudWatchLogShipping> counted(ToDoubleFunction<ShipperStatistics> count) {
            return (shipping) -> {
                ShipperStatistics current = this.statistics.get();
                return (current != null) ? count.applyAsDouble(current) : 0;
            };
        }

        private void events(MeterRegistry registry, String outcome, String reason,
                ToDoubleFunction<ShipperStatistics> count) {
            FunctionCounter.builder("cloudwatch.logging.events", shipping(), counted(count))
                .description("Events by outcome: sent, dropped or rejected (by reason), and truncated (then sent or "
                        + "rejected like any other)")
                .baseUnit(BaseUnits.EVENTS)
                .tag("route", this.route)
                .tag("outcome", outcome)
                .tag("reason", reason)
                .register(registry);
        }

    }


    private static String tagValue(Enum<?> reason) {
        return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Times every PutLogEvents call, by outcome and error. */
    private static final class RequestTimer implements io.github.cloudwatchlogging.shipping.RequestListener {

        private final MeterRegistry registry;

        private final String route;

        private final Timer succeeded;

        RequestTimer(MeterRegistry registry, String route) {
            this.registry = registry;
            this.route = route;
            this.succeeded = timer("success", "none");
        }

        @Override
        public void requestEnded(long nanos, @Nullable String failureType) {
            Timer timer = (failureType != null) ? timer("failure", failureType) : this.succeeded;
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }

        private Timer timer(String outcome, String error) {
            return Timer.builder("cloudwatch.logging.requests")
                .description("PutLogEvents calls, by outcome and error (the service's error code or the exception type)")
                .tag("route", this.route)
                .tag("outcome", outcome)
                .tag("error", error)
                .register(this.registry);
        }

    }

}
