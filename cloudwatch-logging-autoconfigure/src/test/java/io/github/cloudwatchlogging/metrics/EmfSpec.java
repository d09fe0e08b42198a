package io.github.cloudwatchlogging.metrics;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.json.JsonParserFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of the Embedded Metric Format specification (CloudWatch User Guide, "Specification: Embedded metric
 * format"), checked on one document: the {@code _aws} member with a {@code Timestamp} and {@code CloudWatchMetrics}
 * directives, each with a {@code Namespace}, {@code Dimensions} (arrays of at most 30 keys, each a member of the
 * document holding a string) and {@code Metrics} (at most 100, each a {@code Name} that is a member holding a number,
 * and a valid {@code Unit}).
 */
final class EmfSpec {

    static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
            "Count/Second", "None");

    private EmfSpec() {
    }

    /** Checks every rule; returns the document as a map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> check(String json) {
        Map<String, Object> document = JsonParserFactory.getJsonParser().parseMap(json);
        assertThat(document).as(json).containsKey("_aws");
        assertThat(document.get("_aws")).as("_aws is the metadata object").isInstanceOf(Map.class);
        assertThat(json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).as("within one event")
            .isLessThanOrEqualTo(1024 * 1024);
        Map<String, Object> aws = (Map<String, Object>) document.get("_aws");
        assertThat(aws.get("Timestamp")).as("Timestamp, epoch milliseconds").isInstanceOf(Number.class);
        assertThat(((Number) aws.get("Timestamp")).longValue()).isPositive();
        List<Map<String, Object>> directives = (List<Map<String, Object>>) aws.get("CloudWatchMetrics");
        assertThat(directives).isNotEmpty();
        for (Map<String, Object> directive : directives) {
            assertThat(directive.get("Namespace")).isInstanceOf(String.class);
            String namespace = (String) directive.get("Namespace");
            assertThat(namespace).isNotBlank().hasSizeLessThanOrEqualTo(255).doesNotStartWith("AWS/")
                .matches("[0-9A-Za-z._/#: -]+");
            List<List<String>> dimensionSets = (List<List<String>>) directive.get("Dimensions");
            assertThat(dimensionSets).isNotNull();
            for (List<String> set : dimensionSets) {
                assertThat(set).hasSizeLessThanOrEqualTo(30);
                for (String key : set) {
                    assertThat(key).isNotBlank().hasSizeLessThanOrEqualTo(255).doesNotStartWith(":")
                        .matches("[\\x20-\\x7e]+");
                    assertThat(document.get(key)).as("dimension %s is a member holding a string", key)
                        .isInstanceOf(String.class);
                    assertThat((String) document.get(key)).isNotBlank().hasSizeLessThanOrEqualTo(1024)
                        .matches("[\\x20-\\x7e]+");
                }
            }
            List<Map<String, Object>> metrics = (List<Map<String, Object>>) directive.get("Metrics");
            assertThat(metrics).isNotEmpty().hasSizeLessThanOrEqualTo(100);
            Set<String> names = new HashSet<>();
            for (Map<String, Object> metric : metrics) {
                String name = (String) metric.get("Name");
                assertThat(name).isNotBlank().hasSizeLessThanOrEqualTo(255);
                assertThat(names.add(name)).as("metric %s once", name).isTrue();
                assertThat(UNITS).as("unit of %s", name).contains((String) metric.get("Unit"));
                assertThat(document.get(name)).as("metric %s is a member holding a number", name)
                    .isInstanceOf(Number.class);
                double value = ((Number) document.get(name)).doubleValue();
                assertThat(Double.isFinite(value) && Math.abs(value) <= 1.174271E108).as("%s in range", name).isTrue();
            }
        }
        return document;
    }

}
