package io.github.cloudwatchlogging.log4j2;

import java.io.Serializable;
import java.util.function.Function;

import io.github.cloudwatchlogging.shipping.Destination;
import io.github.cloudwatchlogging.shipping.EventMessages;
import io.github.cloudwatchlogging.shipping.FeedbackLoggers;
import io.github.cloudwatchlogging.shipping.LogShipper;
import io.github.cloudwatchlogging.shipping.ShipperThread;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.jspecify.annotations.Nullable;

/**
 * Feeds a shipper it does not own from Log4j2: the layout turns each event into its message, once, on the logging
 * thread, for every destination it takes; the shipper does the rest. Stopping the appender, as every Log4j2 reconfiguration does, leaves the
 * shipper, its queue and its client untouched.
 */
public final class CloudWatchLogsLog4j2Appender extends AbstractAppender {

    private final LogShipper shipper;

    private final Function<LogEvent, Destination @Nullable []> routing;

    private final boolean oneLine;

    /**
     * @param name the appender's name
     * @param layout how an event becomes the message, in UTF-8
     * @param shipper the shipper to feed
     * @param routing the destinations an event takes, entered (see {@link Destination#enter}), or null for none
     * @param oneLine whether to drop the line separator the layout ends with (a JSON document needs none)
     */
    public CloudWatchLogsLog4j2Appender(String name, Layout<? extends Serializable> layout, LogShipper shipper,
            Function<LogEvent, Destination @Nullable []> routing, boolean oneLine) {
        super(name, null, layout, true, Property.EMPTY_ARRAY);
        this.shipper = shipper;
        this.routing = routing;
        this.oneLine = oneLine;
    }

    public LogShipper getShipper() {
        return this.shipper;
    }

    @Override
    public void append(LogEvent event) {
        if (ShipperThread.isCurrent() || FeedbackLoggers.isExcluded(event.getLoggerName())) {
            return;
        }
        Destination[] targets = this.routing.apply(event);
        if (targets == null) {
            return;
        }
        try {
            byte[] message = getLayout().toByteArray(event);
            this.shipper.offer(event.getTimeMillis(), this.oneLine ? EventMessages.withoutLineEnd(message) : message,
                    targets);
        }
        finally {
            Destination.exitAll(targets);
        }
    }

}
