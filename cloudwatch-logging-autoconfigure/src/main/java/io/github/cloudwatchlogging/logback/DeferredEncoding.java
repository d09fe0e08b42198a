package io.github.cloudwatchlogging.logback;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.github.cloudwatchlogging.shipping.DeferredMessage;
import io.github.cloudwatchlogging.shipping.Destination;
import io.github.cloudwatchlogging.shipping.LogShipper;
import org.jspecify.annotations.Nullable;

/**
 * Formats events on the shipper's worker instead of the logging thread, for the layouts that allow it: a pattern
 * that asks nothing of the caller's stack. The logging call takes a {@link CapturedEvent} (the message formatted
 * with its arguments, the thread's name, the MDC) and an estimate of the formatted size for the byte budget, which
 * the worker trues up once it has formatted the event. Any other encoder formats on the logging thread, as before.
 */
final class DeferredEncoding {

    /** Conversion words that read the caller's stack, which is gone once the call returned. */
    private static final Pattern CALLER_DATA = Pattern
        .compile("%[-.0-9]*(C|class|M|method|L|line|F|file|caller)(?![A-Za-z])");

    /** Any conversion word, to find those that may read the MDC. */
    private static final Pattern CONVERSION_WORD = Pattern.compile("%[-.0-9]*([A-Za-z]+)");

    /**
     * Logback's and Spring Boot's conversion words that never read the MDC: a pattern of these alone needs no copy
     * of it per event (a map per event when the MDC changes per call). Any other word ({@code X}, {@code mdc}, Boot's
     * {@code correlationId}, one of the application's) and the MDC is taken.
     */
    private static final Set<String> WITHOUT_MDC = Set.of("d", "date", "micros", "ms", "r", "relative", "level", "le",
            "p", "t", "thread", "lo", "logger", "c", "m", "msg", "message", "n", "ex", "exception", "throwable", "rEx",
            "rootException", "xEx", "xException", "xThrowable", "nopex", "nopexception", "cn", "contextName",
            "marker", "property", "kvp", "sn", "sequenceNumber", "lsn", "replace", "prefix", "highlight", "black",
            "red", "green", "yellow", "blue", "magenta", "cyan", "white", "gray", "boldRed", "boldGreen",
            "boldYellow", "boldBlue", "boldMagenta", "boldCyan", "boldWhite", "clr", "wEx", "wex", "esb");

    /** What a stack trace is guessed to add before the worker formats it (then the budget is trued up). */
    private static final int THROWABLE_ESTIMATE = 4096;

    private final Function<ILoggingEvent, byte[]> format;

    /** Whether the layout may read the MDC, so that each event takes it. */
    private final boolean readsMdc;

    /** What the layout added to the last message it formatted: the estimate for the next. */
    private volatile int layoutBytes = 128;

    private DeferredEncoding(Function<ILoggingEvent, byte[]> format, String pattern) {
        this.format = format;
        Matcher words = CONVERSION_WORD.matcher(pattern);
        boolean mdc = false;
        while (!mdc && words.find()) {
            mdc = !WITHOUT_MDC.contains(words.group(1));
        }
        this.readsMdc = mdc;
    }

    /** For an encoder that wraps a pattern layout without caller data; null for any other. */
    static @Nullable DeferredEncoding of(Encoder<ILoggingEvent> encoder) {
        if (encoder instanceof LayoutWrappingEncoder<ILoggingEvent> wrapping && deferrable(wrapping.getLayout())) {
            return new DeferredEncoding(encoder::encode, ((PatternLayout) wrapping.getLayout()).getPattern());
        }
        return null;
    }

    /** For a pattern layout without caller data, its text encoded as UTF-8; null for any other. */
    static @Nullable DeferredEncoding of(Layout<ILoggingEvent> layout) {
        return deferrable(layout) ? new DeferredEncoding((event) -> layout.doLayout(event)
            .getBytes(StandardCharsets.UTF_8), ((PatternLayout) layout).getPattern()) : null;
    }

    private static boolean deferrable(@Nullable Layout<ILoggingEvent> layout) {
        return layout instanceof PatternLayout pattern && pattern.getPattern() != null
                && !CALLER_DATA.matcher(pattern.getPattern()).find();
    }

    /**
     * Takes what the layout will read of the event and queues it, on the logging thread; see
     * {@link LogShipper#offer(long, DeferredMessage, int, Destination[])}.
     */
    boolean offer(LogShipper shipper, ILoggingEvent event, Destination[] targets) {
        CapturedEvent captured = new CapturedEvent(event, this, this.readsMdc);
        return shipper.offer(captured.getTimeStamp(), captured, estimate(captured), targets);
    }

    /** Whether each event takes the MDC; for tests. */
    boolean readsMdc() {
        return this.readsMdc;
    }

    /** Formats a captured event; on the worker. */
    byte[] encode(CapturedEvent captured) {
        byte[] encoded = this.format.apply(captured);
        String message = captured.getFormattedMessage();
        this.layoutBytes = Math.max(0, encoded.length - ((message != null) ? message.length() : 0));
        return encoded;
    }

    /** What the event is guessed to take once formatted: its message, and what the layout last added. */
    private int estimate(CapturedEvent captured) {
        String message = captured.getFormattedMessage();
        int estimate = this.layoutBytes + ((message != null) ? message.length() : 0);
        return (captured.getThrowableProxy() != null) ? estimate + THROWABLE_ESTIMATE : estimate;
    }

}
