package io.github.cloudwatchlogging.testsupport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.core.Appender;
import ch.qos.logback.classic.spi.ILoggingEvent;

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
