package io.github.cloudwatchlogging.alarms;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorFilterPatternTests {

    @Test
    void aCustomPatternHasTheLevelFieldAtItsPlace() {
        String filter = ErrorFilterPattern.of("pattern", "%d{HH:mm:ss.SSS} [%thread] %-5level %logger{36} - %msg%n");
        assertThat(filter).isEqualTo("[f1, f2, level = ERROR, ...]");
        assertThat(FilterPatterns.matches(filter, "12:00:01.002 [main] ERROR com.example.Orders - payment failed"))
            .isTrue();
        assertThat(FilterPatterns.matches(filter, "12:00:01.002 [Signal Dispatcher] ERROR c.e.Orders - failed"))
            .as("a bracketed thread name with a space is one field").isTrue();
        assertThat(FilterPatterns.matches(filter, "12:00:01.002 [main] INFO  com.example.Orders - an ERROR word"))
            .isFalse();
    }

    /** Second review: a date whose format has a space writes two fields; its options write none. */
    @Test
    void aDateWritesAsManyFieldsAsItsFormatHasWords() {
        assertThat(ErrorFilterPattern.of("pattern", "%d %-5level [%thread] %logger - %msg%n"))
            .as("Logback's default date: 2026-12-05 01:03:42,783").isEqualTo("[f1, f2, level = ERROR, ...]");
        assertThat(ErrorFilterPattern.of("pattern", "%d{DEFAULT} %p %c - %m%n")).isEqualTo("[f1, f2, level = ERROR, ...]");
        assertThat(ErrorFilterPattern.of("pattern", "%d{HH:mm:ss.SSS, UTC} %p %m%n")).isEqualTo("[f1, level = ERROR, ...]");
        assertThat(ErrorFilterPattern.of("pattern", "%d{yyyy-MM-dd HH:mm:ss} %5p %m%n"))
            .isEqualTo("[f1, f2, level = ERROR, ...]");
        assertThat(ErrorFilterPattern.of("pattern", "%d [%thread %X{traceId}] %p %m%n"))
            .as("a bracketed group is one field").isEqualTo("[f1, f2, f3, level = ERROR, ...]");
    }

    @Test
    void aLevelWhosePlaceIsNotKnownFallsBackToTheTerm() {
        assertThat(ErrorFilterPattern.of("pattern", "%d %-20thread %p %m%n")).as("a thread name may hold spaces")
            .isEqualTo("ERROR");
        assertThat(ErrorFilterPattern.of("pattern", "%d %logger : %m%n")).isEqualTo("ERROR");
        assertThat(ErrorFilterPattern.of("pattern", "%d %.3p %m%n")).as("a level cut short").isEqualTo("ERROR");
        assertThat(ErrorFilterPattern.of("com.example.MyFormatter", null)).isEqualTo("ERROR");
        assertThat(ErrorFilterPattern.of("pattern", null)).isEqualTo("[f1, level = ERROR, ...]");
    }

    @Test
    void structuredFormatsCountFatalToo() {
        assertThat(FilterPatterns.matches(ErrorFilterPattern.of("ecs", null), "{\"log\":{\"level\":\"FATAL\"}}")).isTrue();
        assertThat(FilterPatterns.matches(ErrorFilterPattern.of("logstash", null), "{\"level\":\"FATAL\"}")).isTrue();
        assertThat(FilterPatterns.matches(ErrorFilterPattern.of("gelf", null), "{\"level\":2}")).isTrue();
        assertThat(FilterPatterns.matches(ErrorFilterPattern.of("gelf", null), "{\"level\":4}")).isFalse();
    }

}
