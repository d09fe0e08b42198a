package io.github.cloudwatchlogging.autoconfigure;

import java.util.List;

import io.github.cloudwatchlogging.shipping.LogShipper;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

import org.springframework.boot.logging.LogLevel;
import org.springframework.util.ClassUtils;

/**
 * How the installation puts one appender per destination into the application's logging system, Logback or Log4j2,
 * and takes them out again. Each implementation is loaded only when its logging system is the one in use.
 */
interface LogSystemAttachment {

    boolean LOGBACK_PRESENT = ClassUtils.isPresent("ch.qos.logback.classic.LoggerContext",
            LogSystemAttachment.class.getClassLoader());

    boolean LOG4J2_PRESENT = ClassUtils.isPresent("org.apache.logging.log4j.core.LoggerContext",
            LogSystemAttachment.class.getClassLoader());

    /** Whether Logback or Log4j2 is on the class path at all; without either there is nothing to attach to. */
    static boolean isAnyPresent() {
        return LOGBACK_PRESENT || LOG4J2_PRESENT;
    }

    /** The attachment for the logging system in use, or null when it is neither Logback nor Log4j2. */
    static @Nullable LogSystemAttachment detect(MessageFormat format) {
        if (LOGBACK_PRESENT
                && LoggerFactory.getILoggerFactory().getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
            return new LogbackAttachment(format);
        }
        if (LOG4J2_PRESENT && Log4j2Attachment.isActive()) {
            return new Log4j2Attachment(format);
        }
        return null;
    }

    /** Whether the application's own logging configuration declares an appender of ours: then it ships, not us. */
    boolean hasUserAppender();

    /**
     * Builds the message format once, so that a format this logging system does not know stops the start-up.
     * @throws RuntimeException saying why the format cannot be built
     */
    void checkFormat();

    /** Attaches an appender for each destination where none of ours is; idempotent. */
    void attach(List<Destination> destinations);

    /** Detaches and stops the appenders of the destinations. */
    void detach(List<Destination> destinations);

    /**
     * One destination and the events that take it.
     *
     * @param appenderName the name of its appender
     * @param shipper its shipper
     * @param threshold the lowest level it takes
     * @param loggers the loggers it takes, with their children; every logger when empty
     */
    record Destination(String appenderName, LogShipper shipper, LogLevel threshold, List<String> loggers) {

        /** Whether an event of this logger at this level takes the destination. */
        boolean takes(String loggerName, LogLevel level) {
            if (level.ordinal() < this.threshold.ordinal()) {
                return false;
            }
            if (this.loggers.isEmpty()) {
                return true;
            }
            for (String logger : this.loggers) {
                if (loggerName.equals(logger) || (loggerName.startsWith(logger)
                        && loggerName.length() > logger.length() && loggerName.charAt(logger.length()) == '.')) {
                    return true;
                }
            }
            return false;
        }

    }

}
