package io.github.cloudwatchlogging.metrics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.cloudwatchlogging.shipping.ShipperThread;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.step.StepMeterRegistry;
import io.micrometer.core.instrument.step.StepRegistryConfig;
import org.jspecify.annotations.Nullable;

/**
 * A Micrometer registry that publishes every step's meters as Embedded Metric Format documents
 * ({@link EmfDocuments}) through the log shipper, to the metrics' stream: CloudWatch extracts the metrics from the
 * log events, without a PutMetricData call. The documents take the queue budget like any event, so they wait out an
 * outage within it and are counted if dropped. Its own failures are counted
 * ({@code cloudwatch.logging.metrics.documents}), never logged: its thread's events are not shipped, and nothing it
 * does goes through logging.
 */
public class EmfMeterRegistry extends StepMeterRegistry {

    private final String namespace;

    private final Sink sink;

    private final LongAdder queued = new LongAdder();

    private final LongAdder refused = new LongAdder();

    private final LongAdder failed = new LongAdder();

    private volatile @Nullable String lastFailure;

    /**
     * @param step how often the meters are published
     * @param namespace the CloudWatch namespace of the metrics
     * @param sink where the documents go
     */
    public EmfMeterRegistry(Duration step, String namespace, Clock clock, Sink sink) {
        super(config(step), clock);
        this.namespace = namespace;
        this.sink = sink;
        FunctionCounter.builder("cloudwatch.logging.metrics.documents", this.queued, LongAdder::sum)
            .description("Embedded Metric Format documents handed to the shipper")
            .tag("outcome", "queued")
            .register(this);
        FunctionCounter.builder("cloudwatch.logging.metrics.documents", this.refused, LongAdder::sum)
            .description("Documents the shipper refused (counted in its figures for the metrics' destination)")
            .tag("outcome", "refused")
            .register(this);
        FunctionCounter.builder("cloudwatch.logging.metrics.documents", this.failed, LongAdder::sum)
            .description("Publications that failed before their documents reached the shipper")
            .tag("outcome", "failed")
            .register(this);
        start(ShipperThread.factory("cloudwatch-logging-metrics"));
    }

    private static StepRegistryConfig config(Duration step) {
        return new StepRegistryConfig() {

            @Override
            public String prefix() {
                return "logging.cloudwatch.metrics";
            }

            @Override
            public @Nullable String get(String key) {
                return null;
            }

            @Override
            public Duration step() {
                return step;
            }

        };
    }

    @Override
    protected void publish() {
        try {
            long timestamp = this.clock.wallTime();
            for (String document : EmfDocuments.of(getMeters(), this.namespace, timestamp)) {
                if (this.sink.offer(timestamp, document.getBytes(StandardCharsets.UTF_8))) {
                    this.queued.increment();
                }
                else {
                    this.refused.increment();
                }
            }
        }
        catch (Throwable ex) {
            // Logged, it would go through the logging system and come back here as an event: counted instead.
            this.failed.increment();
            this.lastFailure = ex.toString();
        }
    }

    /** Publications that failed since the start (the meter gives them per step). */
    public long failedPublications() {
        return this.failed.sum();
    }

    /** What the last failed publication threw; null when none failed. */
    public @Nullable String lastFailure() {
        return this.lastFailure;
    }

    @Override
    protected TimeUnit getBaseTimeUnit() {
        return TimeUnit.MILLISECONDS;
    }

    /** Where the documents go: the shipper, in the application. */
    @FunctionalInterface
    public interface Sink {

        /** Queues one document; false when it was not queued. */
        boolean offer(long timestamp, byte[] document);

    }

}
