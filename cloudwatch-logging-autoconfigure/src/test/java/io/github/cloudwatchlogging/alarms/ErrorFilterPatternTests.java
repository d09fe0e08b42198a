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
        assertThat(FilterPatterns.matches(filter, "12:00:01.002 [main] INFO  com.example.Orders - an ERROR word"))
            .isFalse();
    }

    @Test
    void aPatternWithoutALevelOrAFormatterOfItsOwnFallsBackToTheTerm() {
        assertThat(ErrorFilterPattern.of("pattern", "%d %logger : %m%n")).isEqualTo("ERROR");
        assertThat(ErrorFilterPattern.of("com.example.MyFormatter", null)).isEqualTo("ERROR");
        assertThat(ErrorFilterPattern.of("pattern", null)).isEqualTo("[f1, level = ERROR, ...]");
    }

}
