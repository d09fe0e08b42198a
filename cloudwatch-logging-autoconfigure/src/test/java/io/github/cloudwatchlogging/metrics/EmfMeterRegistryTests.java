package io.github.cloudwatchlogging.metrics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmfMeterRegistryTests {

    private final MockClock clock = clockNow();

    private final List<String> documents = new CopyOnWriteArrayList<>();

    private final EmfMeterRegistry registry = new EmfMeterRegistry(Duration.ofMinutes(1), "orders", 1024 * 1024,
            this.clock, (timestamp, document) -> this.documents.add(new String(document, StandardCharsets.UTF_8)));

    /** A mock clock at today's time: a document's Timestamp is an epoch time. */
    private static MockClock clockNow() {
        MockClock clock = new MockClock();
        clock.add(Duration.ofMillis(System.currentTimeMillis()));
        return clock;
    }

    @AfterEach
    void close() {
        this.registry.stop();
    }

    /** Publishes the step that just ended, as the registry's own schedule would. */
    private List<Map<String, Object>> publishStep() {
        this.clock.add(Duration.ofMinutes(1));
        this.documents.clear();
        this.registry.publish();
        List<Map<String, Object>> checked = new ArrayList<>();
        this.documents.forEach((document) -> checked.add(EmfSpec.check(document)));
        return checked;
    }

    private static Map<String, Object> withMember(List<Map<String, Object>> documents, String member) {
        return documents.stream().filter((document) -> document.containsKey(member)).findFirst().orElseThrow(
                () -> new AssertionError("no document has " + member + ": " + documents));
    }

    @SuppressWarnings("unchecked")
    private static String unit(Map<String, Object> document, String metric) {
        List<Map<String, Object>> directives = (List<Map<String, Object>>) ((Map<String, Object>) document.get("_aws"))
            .get("CloudWatchMetrics");
        return directives.get(0)
            .get("Metrics") instanceof List<?> metrics ? metrics.stream()
                .map((entry) -> (Map<String, Object>) entry)
                .filter((entry) -> metric.equals(entry.get("Name")))
                .map((entry) -> (String) entry.get("Unit"))
                .findFirst()
                .orElseThrow() : null;
    }

    @Test
    void everyMeterTypeBecomesMetricsWithTheirUnitsAndTheStepsValues() {
        Counter counter = Counter.builder("orders.placed").tag("region", "eu").register(this.registry);
        Gauge.builder("queue.depth", () -> 7).tag("region", "eu").register(this.registry);
        TimeGauge.builder("uptime", () -> 2, TimeUnit.SECONDS).register(this.registry);
        Gauge.builder("memory.used", () -> 1024).baseUnit("bytes").register(this.registry);
        FunctionCounter.builder("requests", new AtomicInteger(5), AtomicInteger::get).register(this.registry);
        Timer timer = Timer.builder("orders.latency").tag("region", "eu").register(this.registry);
        FunctionTimer.builder("cache.gets", new Object(), (o) -> 4, (o) -> 40.0, TimeUnit.MILLISECONDS)
            .register(this.registry);
        LongTaskTimer.builder("jobs").register(this.registry);
        DistributionSummary summary = DistributionSummary.builder("payload").baseUnit("bytes").register(this.registry);
        Meter.builder("custom", Meter.Type.OTHER, List.of(new Measurement(() -> 3.0, Statistic.VALUE)))
            .register(this.registry);
        counter.increment(3);
        timer.record(Duration.ofMillis(250));
        timer.record(Duration.ofMillis(750));
        summary.record(100);
        summary.record(300);

        List<Map<String, Object>> published = publishStep();

        Map<String, Object> eu = withMember(published, "orders.placed");
        assertThat(eu).containsEntry("region", "eu").containsEntry("orders.placed", 3.0).containsEntry("queue.depth", 7.0)
            .containsEntry("orders.latency.count", 2.0).containsEntry("orders.latency.sum", 1000.0)
            .containsEntry("orders.latency.max", 750.0);
        assertThat(unit(eu, "orders.placed")).isEqualTo("Count");
        assertThat(unit(eu, "queue.depth")).isEqualTo("None");
        assertThat(unit(eu, "orders.latency.sum")).isEqualTo("Milliseconds");
        Map<String, Object> untagged = withMember(published, "uptime");
        assertThat(untagged).containsEntry("uptime", 2000.0).containsEntry("memory.used", 1024.0)
            .containsEntry("requests", 5.0).containsEntry("cache.gets.count", 4.0)
            .containsEntry("cache.gets.sum", 40.0).containsEntry("jobs.active", 0.0)
            .containsEntry("payload.count", 2.0).containsEntry("payload.sum", 400.0)
            .containsEntry("payload.max", 300.0).containsEntry("custom.value", 3.0);
        assertThat(unit(untagged, "memory.used")).isEqualTo("Bytes");
        assertThat(unit(untagged, "payload.sum")).isEqualTo("Bytes");
        assertThat(unit(untagged, "uptime")).isEqualTo("Milliseconds");
        assertThat(untagged.get("_aws").toString()).contains("Namespace=orders").contains("Dimensions=[[]]");

        // The next step counts only what happened in it.
        counter.increment();
        assertThat(withMember(publishStep(), "orders.placed")).containsEntry("orders.placed", 1.0);
    }

    @Test
    void tagsThatWouldBreakADocumentAreMadeValid() {
        List<Tag> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(Tag.of(String.format("tag%02d", i), "v" + i));
        }
        many.add(Tag.of("empty", ""));
        many.add(Tag.of(":colon", "x"));
        many.add(Tag.of("k".repeat(300), "v".repeat(2000)));
        Counter.builder("n".repeat(300)).tags(Tags.of(many)).register(this.registry).increment();
        Gauge.builder("not.finite", () -> Double.NaN).register(this.registry);

        Counter.builder("fewer").tag("empty", "").tag(":colon", "x").tag("k".repeat(300), "v".repeat(2000))
            .tag("uri", "/caf\u00e9\u0001").register(this.registry).increment();
        Gauge.builder("_aws", () -> 1).register(this.registry);
        Gauge.builder("region", () -> 2).tag("region", "eu").register(this.registry);
        Gauge.builder("huge", () -> 1e300).register(this.registry);

        List<Map<String, Object>> published = publishStep(); // EmfSpec checks every rule

        assertThat(published).as("a meter of over 30 dimensions is left out, not merged")
            .noneMatch((document) -> document.containsKey("n".repeat(255)));
        Map<String, Object> document = withMember(published, "fewer");
        assertThat(document).doesNotContainKey("empty").containsKey("_colon").containsKey("k".repeat(255))
            .containsEntry("uri", "/caf__");
        assertThat(withMember(published, "huge")).containsEntry("huge", 1.174271E108).doesNotContainKey("not.finite")
            .containsEntry("__aws", 1.0);
        assertThat(published).noneMatch((each) -> each.containsKey("region") && !(each.get("region") instanceof String));
        assertThat(this.registry.documents().dropped()).as("the 41-tag counter and the gauge named like its tag")
            .isEqualTo(2);
    }

    @Test
    void moreThanAHundredMetricsOfOneDimensionSetTakeSeveralDocuments() {
        for (int i = 0; i < 250; i++) {
            Gauge.builder("gauge." + i, () -> 1).tag("service", "orders").register(this.registry);
        }
        List<Map<String, Object>> published = publishStep();
        long gauges = published.stream()
            .mapToLong((document) -> document.keySet().stream().filter((key) -> key.startsWith("gauge.")).count())
            .sum();
        assertThat(gauges).isEqualTo(250);
        assertThat(published).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void aDocumentLargerThanAnEventIsSplitUntilEachFits() {
        for (int i = 0; i < 100; i++) {
            Gauge.builder("a.rather.long.gauge.name.to.fill.the.document." + i, () -> 1).register(this.registry);
        }
        EmfMeterRegistry small = new EmfMeterRegistry(Duration.ofMinutes(1), "orders", 2048, this.clock,
                (timestamp, document) -> this.documents.add(new String(document, StandardCharsets.UTF_8)));
        try {
            for (int i = 0; i < 100; i++) {
                Gauge.builder("a.rather.long.gauge.name.to.fill.the.document." + i, () -> 1).register(small);
            }
            this.clock.add(Duration.ofMinutes(1));
            this.documents.clear();
            small.publish();
            assertThat(this.documents).hasSizeGreaterThan(2)
                .allSatisfy((json) -> assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(2048));
            this.documents.forEach(EmfSpec::check);
            assertThat(small.documents().dropped()).isZero();
        }
        finally {
            small.stop();
        }
    }

    @Test
    void theDocumentsAreStampedWithTheStartOfTheStepTheyReport() {
        Counter.builder("stamped").register(this.registry).increment();
        long before = this.clock.wallTime();
        List<Map<String, Object>> published = publishStep();
        Object timestamp = ((Map<?, ?>) withMember(published, "stamped").get("_aws")).get("Timestamp");
        long stepMillis = Duration.ofMinutes(1).toMillis();
        assertThat(((Number) timestamp).longValue()).isEqualTo((before / stepMillis) * stepMillis);
    }

    @Test
    void aFailingSinkIsCountedNotThrownNorLogged() {
        EmfMeterRegistry failing = new EmfMeterRegistry(Duration.ofMinutes(1), "orders", 1024 * 1024, this.clock,
                (timestamp, document) -> {
                    throw new IllegalStateException("the shipper is gone");
                });
        try {
            Counter.builder("x").register(failing).increment();
            this.clock.add(Duration.ofMinutes(1));
            failing.publish();
            assertThat(failing.documents().failed()).isEqualTo(1);
            assertThat(failing.lastFailure()).contains("the shipper is gone");
        }
        finally {
            failing.stop();
        }
    }

}
