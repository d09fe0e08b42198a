package io.github.cloudwatchlogging.logback;

import java.util.function.BiFunction;
import java.util.function.Function;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import io.github.cloudwatchlogging.shipping.Destination;
import io.github.cloudwatchlogging.shipping.FeedbackLoggers;
import io.github.cloudwatchlogging.shipping.LogShipper;
import io.github.cloudwatchlogging.shipping.ShipperThread;
import org.jspecify.annotations.Nullable;

/**
 * Feeds a shipper it does not own: the one the starter installs. Each event is encoded once, and queued for every
 * destination it takes: by the shipper's worker when the encoder allows it (see {@link DeferredEncoding}), else on
 * the logging thread. Stopping this appender, as every Logback re-initialization does,
 * leaves the shipper, its queue and its client untouched. For an appender declared in {@code logback.xml}, see
 * {@link CloudWatchLogsAppender}.
 */
public final class ShipperAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    /** Reads an event's MDC entry, for {mdc:KEY} in a group or stream name; null when missing. */
    public static final BiFunction<ILoggingEvent, String, @Nullable String> MDC_VALUE = (event, key) -> event
        .getMDCPropertyMap()
        .get(key);

    private final LogShipper shipper;

    private final Encoder<ILoggingEvent> encoder;

    private final Function<ILoggingEvent, Destination @Nullable []> routing;

    /** Formats on the worker, for an encoder that allows it; null to encode on the logging thread. */
    private final @Nullable DeferredEncoding deferred;

    /**
     * @param shipper the shipper to feed
     * @param encoder a started encoder of UTF-8 bytes
     * @param routing the destinations an event takes, entered (see {@link Destination#enter}), or null for none
     */
    public ShipperAppender(LogShipper shipper, Encoder<ILoggingEvent> encoder,
            Function<ILoggingEvent, Destination @Nullable []> routing) {
        this.shipper = shipper;
        this.encoder = encoder;
        this.routing = routing;
        this.deferred = DeferredEncoding.of(encoder);
    }

    /** An appender that sends every event to the shipper's main destination. */
    public static ShipperAppender toMainDestination(LogShipper shipper, Encoder<ILoggingEvent> encoder) {
        Destination[] main = { shipper.mainDestination() };
        return new ShipperAppender(shipper, encoder, (event) -> main);
    }

    public LogShipper getShipper() {
        return this.shipper;
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (ShipperThread.isCurrent() || FeedbackLoggers.isExcluded(event.getLoggerName())) {
            return;
        }
        Destination[] targets = this.routing.apply(event);
        if (targets != null) {
            try {
                if (this.deferred != null) {
                    this.deferred.offer(this.shipper, event, targets);
                }
                else {
                    this.shipper.offer(event.getTimeStamp(), this.encoder.encode(event), targets);
                }
            }
            finally {
                Destination.exitAll(targets);
            }
        }
    }

}
