package io.github.cloudwatchlogging.testsupport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** A private LoggerContext per test, so tests never touch the global one. */
public final class LogbackContexts {

    private LogbackContexts() {
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
