package io.github.cloudwatchlogging.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import io.github.cloudwatchlogging.shipping.Destination;
import io.github.cloudwatchlogging.shipping.DestinationTemplate;
import io.github.cloudwatchlogging.shipping.LogShipper;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

import org.springframework.boot.logging.LogLevel;
import org.springframework.util.ClassUtils;

/**
 * How the installation puts its one appender into the application's logging system, Logback or Log4j2, and takes
 * it out again. Each implementation is loaded only when its logging system is the one in use.
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

    /** Attaches the one appender, formatting each event once for all the destinations it takes; idempotent. */
    void attach(Routing routing);

    /** Detaches and stops the appender, if it is the one feeding this routing's shipper. */
    void detach(Routing routing);

    /**
     * Which destinations an event takes: the main one down to its level, and each route whose loggers and level
     * match; where a route's names hold placeholders evaluated per event, the destination of the event's values.
     */
    final class Routing {

        private final LogShipper shipper;

        private final List<Route> routes;

        private final boolean perEvent;

        private final Destination[] mainOnly;

        Routing(LogShipper shipper, List<Route> routes) {
            this.shipper = shipper;
            this.routes = List.copyOf(routes);
            this.perEvent = routes.stream().anyMatch((route) -> route.template().isPerEvent());
            this.mainOnly = new Destination[] { routes.get(0).template().defaultDestination() };
        }

        LogShipper shipper() {
            return this.shipper;
        }

        /**
         * The destinations the event takes, entered (see {@link Destination#enter}): the caller queues the event and
         * then exits them ({@link Destination#exitAll}). Null for none. The common answer, the main one alone, is
         * shared.
         * @param event the event, for its MDC
         * @param mdc reads an MDC (context data) entry of the event; null for a missing one
         */
        <E> Destination @Nullable [] targets(String loggerName, LogLevel level, E event,
                BiFunction<E, String, @Nullable String> mdc) {
            if (!this.perEvent) {
                return fixedTargets(loggerName, level);
            }
            List<Destination> targets = null;
            try {
                for (Route route : this.routes) {
                    if (!route.takes(loggerName, level)) {
                        continue;
                    }
                    targets = (targets != null) ? targets : new ArrayList<>(this.routes.size());
                    Destination destination = route.template().enter(event, mdc, level.name());
                    if (targets.contains(destination)) {
                        destination.exit(); // two routes whose values lead to one stream: the event goes there once
                    }
                    else {
                        targets.add(destination);
                    }
                }
            }
            catch (RuntimeException | Error ex) {
                // A value that cannot be read: whatever was entered is exited, or it could never close.
                if (targets != null) {
                    targets.forEach(Destination::exit);
                }
                throw ex;
            }
            return (targets != null) ? targets.toArray(new Destination[0]) : null;
        }

        private Destination @Nullable [] fixedTargets(String loggerName, LogLevel level) {
            boolean main = this.routes.get(0).takes(loggerName, level);
            List<Destination> more = null;
            for (int i = 1; i < this.routes.size(); i++) {
                Route route = this.routes.get(i);
                if (route.takes(loggerName, level)) {
                    more = (more != null) ? more : new ArrayList<>(2);
                    more.add(route.template().defaultDestination());
                }
            }
            if (more == null) {
                return main ? this.mainOnly : null;
            }
            if (main) {
                more.add(0, this.mainOnly[0]);
            }
            return more.toArray(new Destination[0]);
        }

    }

    /**
     * One route's destinations and the events that take them.
     *
     * @param template where they go
     * @param threshold the lowest level it takes
     * @param loggers the loggers it takes, with their children; every logger when empty
     */
    record Route(DestinationTemplate template, LogLevel threshold, List<String> loggers) {

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
