package io.github.cloudwatchlogging.logback;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.encoder.EchoEncoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.junit.jupiter.api.Test;
import org.slf4j.MarkerFactory;
import org.slf4j.event.KeyValuePair;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which layouts are formatted on the worker, and that what the worker formats later, on another thread, after the
 * thread's MDC and the arguments changed, is what the layout would have written at the call.
 */
class DeferredEncodingTests {

    private final LoggerContext context = new LoggerContext();

    private final LogbackMDCAdapter mdc = new LogbackMDCAdapter();

    DeferredEncodingTests() {
        this.context.setMDCAdapter(this.mdc);
        this.context.start();
    }

    @Test
    void onlyPatternsThatAskNothingOfTheCallersStackAreDeferred() {
        for (String pattern : new String[] { "%d %5p [%t] %logger{39} : %m%n%ex", "%clr(%5p) %contextName %msg",
                "%level %lo %X{tenant} %marker %kvp %n" }) {
            assertThat(DeferredEncoding.of(layout(pattern))).as(pattern).isNotNull();
        }
        for (String pattern : new String[] { "%m %L", "%-5line %m", "%M %m", "%method", "%F:%L", "%file",
                "%C{1} %m", "%class", "%caller{2}", "%.10C", "%traceId %m", "%m %applicationName", "%lsn %m" }) {
            assertThat(DeferredEncoding.of(layout(pattern))).as("caller data, or a word it does not know: " + pattern)
                .isNull();
        }
        PatternLayout subclass = new PatternLayout() {
        };
        subclass.setContext(this.context);
        subclass.setPattern("%m%n");
        subclass.start();
        assertThat(DeferredEncoding.of(subclass)).as("a subclass may format otherwise").isNull();
        assertThat(DeferredEncoding.of(layout("%d %5p [%t] %logger{39} : %m%n%ex")).readsMdc()).isFalse();
        assertThat(DeferredEncoding.of(layout("%clr(%d){faint} %clr(%5p) %esb{%X{tenant}} %m%n")).readsMdc()).isTrue();
        assertThat(DeferredEncoding.of(layout("%mdc{tenant} %m")).readsMdc()).isTrue();
        assertThat(DeferredEncoding.of(layout("%m %correlationId")).readsMdc()).as("a word it does not know").isTrue();
        LayoutWrappingEncoder<ILoggingEvent> wrapping = new LayoutWrappingEncoder<>();
        wrapping.setLayout(layout("%m%n"));
        assertThat(DeferredEncoding.of(wrapping)).isNotNull();
        assertThat(DeferredEncoding.of(new EchoEncoder<>())).as("an encoder that is not a pattern's").isNull();
        LayoutWrappingEncoder<ILoggingEvent> encoderSubclass = new LayoutWrappingEncoder<>() {
        };
        encoderSubclass.setLayout(layout("%m%n"));
        assertThat(DeferredEncoding.of(encoderSubclass)).as("a subclass may encode otherwise").isNull();
    }

    @Test
    void theWorkerWritesWhatTheLayoutWouldHaveWrittenAtTheCall() throws Exception {
        PatternLayout layout = layout("%d{ISO8601} %5p [%t] %logger{39} %X{tenant} %marker %kvp %contextName %sn : "
                + "%m%n%ex");
        this.mdc.put("tenant", "acme");
        StringBuilder argument = new StringBuilder("o-42");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), this.context.getLogger("com.example.Orders"),
                Level.WARN, "order {} failed", new IllegalStateException("boom"), new Object[] { argument });
        event.addMarker(MarkerFactory.getMarker("AUDIT"));
        event.addKeyValuePair(new KeyValuePair("attempt", 3));
        String atTheCall = layout.doLayout(event);
        DeferredEncoding encoding = DeferredEncoding.of(layout);
        assertThat(encoding.readsMdc()).isTrue();
        CapturedEvent captured = new CapturedEvent(event, encoding, encoding.readsMdc());
        this.mdc.put("tenant", "changed");
        argument.append("-changed");
        String later = CompletableFuture
            .supplyAsync(() -> new String(captured.encode(), StandardCharsets.UTF_8), (task) -> new Thread(task,
                    "cloudwatch-logging-worker").start())
            .get();
        assertThat(later).isEqualTo(atTheCall)
            .contains("acme", "order o-42 failed", "AUDIT", "attempt=\"3\"", "IllegalStateException: boom",
                    "[" + Thread.currentThread().getName() + "]");
    }

    @Test
    void anEventWithAnExceptionOrKeyValuePairsIsFormattedAtTheCall() {
        Logger logger = this.context.getLogger("com.example.Orders");
        LoggingEvent plain = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "plain", null, null);
        LoggingEvent failed = new LoggingEvent(Logger.class.getName(), logger, Level.ERROR, "failed",
                new IllegalStateException("its frames and causes stay alive while it waits"), null);
        LoggingEvent pairs = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "pairs", null, null);
        pairs.addKeyValuePair(new KeyValuePair("order", new StringBuilder("mutable")));
        assertThat(DeferredEncoding.holdsObjects(plain)).isFalse();
        assertThat(DeferredEncoding.holdsObjects(failed)).isTrue();
        assertThat(DeferredEncoding.holdsObjects(pairs)).isTrue();
    }

    private PatternLayout layout(String pattern) {
        PatternLayout layout = new PatternLayout();
        layout.setContext(this.context);
        layout.setPattern(pattern);
        layout.start();
        return layout;
    }

}
