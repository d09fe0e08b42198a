package io.github.cloudwatchlogging.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.github.cloudwatchlogging.autoconfigure.LogSystemAttachment.Destination;
import io.github.cloudwatchlogging.shipping.LogShipper;
import io.github.cloudwatchlogging.shipping.PutLogEventsSender;
import io.github.cloudwatchlogging.shipping.ShipperDiagnostics;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import io.github.cloudwatchlogging.shipping.ShipperState;
import io.github.cloudwatchlogging.shipping.ShipperThread;
import org.jspecify.annotations.Nullable;

/**
 * The shippers of this class loader (the main destination's and one per route) and the appenders that feed them,
 * in Logback or Log4j2. The shippers, their queues and clients live here, outside the logging system, so that its
 * re-initializations (which stop and detach every appender) lose nothing: the appenders are simply attached again.
 */
public final class CloudWatchLoggingInstallation {

    static final String APPENDER_NAME = "CLOUDWATCH_LOGS";

    private static @Nullable CloudWatchLoggingInstallation current;

    private final LogShipper shipper;

    private final LogSystemAttachment attachment;

    /** The main destination first, then one per route. */
    private final List<Destination> destinations;

    private final Map<String, LogShipper> routes;

    private CloudWatchLoggingInstallation(LogShipper shipper, LogSystemAttachment attachment,
            List<Destination> destinations, Map<String, LogShipper> routes) {
        this.shipper = shipper;
        this.attachment = attachment;
        this.destinations = destinations;
        this.routes = routes;
    }

    /** The running installation, or null when none is. */
    public static synchronized @Nullable CloudWatchLoggingInstallation current() {
        CloudWatchLoggingInstallation installation = current;
        return (installation != null && installation.shipper.state() != ShipperState.STOPPED)
                ? installation : null;
    }

    /**
     * The running installation, or a new one, buffering, attached to the root logger. Returns null when neither
     * Logback nor Log4j2 is the logging system, or the user declared an appender of ours in their own configuration.
     * @throws InvalidCloudWatchLoggingPropertiesException when the format is one the logging system cannot build
     */
    static synchronized @Nullable CloudWatchLoggingInstallation install(ShipperSettings settings,
            Map<String, ShipperSettings> routeSettings, CloudWatchLoggingProperties properties) {
        MessageFormat format = new MessageFormat(properties.getFormat(), properties.getPattern());
        LogSystemAttachment attachment = LogSystemAttachment.detect(format);
        if (attachment == null || attachment.hasUserAppender()) {
            return null;
        }
        CloudWatchLoggingInstallation installation = current();
        if (installation == null) {
            checkFormat(format, attachment);
            LogShipper shipper = new LogShipper(settings, new StderrDiagnostics());
            List<Destination> destinations = new ArrayList<>();
            destinations.add(new Destination(APPENDER_NAME, shipper, properties.getLevel(), List.of()));
            Map<String, LogShipper> routes = new LinkedHashMap<>();
            routeSettings.forEach((name, routeShipperSettings) -> {
                CloudWatchLoggingProperties.Route route = properties.getRoutes().get(name);
                LogShipper routeShipper = new LogShipper(routeShipperSettings, new StderrDiagnostics());
                routes.put(name, routeShipper);
                destinations.add(new Destination(APPENDER_NAME + "_ROUTE_" + name, routeShipper, route.getLevel(),
                        List.copyOf(route.getLoggers())));
            });
            installation = new CloudWatchLoggingInstallation(shipper, attachment, List.copyOf(destinations),
                    routes);
            current = installation;
        }
        installation.attachment.attach(installation.destinations);
        return installation;
    }

    /** An unknown structured format stops the start-up with a report naming the property, as Boot's own would. */
    private static void checkFormat(MessageFormat format, LogSystemAttachment attachment) {
        try {
            attachment.checkFormat();
        }
        catch (RuntimeException ex) {
            throw new InvalidCloudWatchLoggingPropertiesException(List.of("logging.cloudwatch.format: '"
                    + format.format() + "' is not a format Spring Boot knows (" + ex.getMessage()
                    + "); use pattern, ecs, logstash, gelf, or the class name of a StructuredLogFormatter"));
        }
    }

    /** Attaches the appenders again if a re-initialization of the logging system removed them. */
    static synchronized void reattach() {
        CloudWatchLoggingInstallation installation = current();
        if (installation != null && !installation.attachment.hasUserAppender()) {
            installation.attachment.attach(installation.destinations);
        }
    }

    public LogShipper shipper() {
        return this.shipper;
    }

    /** The shipper of each route, by route name. */
    public Map<String, LogShipper> routeShippers() {
        return this.routes;
    }

    /** Starts every shipper still buffering, each through a sender made for its settings. */
    synchronized void startSending(Function<ShipperSettings, PutLogEventsSender> senders) {
        for (Destination destination : this.destinations) {
            if (destination.shipper().state() == ShipperState.BUFFERING) {
                destination.shipper().start(senders.apply(destination.shipper().settings()));
            }
        }
    }

    boolean isBuffering() {
        return this.shipper.state() == ShipperState.BUFFERING;
    }

    /**
     * Delivers what is queued (within the shutdown timeout), then detaches the appenders. Idempotent. Routes stop
     * beside the main shipper, so that shutdown takes one shutdown timeout, not one per route.
     */
    LogShipper.StopReport stop() {
        List<Thread> stoppingRoutes = new ArrayList<>();
        this.routes.forEach((name, route) -> {
            Thread thread = ShipperThread.named(route::stop, "cloudwatch-logging-stop-" + name);
            thread.start();
            stoppingRoutes.add(thread);
        });
        LogShipper.StopReport report = this.shipper.stop();
        for (Thread thread : stoppingRoutes) {
            try {
                thread.join();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (CloudWatchLoggingInstallation.class) {
            this.attachment.detach(this.destinations);
            if (current == this) {
                current = null;
            }
        }
        return report;
    }

    /**
     * Before and outside the logging system's own configuration there is no appender to report through, so the
     * installed shipper reports to stderr (rate-limited by the shipper).
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

        @Override
        public boolean writesToStderr() {
            return true;
        }

    }

}
