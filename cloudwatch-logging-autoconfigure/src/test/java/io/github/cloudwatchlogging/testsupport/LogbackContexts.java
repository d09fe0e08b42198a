package io.github.cloudwatchlogging.testsupport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.core.Appender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import io.github.cloudwatchlogging.logback.CloudWatchLogsAppender;

/** A private LoggerContext per test, so tests never touch the global one. */
public final class LogbackContexts {

    private LogbackContexts() {
    }

    /** A started layout that writes the message only, so tests can compare what arrives byte for byte. */
    public static PatternLayout messageOnlyLayout() {
        PatternLayout layout = new PatternLayout();
        layout.setContext(new LoggerContext());
        layout.setPattern("%m");
        layout.start();
        return layout;
    }

    /** The same, with the appender's encoder started in that context first. */
    public static LoggerContext withAppender(CloudWatchLogsAppender appender, Encoder<ILoggingEvent> encoder) {
        LoggerContext context = new LoggerContext();
        context.start();
        encoder.setContext(context);
        encoder.start();
        appender.setEncoder(encoder);
        appender.setContext(context);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return context;
    }

    public static LoggerContext withAppender(Appender<ILoggingEvent> appender) {
        LoggerContext context = new LoggerContext();
        context.start();
        appender.setContext(context);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        return context;
    }

}
