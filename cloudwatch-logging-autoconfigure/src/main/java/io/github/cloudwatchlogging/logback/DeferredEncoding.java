package io.github.cloudwatchlogging.logback;

import java.nio.charset.StandardCharsets;
import java.util.List;
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
import org.slf4j.event.KeyValuePair;

/**
 * Formats events on the shipper's worker instead of the logging thread, for the layouts that allow it: a
 * {@link PatternLayout} (that class itself) whose every conversion word is one of Logback's or Spring Boot's known
 * to read only what the call captures, so never the caller's stack nor a custom converter's thread state. The
 * logging call takes a {@link CapturedEvent} (the message formatted with its arguments, the thread's name, the MDC)
 * and reserves what it holds in the byte budget, which the worker trues up once it has formatted the event. An event
 * with an exception or key-value pairs (whose objects the capture would keep alive), and every event of any other
 * encoder, is formatted on the logging thread, as before.
 */
final class DeferredEncoding {

    /** Conversion words that read the caller's stack, which is gone once the call returned. */
    private static final Pattern CALLER_DATA = Pattern
        .compile("%[-.0-9]*(C|class|M|method|L|line|F|file|caller)(?![A-Za-z])");

    /** Any conversion word. */
    private static final Pattern CONVERSION_WORD = Pattern.compile("%[-.0-9]*([A-Za-z]+)");

    /**
     * Logback's and Spring Boot's conversion words that never read the MDC: a pattern of these alone needs no copy
     * of it per event (a map per event when the MDC changes per call). Any other word ({@code X}, {@code mdc}, Boot's
     * {@code correlationId}, one of the application's) and the MDC is taken.
     */
    private static final Set<String> WITHOUT_MDC = Set.of("d", "date", "micros", "ms", "r", "relative", "level", "le",
            "p", "t", "thread", "lo", "logger", "c", "m", "msg", "message", "n", "ex", "exception", "throwable", "rEx",
            "rootException", "xEx", "xException", "xThrowable", "nopex", "nopexception", "cn", "contextName",
            "marker", "property", "kvp", "sn", "sequenceNumber", "replace", "prefix", "highlight", "black",
            "red", "green", "yellow", "blue", "magenta", "cyan", "white", "gray", "boldRed", "boldGreen",
            "boldYellow", "boldBlue", "boldMagenta", "boldCyan", "boldWhite", "clr", "wEx", "wex", "esb");

    /** The words a deferred layout may hold: those without the MDC, and those that read only the MDC captured. */
    private static final Set<String> DEFERRABLE = union(WITHOUT_MDC, Set.of("X", "mdc", "correlationId"));

    /**
     * What a captured event holds beyond its message's characters until formatted: the {@link CapturedEvent} (about
     * 80 bytes) and its message's String and array headers (40). The queue's own overhead is counted apart.
     */
    static final int CAPTURED_BYTES = 120;

    /** The most the layout's own text is guessed at, whatever one event made it. */
    private static final int MAX_LAYOUT_BYTES = 4096;

    private final Function<ILoggingEvent, byte[]> format;

    /** Whether the layout may read the MDC, so that each event takes it. */
    private final boolean readsMdc;

    /** What the layout added to the last message it formatted: the estimate for the next. */
    private volatile int layoutBytes = 128;

    private DeferredEncoding(Function<ILoggingEvent, byte[]> format, String pattern) {
        this.format = format;
        this.readsMdc = !onlyWordsOf(pattern, WITHOUT_MDC);
    }

    /** For an encoder that wraps a pattern layout without caller data; null for any other. */
    static @Nullable DeferredEncoding of(Encoder<ILoggingEvent> encoder) {
        // The class itself: a subclass may encode otherwise.
        if (encoder.getClass() == LayoutWrappingEncoder.class
                && deferrable(((LayoutWrappingEncoder<ILoggingEvent>) encoder).getLayout())) {
            LayoutWrappingEncoder<ILoggingEvent> wrapping = (LayoutWrappingEncoder<ILoggingEvent>) encoder;
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
        if (layout == null || layout.getClass() != PatternLayout.class) {
            return false; // a subclass may format otherwise
        }
        String pattern = ((PatternLayout) layout).getPattern();
        if (pattern == null || CALLER_DATA.matcher(pattern).find()) {
            return false;
        }
        return onlyWordsOf(pattern, DEFERRABLE);
    }

    /** Whether every conversion word of the pattern is one of {@code words}. */
    private static boolean onlyWordsOf(String pattern, Set<String> words) {
        Matcher found = CONVERSION_WORD.matcher(pattern);
        while (found.find()) {
            if (!words.contains(found.group(1))) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        Set<String> all = new java.util.HashSet<>(first);
        all.addAll(second);
        return Set.copyOf(all);
    }

    /** Whether this event's capture would keep objects alive that its estimate cannot count. */
    static boolean holdsObjects(ILoggingEvent event) {
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        return event.getThrowableProxy() != null || (pairs != null && !pairs.isEmpty());
    }

    /**
     * Takes what the layout will read of the event and queues it, on the logging thread; see
     * {@link LogShipper#offer(long, DeferredMessage, int, Destination[])}.
     */
    boolean offer(LogShipper shipper, ILoggingEvent event, Destination[] targets) {
        if (holdsObjects(event)) {
            return shipper.offer(event.getTimeStamp(), this.format.apply(event), targets);
        }
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
        this.layoutBytes = Math.max(0, Math.min(MAX_LAYOUT_BYTES,
                encoded.length - ((message != null) ? message.length() : 0)));
        return encoded;
    }

    /**
     * What the event takes until formatted: what it holds (its message's characters, one byte each; a message
     * beyond Latin-1 holds two, and is counted short by the difference until formatted) or what it will take once
     * formatted (the message and what the layout last added), the larger.
     */
    private int estimate(CapturedEvent captured) {
        String message = captured.getFormattedMessage();
        int characters = (message != null) ? message.length() : 0;
        return characters + Math.max(CAPTURED_BYTES, this.layoutBytes);
    }

}
