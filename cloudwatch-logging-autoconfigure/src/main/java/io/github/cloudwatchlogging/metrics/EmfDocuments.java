package io.github.cloudwatchlogging.metrics;

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
 * none empty), at most 100 metrics each, as many documents as that takes. Counters and timers give what their step
 * counted; times are in milliseconds; values that are not finite are left out, since CloudWatch refuses them.
 */
final class EmfDocuments {

    static final int MAX_METRICS = 100;

    static final int MAX_DIMENSIONS = 30;

    private static final int MAX_NAME = 255;

    private static final int MAX_DIMENSION_VALUE = 1024;

    private static final JsonWriter<Object> JSON = JsonWriter.standard();

    private EmfDocuments() {
    }

    /** The documents of these meters, for a publication at {@code timestamp} (epoch milliseconds). */
    static List<String> of(List<Meter> meters, String namespace, long timestamp) {
        Map<Map<String, String>, Map<String, Datum>> byDimensions = new LinkedHashMap<>();
        for (Meter meter : meters) {
            Map<String, String> dimensions = dimensions(meter.getId().getTags());
            Map<String, Datum> data = byDimensions.computeIfAbsent(dimensions, (key) -> new LinkedHashMap<>());
            for (Datum datum : data(meter)) {
                if (Double.isFinite(datum.value()) && !dimensions.containsKey(datum.name())) {
                    data.putIfAbsent(datum.name(), datum);
                }
            }
        }
        List<String> documents = new ArrayList<>();
        byDimensions.forEach((dimensions, data) -> {
            List<Datum> all = new ArrayList<>(data.values());
            for (int from = 0; from < all.size(); from += MAX_METRICS) {
                documents.add(document(namespace, timestamp, dimensions,
                        all.subList(from, Math.min(all.size(), from + MAX_METRICS))));
            }
        });
        return documents;
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
     * The tags as dimensions: sorted by key, those with an empty value left out (a dimension needs one), names made
     * ASCII and cut at 255 characters, values at 1024, and at most 30 of them.
     */
    private static Map<String, String> dimensions(List<Tag> tags) {
        Map<String, String> dimensions = new TreeMap<>();
        for (Tag tag : tags) {
            String value = tag.getValue();
            String key = name(tag.getKey());
            if (value.isBlank() || key.equals("_aws") || dimensions.size() == MAX_DIMENSIONS) {
                continue;
            }
            dimensions.putIfAbsent(key, (value.length() > MAX_DIMENSION_VALUE)
                    ? value.substring(0, MAX_DIMENSION_VALUE) : value);
        }
        return dimensions;
    }

    /** A name CloudWatch takes: printable ASCII, not starting with ':', 1 to 255 characters. */
    private static String name(String name) {
        StringBuilder valid = new StringBuilder(Math.min(name.length(), MAX_NAME));
        for (int i = 0; i < name.length() && valid.length() < MAX_NAME; i++) {
            char c = name.charAt(i);
            valid.append((c > ' ' && c < 127 && !(i == 0 && c == ':')) ? c : '_');
        }
        return valid.isEmpty() ? "_" : valid.toString();
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
        return new Datum(name(name), unit, value);
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
            case "percent" -> "Percent";
            default -> otherwise;
        };
    }

    /** One metric of a document: its name, unit and value. */
    private record Datum(String name, String unit, double value) {
    }

}
