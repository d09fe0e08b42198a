package io.github.cloudwatchlogging.metrics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.json.JsonWriter;

/**
 * Meters as CloudWatch Embedded Metric Format documents: one per distinct set of tags (the dimensions: at most 30,
 * none empty, printable ASCII), at most 100 metrics and the shipper's largest event each, as many documents as that
 * takes. Counters and timers give what their step counted; times are in milliseconds; a timer's {@code max} is
 * Micrometer's (a window that decays over a few steps, not this step's alone); values that are not finite are left
 * out and the others clamped to CloudWatch's range, since it refuses the document otherwise. A value that cannot be
 * published (a name another member has, a meter of over 30 dimensions) is left out and counted.
 */
final class EmfDocuments {

    static final int MAX_METRICS = 100;

    static final int MAX_DIMENSIONS = 30;

    private static final int MAX_NAME = 255;

    private static final int MAX_DIMENSION_VALUE = 1024;

    private static final JsonWriter<Object> JSON = JsonWriter.standard();

    private static final String AWS = "_aws";

    /** CloudWatch's range of values: beyond it, the document is refused; closer to 0, the value is 0. */
    private static final double LARGEST = 1.174271E108;

    private static final double SMALLEST = 8.515920E-109;

    private EmfDocuments() {
    }

    /**
     * The documents of these meters, for the step that began at {@code timestamp} (epoch milliseconds), each at most
     * {@code maxBytes} of UTF-8.
     */
    static Publication of(List<Meter> meters, String namespace, long timestamp, int maxBytes) {
        Map<Map<String, String>, Map<String, Datum>> byDimensions = new LinkedHashMap<>();
        int dropped = 0;
        for (Meter meter : meters) {
            Map<String, String> dimensions = dimensions(meter.getId().getTags());
            if (dimensions == null) {
                dropped++; // over 30 dimensions: cut, it would merge with another meter
                continue;
            }
            Map<String, Datum> data = byDimensions.computeIfAbsent(dimensions, (key) -> new LinkedHashMap<>());
            for (Datum datum : data(meter)) {
                if (!Double.isFinite(datum.value())) {
                    continue; // no value this step, as CloudWatch sees it
                }
                if (dimensions.containsKey(datum.name()) || data.putIfAbsent(datum.name(), datum) != null) {
                    dropped++; // a name another member of the document has
                }
            }
        }
        List<String> documents = new ArrayList<>();
        for (Map.Entry<Map<String, String>, Map<String, Datum>> entry : byDimensions.entrySet()) {
            List<Datum> all = new ArrayList<>(entry.getValue().values());
            for (int from = 0; from < all.size(); from += MAX_METRICS) {
                dropped += split(namespace, timestamp, entry.getKey(),
                        all.subList(from, Math.min(all.size(), from + MAX_METRICS)), maxBytes, documents);
            }
        }
        return new Publication(documents, dropped);
    }

    /** Adds the document of these data, halved until each part fits; returns the data that fit in none. */
    private static int split(String namespace, long timestamp, Map<String, String> dimensions, List<Datum> data,
            int maxBytes, List<String> documents) {
        String document = document(namespace, timestamp, dimensions, data);
        if (document.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            documents.add(document);
            return 0;
        }
        if (data.size() == 1) {
            return 1;
        }
        int half = data.size() / 2;
        return split(namespace, timestamp, dimensions, data.subList(0, half), maxBytes, documents)
                + split(namespace, timestamp, dimensions, data.subList(half, data.size()), maxBytes, documents);
    }

    /**
     * One step's documents.
     *
     * @param documents the documents, as JSON
     * @param dropped values left out: a name another member has, over 30 dimensions, or a document too large
     */
    record Publication(List<String> documents, int dropped) {
    }

    private static String document(String namespace, long timestamp, Map<String, String> dimensions,
            List<Datum> data) {
        List<Map<String, String>> metrics = new ArrayList<>(data.size());
        for (Datum datum : data) {
            metrics.add(Map.of("Name", datum.name(), "Unit", datum.unit()));
        }
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", namespace);
        directive.put("Dimensions", List.of(List.copyOf(dimensions.keySet())));
        directive.put("Metrics", metrics);
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", timestamp);
        aws.put("CloudWatchMetrics", List.of(directive));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("_aws", aws);
        document.putAll(dimensions);
        for (Datum datum : data) {
            document.put(datum.name(), datum.value());
        }
        return JSON.writeToString(document);
    }

    /**
     * The tags as dimensions, sorted by key: names and values made printable ASCII, names cut at 255 characters,
     * values at 1024, those with an empty value left out (a dimension needs one); null when more than 30 remain.
     */
    private static @Nullable Map<String, String> dimensions(List<Tag> tags) {
        Map<String, String> dimensions = new TreeMap<>();
        for (Tag tag : tags) {
            String value = ascii(tag.getValue(), MAX_DIMENSION_VALUE);
            String key = name(tag.getKey());
            if (!value.isBlank() && !key.equals(AWS)) {
                dimensions.putIfAbsent(key, value);
            }
        }
        return (dimensions.size() <= MAX_DIMENSIONS) ? dimensions : null;
    }

    private static String ascii(String text, int max) {
        StringBuilder valid = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && valid.length() < max; i++) {
            char c = text.charAt(i);
            valid.append((c >= ' ' && c < 127) ? c : '_');
        }
        return valid.toString();
    }

    /** A name CloudWatch takes: printable ASCII, not starting with ':', 1 to 255 characters. */
    private static String name(String name) {
        StringBuilder valid = new StringBuilder(Math.min(name.length(), MAX_NAME));
        for (int i = 0; i < name.length() && valid.length() < MAX_NAME; i++) {
            char c = name.charAt(i);
            valid.append((c > ' ' && c < 127 && !(i == 0 && c == ':')) ? c : '_');
        }
        String result = valid.isEmpty() ? "_" : valid.toString();
        return result.equals(AWS) ? "_" + AWS : result; // the metadata's own member
    }

    private static List<Datum> data(Meter meter) {
        String name = meter.getId().getName();
        String baseUnit = meter.getId().getBaseUnit();
        List<Datum> data = new ArrayList<>(3);
        if (meter instanceof TimeGauge gauge) {
            data.add(datum(name, "Milliseconds", gauge.value(TimeUnit.MILLISECONDS)));
        }
        else if (meter instanceof Gauge gauge) {
            data.add(datum(name, unit(baseUnit, "None"), gauge.value()));
        }
        else if (meter instanceof Counter counter) {
            data.add(datum(name, unit(baseUnit, "Count"), counter.count()));
        }
        else if (meter instanceof FunctionCounter counter) {
            data.add(datum(name, unit(baseUnit, "Count"), counter.count()));
        }
        else if (meter instanceof Timer timer) {
            data.add(datum(name + ".count", "Count", timer.count()));
            data.add(datum(name + ".sum", "Milliseconds", timer.totalTime(TimeUnit.MILLISECONDS)));
            data.add(datum(name + ".max", "Milliseconds", timer.max(TimeUnit.MILLISECONDS)));
        }
        else if (meter instanceof FunctionTimer timer) {
            data.add(datum(name + ".count", "Count", timer.count()));
            data.add(datum(name + ".sum", "Milliseconds", timer.totalTime(TimeUnit.MILLISECONDS)));
        }
        else if (meter instanceof LongTaskTimer timer) {
            data.add(datum(name + ".active", "Count", timer.activeTasks()));
            data.add(datum(name + ".duration", "Milliseconds", timer.duration(TimeUnit.MILLISECONDS)));
            data.add(datum(name + ".max", "Milliseconds", timer.max(TimeUnit.MILLISECONDS)));
        }
        else if (meter instanceof DistributionSummary summary) {
            data.add(datum(name + ".count", "Count", summary.count()));
            data.add(datum(name + ".sum", unit(baseUnit, "None"), summary.totalAmount()));
            data.add(datum(name + ".max", unit(baseUnit, "None"), summary.max()));
        }
        else {
            for (Measurement measurement : meter.measure()) {
                data.add(datum(name + "." + measurement.getStatistic().getTagValueRepresentation(), "None",
                        measurement.getValue()));
            }
        }
        return data;
    }

    private static Datum datum(String name, String unit, double value) {
        double clamped = Math.abs(value) < SMALLEST ? 0 : Math.max(-LARGEST, Math.min(LARGEST, value));
        return new Datum(name(name), unit, Double.isFinite(value) ? clamped : value);
    }

    /** The CloudWatch unit of a Micrometer base unit, or the given default. */
    private static String unit(@Nullable String baseUnit, String otherwise) {
        if (baseUnit == null) {
            return otherwise;
        }
        return switch (baseUnit.toLowerCase(java.util.Locale.ROOT)) {
            case "bytes" -> "Bytes";
            case "seconds" -> "Seconds";
            case "milliseconds" -> "Milliseconds";
            case "microseconds" -> "Microseconds";
            // Not "percent": Micrometer's meters of that unit (jvm.gc.overhead) report ratios from 0 to 1.
            default -> otherwise;
        };
    }

    /** One metric of a document: its name, unit and value. */
    private record Datum(String name, String unit, double value) {
    }

}
