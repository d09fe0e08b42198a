package io.github.cloudwatchlogging.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import io.github.cloudwatchlogging.shipping.ShipperStatistics;
import io.github.cloudwatchlogging.spool.SpoolStatistics;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP while CloudWatch Logs accepts batches, and while failures have lasted less than the threshold; DOWN once every
 * call for longer than the threshold has failed, of the main destination or of any route, with the last error in the
 * details. It judges calls, not events, so an application that logs nothing makes no calls and stays UP.
 */
public class CloudWatchLoggingHealthIndicator extends AbstractHealthIndicator {

    private final Supplier<@Nullable ShipperStatistics> statistics;

    private final Supplier<Map<String, ShipperStatistics>> routes;

    private final Duration failureThreshold;

    private final Clock clock;

    private Supplier<@Nullable SpoolStatistics> spool = () -> null;

    /**
     * @param statistics the shipper's statistics, or null when the starter did not install the appender
     * @param failureThreshold how long calls must have kept failing before DOWN
     * @param clock the clock the failures' duration is measured with
     */
    public CloudWatchLoggingHealthIndicator(Supplier<@Nullable ShipperStatistics> statistics,
            Duration failureThreshold, Clock clock) {
        this(statistics, Map::of, failureThreshold, clock);
    }

    /**
     * @param statistics the shipper's statistics, or null when the starter did not install the appender
     * @param routes the statistics of each route, by name; DOWN when any of them has failed for too long
     * @param failureThreshold how long calls must have kept failing before DOWN
     * @param clock the clock the failures' duration is measured with
     */
    public CloudWatchLoggingHealthIndicator(Supplier<@Nullable ShipperStatistics> statistics,
            Supplier<Map<String, ShipperStatistics>> routes, Duration failureThreshold, Clock clock) {
        super("CloudWatch Logs health check failed");
        this.statistics = statistics;
        this.routes = routes;
        this.failureThreshold = failureThreshold;
        this.clock = clock;
    }

    /**
     * Adds the spool's state to the details. A spool that cannot write leaves the indicator UP, since events still
     * ship from memory, and says why.
     */
    public CloudWatchLoggingHealthIndicator withSpool(Supplier<@Nullable SpoolStatistics> spool) {
        this.spool = spool;
        return this;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        ShipperStatistics statistics = this.statistics.get();
        if (statistics == null) {
            // The application's own Logback configuration declares the appender; its health is not ours to judge.
            builder.unknown().withDetail("state", "NOT_INSTALLED");
            return;
        }
        builder.withDetail("state", statistics.state().name())
            .withDetail("logGroup", statistics.logGroup())
            .withDetail("logStream", statistics.logStream())
            .withDetail("queuedEvents", statistics.queuedEvents())
            .withDetail("dropped", statistics.droppedTotal());
        if (statistics.lastSuccessTime() != null) {
            builder.withDetail("lastSuccess", statistics.lastSuccessTime());
        }
        boolean down = addFailure(builder::withDetail, statistics);
        SpoolStatistics spool = this.spool.get();
        if (spool != null) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("state", spool.state());
            details.put("directory", spool.directory());
            if (spool.reason() != null) {
                details.put("reason", spool.reason());
            }
            details.put("segments", spool.segments());
            details.put("bytesOnDisk", spool.bytesOnDisk());
            builder.withDetail("spool", details);
        }
        Map<String, ShipperStatistics> routes = this.routes.get();
        if (!routes.isEmpty()) {
            Map<String, Map<String, Object>> routeDetails = new LinkedHashMap<>();
            for (Map.Entry<String, ShipperStatistics> entry : routes.entrySet()) {
                ShipperStatistics route = entry.getValue();
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("state", route.state().name());
                details.put("logGroup", route.logGroup());
                details.put("logStream", route.logStream());
                details.put("queuedEvents", route.queuedEvents());
                down |= addFailure(details::put, route);
                routeDetails.put(entry.getKey(), details);
            }
            builder.withDetail("routes", routeDetails);
        }
        if (down) {
            builder.down();
        }
        else {
            builder.up();
        }
    }

    /** Adds the failure details, if calls are failing; returns whether they have failed for too long. */
    private boolean addFailure(BiConsumer<String, Object> details, ShipperStatistics statistics) {
        Instant failingSince = statistics.failingSince();
        if (failingSince == null) {
            return false;
        }
        details.accept("failingSince", failingSince);
        details.accept("consecutiveFailures", statistics.consecutiveFailures());
        details.accept("lastError", lastError(statistics));
        return Duration.between(failingSince, this.clock.instant()).compareTo(this.failureThreshold) > 0;
    }

    private static String lastError(ShipperStatistics statistics) {
        // The shipper redacted configured secrets from the message when it recorded the failure.
        return statistics.lastFailureType() + ": " + statistics.lastFailureMessage();
    }

}
