package io.github.cloudwatchlogging.autoconfigure;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;

import io.github.cloudwatchlogging.autoconfigure.LogSystemAttachment.Routing;
import io.github.cloudwatchlogging.log4j2.CloudWatchLogsLog4j2Appender;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.plugins.util.PluginType;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.logging.LogLevel;

/**
 * Attaches one {@link CloudWatchLogsLog4j2Appender} to the root logger of Log4j2's current configuration. A
 * reconfiguration replaces the configuration and so drops it; the installation attaches it again on the next
 * application event, as it does for Logback.
 */
final class Log4j2Attachment implements LogSystemAttachment {

    /** Spring Boot's Log4j2 layout of its structured formats, a Log4j2 plugin it registers under this name. */
    private static final String STRUCTURED_LAYOUT_PLUGIN = "StructuredLogLayout";

    /** An event's context data entry, read only where a route's names hold {mdc:KEY}. */
    private static final BiFunction<LogEvent, String, @Nullable String> CONTEXT_DATA = (event, key) -> {
        Object value = event.getContextData().getValue(key);
        return (value != null) ? value.toString() : null;
    };

    private final MessageFormat format;

    Log4j2Attachment(MessageFormat format) {
        this.format = format;
    }

    static boolean isActive() {
        return LogManager.getContext(false) instanceof LoggerContext;
    }

    @Override
    public boolean hasUserAppender() {
        for (Appender appender : context().getConfiguration().getAppenders().values()) {
            if (appender instanceof CloudWatchLogsLog4j2Appender
                    && !appender.getName().startsWith(CloudWatchLoggingInstallation.APPENDER_NAME)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void checkFormat() {
        createLayout(context().getConfiguration());
    }

    @Override
    public void attach(Routing routing) {
        LoggerContext context = context();
        Configuration configuration = context.getConfiguration();
        LoggerConfig root = configuration.getRootLogger();
        String name = CloudWatchLoggingInstallation.APPENDER_NAME;
        Appender existing = configuration.getAppenders().get(name);
        if (existing instanceof CloudWatchLogsLog4j2Appender ours && ours.getShipper() == routing.shipper()
                && ours.isStarted() && root.getAppenders().containsKey(name)) {
            return;
        }
        if (existing != null) {
            root.removeAppender(name);
            existing.stop();
            if (configuration instanceof AbstractConfiguration abstractConfiguration) {
                abstractConfiguration.removeAppender(name);
            }
        }
        CloudWatchLogsLog4j2Appender appender = new CloudWatchLogsLog4j2Appender(name, createLayout(configuration),
                routing.shipper(), (event) -> routing.targets((event.getLoggerName() != null) ? event.getLoggerName() : "",
                        logLevel(event.getLevel()), event, CONTEXT_DATA),
                this.format.isStructured());
        appender.start();
        configuration.addAppender(appender);
        root.addAppender(appender, null, null);
        context.updateLoggers();
    }

    @Override
    public void detach(Routing routing) {
        LoggerContext context = context();
        Configuration configuration = context.getConfiguration();
        String name = CloudWatchLoggingInstallation.APPENDER_NAME;
        Appender appender = configuration.getAppenders().get(name);
        if (!(appender instanceof CloudWatchLogsLog4j2Appender ours) || ours.getShipper() != routing.shipper()) {
            return;
        }
        configuration.getRootLogger().removeAppender(name);
        ours.stop();
        if (configuration instanceof AbstractConfiguration abstractConfiguration) {
            abstractConfiguration.removeAppender(name);
        }
        context.updateLoggers();
    }

    private static LoggerContext context() {
        return (LoggerContext) LogManager.getContext(false);
    }

    private Layout<? extends Serializable> createLayout(Configuration configuration) {
        if (!this.format.isStructured()) {
            return PatternLayout.newBuilder()
                .withConfiguration(configuration)
                .withPattern((this.format.pattern() != null) ? this.format.pattern() : defaultPattern())
                .withCharset(StandardCharsets.UTF_8)
                .build();
        }
        // Boot's layout is package-private, so it is built the way a log4j2.xml would build it: as a plugin.
        if (!(configuration instanceof AbstractConfiguration abstractConfiguration)) {
            throw new IllegalStateException("the Log4j2 configuration " + configuration.getClass().getName()
                    + " cannot build plugins");
        }
        PluginType<?> type = abstractConfiguration.getPluginManager().getPluginType(STRUCTURED_LAYOUT_PLUGIN);
        if (type == null) {
            throw new IllegalStateException("Spring Boot's " + STRUCTURED_LAYOUT_PLUGIN + " is not a known Log4j2 plugin");
        }
        Node node = new Node(null, STRUCTURED_LAYOUT_PLUGIN, type);
        node.getAttributes().put("format", this.format.structuredFormat());
        node.getAttributes().put("charset", StandardCharsets.UTF_8.name());
        abstractConfiguration.createConfiguration(node, null);
        if (!(node.getObject() instanceof Layout<?> layout)) {
            throw new IllegalStateException("Spring Boot's structured layout could not be built for '"
                    + this.format.structuredFormat() + "'");
        }
        @SuppressWarnings("unchecked")
        Layout<? extends Serializable> serializable = (Layout<? extends Serializable>) layout;
        return serializable;
    }

    /** Spring Boot's file pattern for Log4j2, without colours. */
    private static String defaultPattern() {
        return "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %5p " + ProcessHandle.current().pid()
                + " --- [%15.15t] %-40.40c{1.} : %m%n%xEx";
    }

    private static LogLevel logLevel(Level level) {
        if (level.isMoreSpecificThan(Level.FATAL)) {
            return LogLevel.FATAL;
        }
        if (level.isMoreSpecificThan(Level.ERROR)) {
            return LogLevel.ERROR;
        }
        if (level.isMoreSpecificThan(Level.WARN)) {
            return LogLevel.WARN;
        }
        if (level.isMoreSpecificThan(Level.INFO)) {
            return LogLevel.INFO;
        }
        return level.isMoreSpecificThan(Level.DEBUG) ? LogLevel.DEBUG : LogLevel.TRACE;
    }

}
