package io.github.cloudwatchlogging.metrics;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The figures of the {@link EmfMeterRegistry} as meters of the application's registries, bound as Boot binds its
 * own (after the registries are configured, so with the common tags and filters):
 * {@code cloudwatch.logging.metrics.documents} with {@code outcome} queued, refused, failed or dropped.
 */
public class EmfPublicationMeters implements MeterBinder {

    private final EmfMeterRegistry emf;

    public EmfPublicationMeters(EmfMeterRegistry emf) {
        this.emf = emf;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        bind(registry, "queued", "Embedded Metric Format documents the shipper queued",
                EmfMeterRegistry.Documents::queued);
        bind(registry, "refused", "Documents the shipper refused (counted in the metrics destination's figures)",
                EmfMeterRegistry.Documents::refused);
        bind(registry, "failed", "Documents, or whole publications, that failed before reaching the shipper",
                EmfMeterRegistry.Documents::failed);
        bind(registry, "dropped", "Values left out of the documents (a name another member has, over 30 tags, "
                + "or larger than an event)", EmfMeterRegistry.Documents::dropped);
    }

    private void bind(MeterRegistry registry, String outcome, String description,
            ToDoubleFunction<EmfMeterRegistry.Documents> figure) {
        FunctionCounter.builder("cloudwatch.logging.metrics.documents", this.emf,
                (emf) -> figure.applyAsDouble(emf.documents()))
            .description(description)
            .baseUnit("documents")
            .tag("outcome", outcome)
            .register(registry);
    }

}
