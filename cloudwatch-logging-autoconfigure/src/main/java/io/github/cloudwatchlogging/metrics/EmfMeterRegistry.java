package io.github.cloudwatchlogging.metrics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.cloudwatchlogging.shipping.ShipperThread;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.step.StepMeterRegistry;
import io.micrometer.core.instrument.step.StepRegistryConfig;
import org.jspecify.annotations.Nullable;

/**
 * A Micrometer registry that publishes every step's meters as Embedded Metric Format documents
 * ({@link EmfDocuments}) through the log shipper, to the metrics' stream: CloudWatch extracts the metrics from the
 * log events, without a PutMetricData call. The documents take the queue budget like any event, so they wait out an
 * outage within it and are counted if dropped. Its own figures ({@link #documents}) are bound to the application's
 * registries by {@link EmfPublicationMeters}; its failures are counted, never logged, and the events of its publishing
 * thread are not shipped (a gauge function that logs there is not heard in CloudWatch).
 */
public class EmfMeterRegistry extends StepMeterRegistry {

    private final String namespace;

    private final int maxDocumentBytes;

    private final Sink sink;

    private final long stepMillis;

    private final LongAdder queued = new LongAdder();

    private final LongAdder refused = new LongAdder();

    private final LongAdder failed = new LongAdder();

    private final LongAdder dropped = new LongAdder();

    private volatile @Nullable String lastFailure;

    /**
     * @param step how often the meters are published
     * @param namespace the CloudWatch namespace of the metrics
     * @param maxDocumentBytes the largest event the shipper takes whole
     * @param sink where the documents go
     */
    public EmfMeterRegistry(Duration step, String namespace, int maxDocumentBytes, Clock clock, Sink sink) {
        super(config(step), clock);
        this.namespace = namespace;
        this.maxDocumentBytes = maxDocumentBytes;
        this.sink = sink;
        this.stepMillis = step.toMillis();
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
        // The step that ended: what the step meters hold now.
        long now = this.clock.wallTime();
        long stepStart = (now / this.stepMillis) * this.stepMillis - this.stepMillis;
        EmfDocuments.Publication publication;
        try {
            publication = EmfDocuments.of(getMeters(), this.namespace, stepStart, this.maxDocumentBytes);
        }
        catch (RuntimeException | LinkageError ex) {
            failed(ex); // logged, it would go through the logging system and come back here as an event
            return;
        }
        this.dropped.add(publication.dropped());
        for (String document : publication.documents()) {
            try {
                if (this.sink.offer(stepStart, document.getBytes(StandardCharsets.UTF_8))) {
                    this.queued.increment();
                }
                else {
                    this.refused.increment();
                }
            }
            catch (RuntimeException | LinkageError ex) {
                failed(ex);
            }
        }
    }

    private void failed(Throwable ex) {
        this.failed.increment();
        this.lastFailure = ex.toString();
    }

    /**
     * Its figures since the start: documents queued and refused by the shipper, failures before a document reached
     * it, and values left out ({@link EmfDocuments.Publication#dropped}).
     */
    public Documents documents() {
        return new Documents(this.queued.sum(), this.refused.sum(), this.failed.sum(), this.dropped.sum());
    }

    /** What the last failure threw; null when none failed. */
    public @Nullable String lastFailure() {
        return this.lastFailure;
    }

    @Override
    protected TimeUnit getBaseTimeUnit() {
        return TimeUnit.MILLISECONDS;
    }

    /**
     * @param queued documents the shipper queued
     * @param refused documents the shipper refused (counted in its figures for the metrics' destination)
     * @param failed documents, or whole publications, that failed before reaching the shipper
     * @param dropped values left out of the documents
     */
    public record Documents(long queued, long refused, long failed, long dropped) {
    }

    /** Where the documents go: the shipper, in the application. */
    @FunctionalInterface
    public interface Sink {

        /** Queues one document; false when it was not queued. */
        boolean offer(long timestamp, byte[] document);

    }

}
