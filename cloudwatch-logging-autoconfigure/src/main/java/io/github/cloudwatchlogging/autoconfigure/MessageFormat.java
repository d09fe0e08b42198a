package io.github.cloudwatchlogging.autoconfigure;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * How an event becomes its CloudWatch message: a pattern of the logging system in use, or one of Spring Boot's
 * structured formats, built by Boot's own encoder or layout, so that the JSON in CloudWatch is the JSON the
 * application writes to its console, with the same {@code logging.structured.*} settings.
 *
 * @param format "pattern", or a structured format: "ecs", "logstash", "gelf" or a formatter class name
 * @param pattern the pattern, in the logging system's own syntax, or null for the starter's default
 */
record MessageFormat(String format, @Nullable String pattern) {

    static final String PATTERN = "pattern";

    boolean isStructured() {
        return !PATTERN.equals(this.format.trim().toLowerCase(Locale.ROOT));
    }

    String structuredFormat() {
        return this.format.trim();
    }

}
