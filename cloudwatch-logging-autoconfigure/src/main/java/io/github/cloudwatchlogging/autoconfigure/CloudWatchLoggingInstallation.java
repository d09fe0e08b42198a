package io.github.cloudwatchlogging.autoconfigure;

import java.util.Iterator;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import io.github.cloudwatchlogging.logback.CloudWatchLogsAppender;
import io.github.cloudwatchlogging.shipping.LogShipper;
import io.github.cloudwatchlogging.shipping.PutLogEventsSender;
import io.github.cloudwatchlogging.shipping.ShipperDiagnostics;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import io.github.cloudwatchlogging.shipping.ShipperState;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The one shipper of this class loader and the appender that feeds it. The shipper, its queue and its client live
 * here, outside Logback, so that Logback re-initializations (which stop and detach every appender) lose nothing:
 * the appender is simply attached again.
 */
public final class CloudWatchLoggingInstallation {

    static final String APPENDER_NAME = "CLOUDWATCH_LOGS";

    private static @Nullable CloudWatchLoggingInstallation current;

    private final LogShipper shipper;

    private final String pattern;

    private final Level threshold;

    private CloudWatchLoggingInstallation(LogShipper shipper, String pattern, Level threshold) {
        this.shipper = shipper;
        this.pattern = pattern;
        this.threshold = threshold;
    }

    /** The running installation, or null when none is. */
    public static synchronized @Nullable CloudWatchLoggingInstallation current() {
        CloudWatchLoggingInstallation installation = current;
        return (installation != null && installation.shipper.state() != ShipperState.STOPPED)
                ? installation : null;
    }

    /**
     * The running installation, or a new one, buffering, attached to Logback's root logger. Returns null when
     * Logback is not the logging system or the user declared a CloudWatchLogsAppender of their own.
     */
    static synchronized @Nullable CloudWatchLoggingInstallation install(ShipperSettings settings,
            CloudWatchLoggingProperties properties) {
        LoggerContext context = loggerContext();
        if (context == null || hasUserAppender(context)) {
            return null;
        }
        CloudWatchLoggingInstallation installation = current();
        if (installation == null) {
            String pattern = (properties.getPattern() != null) ? properties.getPattern() : defaultPattern();
            Level threshold = Level.toLevel(properties.getLevel().name(), Level.TRACE);
            LogShipper shipper = new LogShipper(settings, new StderrDiagnostics());
            installation = new CloudWatchLoggingInstallation(shipper, pattern, threshold);
            current = installation;
        }
        installation.attach(context);
        return installation;
    }

    /** Attaches the appender again if a Logback re-initialization removed it. */
    static synchronized void reattach() {
        CloudWatchLoggingInstallation installation = current();
        LoggerContext context = loggerContext();
        if (installation != null && context != null && !hasUserAppender(context)) {
            installation.attach(context);
        }
    }

    public LogShipper shipper() {
        return this.shipper;
    }

    /** Starts sending through the sender, unless already sending. */
    synchronized void startSending(PutLogEventsSender sender) {
        if (this.shipper.state() == ShipperState.BUFFERING) {
            this.shipper.start(sender);
        }
        else {
            sender.close();
        }
    }

    boolean isBuffering() {
        return this.shipper.state() == ShipperState.BUFFERING;
    }

    /** Delivers what is queued (within the shutdown timeout), then detaches the appender. Idempotent. */
    LogShipper.StopReport stop() {
        LogShipper.StopReport report = this.shipper.stop();
        synchronized (CloudWatchLoggingInstallation.class) {
            LoggerContext context = loggerContext();
            if (context != null) {
                Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
                Appender<ILoggingEvent> appender = root.getAppender(APPENDER_NAME);
                if (appender != null) {
                    root.detachAppender(appender);
                    appender.stop();
                }
            }
            if (current == this) {
                current = null;
            }
        }
        return report;
    }

    private void attach(LoggerContext context) {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> existing = root.getAppender(APPENDER_NAME);
        if (existing instanceof CloudWatchLogsAppender ours && ours.getShipper() == this.shipper && ours.isStarted()) {
            return;
        }
        if (existing != null) {
            root.detachAppender(existing);
            existing.stop();
        }
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern(this.pattern);
        layout.start();
        CloudWatchLogsAppender appender = CloudWatchLogsAppender.forShipper(this.shipper, layout);
        appender.setName(APPENDER_NAME);
        appender.setContext(context);
        ThresholdFilter filter = new ThresholdFilter();
        filter.setLevel(this.threshold.levelStr);
        filter.setContext(context);
        filter.start();
        appender.addFilter(filter);
        appender.start();
        root.addAppender(appender);
    }

    private static boolean hasUserAppender(LoggerContext context) {
        for (Logger logger : context.getLoggerList()) {
            Iterator<Appender<ILoggingEvent>> appenders = logger.iteratorForAppenders();
            while (appenders.hasNext()) {
                Appender<ILoggingEvent> appender = appenders.next();
                if (appender instanceof CloudWatchLogsAppender && !APPENDER_NAME.equals(appender.getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static @Nullable LoggerContext loggerContext() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        return (factory instanceof LoggerContext context) ? context : null;
    }

    /** Spring Boot's file pattern, without colours. */
    private static String defaultPattern() {
        return "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %5p " + ProcessHandle.current().pid()
                + " --- [%15.15t] %-40.40logger{39} : %m%n%ex";
    }

    /**
     * Before and outside Logback's own configuration there is no appender to report through, so the installed
     * shipper reports to stderr (rate-limited by the shipper).
     */
    private static final class StderrDiagnostics implements ShipperDiagnostics {

        @Override
        public void warn(String message, @Nullable Throwable cause) {
            System.err.println("WARN " + message);
        }

        @Override
        public void error(String message, @Nullable Throwable cause) {
            System.err.println("ERROR " + message);
        }

    }

}
