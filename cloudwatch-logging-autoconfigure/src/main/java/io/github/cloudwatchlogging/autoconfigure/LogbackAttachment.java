package io.github.cloudwatchlogging.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.github.cloudwatchlogging.autoconfigure.LogSystemAttachment.Routing;
import io.github.cloudwatchlogging.logback.CloudWatchLogsAppender;
import io.github.cloudwatchlogging.logback.ShipperAppender;
import io.github.cloudwatchlogging.shipping.EventMessages;
import org.slf4j.LoggerFactory;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.logback.StructuredLogEncoder;

/** Attaches one {@link ShipperAppender} to Logback's root logger; a {@link CloudWatchLogsAppender} is the user's. */
final class LogbackAttachment implements LogSystemAttachment {

    private final MessageFormat format;

    LogbackAttachment(MessageFormat format) {
        this.format = format;
    }

    @Override
    public boolean hasUserAppender() {
        for (Logger logger : context().getLoggerList()) {
            Iterator<Appender<ILoggingEvent>> appenders = logger.iteratorForAppenders();
            while (appenders.hasNext()) {
                Appender<ILoggingEvent> appender = appenders.next();
                if (appender instanceof CloudWatchLogsAppender) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void checkFormat() {
        createEncoder(context()).stop();
    }

    @Override
    public void attach(Routing routing) {
        LoggerContext context = context();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        String name = CloudWatchLoggingInstallation.APPENDER_NAME;
        Appender<ILoggingEvent> existing = root.getAppender(name);
        if (existing instanceof ShipperAppender ours && ours.getShipper() == routing.shipper() && ours.isStarted()) {
            return;
        }
        if (existing != null) {
            root.detachAppender(existing);
            existing.stop();
        }
        ShipperAppender appender = new ShipperAppender(routing.shipper(), createEncoder(context),
                (event) -> routing.targets(event.getLoggerName(), logLevel(event.getLevel()), event,
                        ShipperAppender.MDC_VALUE));
        appender.setName(name);
        appender.setContext(context);
        appender.start();
        root.addAppender(appender);
    }

    @Override
    public void detach(Routing routing) {
        Logger root = context().getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> appender = root.getAppender(CloudWatchLoggingInstallation.APPENDER_NAME);
        if (appender instanceof ShipperAppender ours && ours.getShipper() == routing.shipper()) {
            root.detachAppender(appender);
            appender.stop();
        }
    }

    private static LogLevel logLevel(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> LogLevel.ERROR;
            case Level.WARN_INT -> LogLevel.WARN;
            case Level.INFO_INT -> LogLevel.INFO;
            case Level.DEBUG_INT -> LogLevel.DEBUG;
            default -> LogLevel.TRACE;
        };
    }

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    /**
     * A started encoder. Boot stores its Environment in the context when it initializes logging; the structured
     * encoder reads the {@code logging.structured.*} settings from it.
     */
    private Encoder<ILoggingEvent> createEncoder(LoggerContext context) {
        if (!this.format.isStructured()) {
            PatternLayout layout = new PatternLayout();
            layout.setContext(context);
            layout.setPattern((this.format.pattern() != null) ? this.format.pattern() : defaultPattern());
            layout.start();
            LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
            encoder.setContext(context);
            encoder.setLayout(layout);
            encoder.setCharset(StandardCharsets.UTF_8);
            encoder.start();
            return encoder;
        }
        StructuredLogEncoder structured = new StructuredLogEncoder();
        structured.setContext(context);
        structured.setFormat(this.format.structuredFormat());
        structured.setCharset(StandardCharsets.UTF_8);
        structured.start();
        OneLineEncoder encoder = new OneLineEncoder(structured);
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }

    /** Spring Boot's file pattern, without colours. */
    private static String defaultPattern() {
        return "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %5p " + ProcessHandle.current().pid()
                + " --- [%15.15t] %-40.40logger{39} : %m%n%ex";
    }

    /**
     * One JSON document per CloudWatch event, without the line separator that a console needs and an event does not.
     */
    private static final class OneLineEncoder extends EncoderBase<ILoggingEvent> {

        private final Encoder<ILoggingEvent> delegate;

        OneLineEncoder(Encoder<ILoggingEvent> delegate) {
            this.delegate = delegate;
        }

        @Override
        public byte[] headerBytes() {
            return this.delegate.headerBytes();
        }

        @Override
        public byte[] encode(ILoggingEvent event) {
            return EventMessages.withoutLineEnd(this.delegate.encode(event));
        }

        @Override
        public byte[] footerBytes() {
            return this.delegate.footerBytes();
        }

        @Override
        public void stop() {
            this.delegate.stop();
            super.stop();
        }

    }

}
