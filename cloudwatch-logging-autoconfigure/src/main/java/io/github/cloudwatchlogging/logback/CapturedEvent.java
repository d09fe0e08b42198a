package io.github.cloudwatchlogging.logback;

import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import io.github.cloudwatchlogging.shipping.DeferredMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * What a layout reads of an event, taken on the logging thread so that the worker can format it later: the
 * message already formatted with its arguments, the thread's name, the MDC as it was. The arguments themselves are
 * not kept (they may be large, or change); nor is the caller's data, so only layouts that do not ask for it are
 * deferred (see {@link DeferredEncoding}).
 */
final class CapturedEvent implements ILoggingEvent, DeferredMessage {

    private final DeferredEncoding encoding;

    private final String threadName;

    private final Level level;

    private final String message;

    private final @Nullable String formattedMessage;

    private final String loggerName;

    private final LoggerContextVO loggerContext;

    private final @Nullable IThrowableProxy throwableProxy;

    private final @Nullable List<Marker> markers;

    private final Map<String, String> mdc;

    private final long timestamp;

    private final int nanoseconds;

    private final long sequenceNumber;

    private final @Nullable List<KeyValuePair> keyValuePairs;

    /** @param withMdc whether the layout may read the MDC: else none is taken, and the layout sees it empty */
    CapturedEvent(ILoggingEvent event, DeferredEncoding encoding, boolean withMdc) {
        this.encoding = encoding;
        this.threadName = event.getThreadName();
        this.level = event.getLevel();
        this.message = event.getMessage();
        this.formattedMessage = event.getFormattedMessage();
        this.loggerName = event.getLoggerName();
        this.loggerContext = event.getLoggerContextVO();
        this.throwableProxy = event.getThrowableProxy();
        this.markers = event.getMarkerList();
        this.mdc = withMdc ? mdc(event) : Map.of();
        this.timestamp = event.getTimeStamp();
        this.nanoseconds = event.getNanoseconds();
        this.sequenceNumber = event.getSequenceNumber();
        this.keyValuePairs = event.getKeyValuePairs();
    }

    /**
     * Logback's MDC map is copied on write: the one taken stays as it is when the thread's MDC changes. A context
     * made without an MDC adapter (as {@code new LoggerContext()} is) throws when asked: its events have none.
     */
    private static Map<String, String> mdc(ILoggingEvent event) {
        try {
            return event.getMDCPropertyMap();
        }
        catch (NullPointerException ex) {
            return Map.of();
        }
    }

    @Override
    public byte[] encode() {
        return this.encoding.encode(this);
    }

    @Override
    public String getThreadName() {
        return this.threadName;
    }

    @Override
    public Level getLevel() {
        return this.level;
    }

    @Override
    public String getMessage() {
        return this.message;
    }

    @Override
    public Object @Nullable [] getArgumentArray() {
        return null;
    }

    @Override
    public @Nullable String getFormattedMessage() {
        return this.formattedMessage;
    }

    @Override
    public String getLoggerName() {
        return this.loggerName;
    }

    @Override
    public LoggerContextVO getLoggerContextVO() {
        return this.loggerContext;
    }

    @Override
    public @Nullable IThrowableProxy getThrowableProxy() {
        return this.throwableProxy;
    }

    @Override
    public StackTraceElement[] getCallerData() {
        return new StackTraceElement[0];
    }

    @Override
    public boolean hasCallerData() {
        return false;
    }

    @Override
    public @Nullable List<Marker> getMarkerList() {
        return this.markers;
    }

    @Override
    public Map<String, String> getMDCPropertyMap() {
        return this.mdc;
    }

    @Override
    @Deprecated
    public Map<String, String> getMdc() {
        return this.mdc;
    }

    @Override
    public long getTimeStamp() {
        return this.timestamp;
    }

    @Override
    public int getNanoseconds() {
        return this.nanoseconds;
    }

    @Override
    public long getSequenceNumber() {
        return this.sequenceNumber;
    }

    @Override
    public @Nullable List<KeyValuePair> getKeyValuePairs() {
        return this.keyValuePairs;
    }

    @Override
    public void prepareForDeferredProcessing() {
        // taken already
    }

}
