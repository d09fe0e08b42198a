package io.github.cloudwatchlogging.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.github.cloudwatchlogging.autoconfigure.LogSystemAttachment.Route;
import io.github.cloudwatchlogging.autoconfigure.LogSystemAttachment.Routing;
import io.github.cloudwatchlogging.shipping.Destination;
import io.github.cloudwatchlogging.shipping.DestinationTemplate;
import io.github.cloudwatchlogging.shipping.LogShipper;
import io.github.cloudwatchlogging.shipping.PutLogEventsSender;
import io.github.cloudwatchlogging.shipping.ShipperDiagnostics;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import io.github.cloudwatchlogging.shipping.ShipperState;
import io.github.cloudwatchlogging.shipping.StopReport;
import org.jspecify.annotations.Nullable;

/**
 * The shipper of this class loader, with the main destination and one per route, and the appender that feeds it,
 * in Logback or Log4j2. The shipper, its queue and client live here, outside the logging system, so that its
 * re-initializations (which stop and detach every appender) lose nothing: the appender is simply attached again.
 * Every application context of the JVM that ships uses this one installation (Spring's test context cache, parent
 * and child contexts, a bootstrap context): it stops when the last of them closes.
 */
public final class CloudWatchLoggingInstallation {

    static final String APPENDER_NAME = "CLOUDWATCH_LOGS";

    private static @Nullable CloudWatchLoggingInstallation current;

    private final LogShipper shipper;

    private final LogSystemAttachment attachment;

    private final Routing routing;

    private final Map<String, DestinationTemplate> routes;

    /** The destination of the metrics' documents, alone; null while they are off. */
    private final Destination @Nullable [] metricsDestination;

    /**
     * The application contexts using it, by identity; guarded by the class. The early listener counts a starting
     * application by its environment, the only thing it has, and swaps in the context once it exists (two
     * applications may share one environment); the context's own bean counts the context.
     */
    private final Set<Object> users = Collections.newSetFromMap(new IdentityHashMap<>());

    private CloudWatchLoggingInstallation(LogShipper shipper, LogSystemAttachment attachment, Routing routing,
            Map<String, DestinationTemplate> routes, Destination @Nullable [] metricsDestination) {
        this.shipper = shipper;
        this.attachment = attachment;
        this.routing = routing;
        this.routes = routes;
        this.metricsDestination = metricsDestination;
    }

    /** The running installation, or null when none is. */
    public static synchronized @Nullable CloudWatchLoggingInstallation current() {
        CloudWatchLoggingInstallation installation = current;
        return (installation != null && installation.shipper.state() != ShipperState.STOPPED)
                ? installation : null;
    }

    /**
     * The running installation, or a new one, buffering, attached to the root logger, with {@code user} (an
     * application context, or the environment of one being started) counted as one of its users in the same step, so that no other context's
     * release can stop it in between. Returns null when neither Logback nor Log4j2 is the logging system, or the user
     * declared an appender of ours in their own configuration.
     * @throws InvalidCloudWatchLoggingPropertiesException when the format is one the logging system cannot build
     */
    static synchronized @Nullable CloudWatchLoggingInstallation install(ShipperSettings settings,
            Map<String, ShipperSettings> routeSettings, @Nullable String metricsStream,
            CloudWatchLoggingProperties properties, Object user) {
        MessageFormat format = new MessageFormat(properties.getFormat(), properties.getPattern());
        LogSystemAttachment attachment = LogSystemAttachment.detect(format);
        if (attachment == null || attachment.hasUserAppender()) {
            return null;
        }
        CloudWatchLoggingInstallation installation = current();
        if (installation == null) {
            checkFormat(format, attachment);
            LogShipper shipper = new LogShipper(settings, new StderrDiagnostics());
            List<Route> routes = new ArrayList<>();
            routes.add(new Route(shipper.mainTemplate(), properties.getLevel(), List.of()));
            Map<String, DestinationTemplate> templates = new LinkedHashMap<>();
            routeSettings.forEach((name, route) -> {
                CloudWatchLoggingProperties.Route configured = properties.getRoutes().get(name);
                DestinationTemplate template = shipper.addTemplate(name, route.logGroup(), route.logStream());
                templates.put(name, template);
                routes.add(new Route(template, configured.getLevel(), List.copyOf(configured.getLoggers())));
            });
            // The metrics' documents go to a stream of the main group (its default, if it is named per event).
            Destination[] metrics = (metricsStream != null) ? new Destination[] { shipper.addDestination(
                    MetricsAndAlarmSettings.METRICS_ROUTE, shipper.mainDestination().logGroup(), metricsStream) }
                    : null;
            if (metrics != null) {
                templates.put(MetricsAndAlarmSettings.METRICS_ROUTE, metrics[0].template()); // its figures, metered
            }
            installation = new CloudWatchLoggingInstallation(shipper, attachment, new Routing(shipper, routes),
                    Collections.unmodifiableMap(templates), metrics);
            current = installation;
        }
        installation.attachment.attach(installation.routing);
        installation.users.add(user);
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

    /** Attaches the appender again if a re-initialization of the logging system removed it. */
    static synchronized void reattach() {
        CloudWatchLoggingInstallation installation = current();
        if (installation != null && !installation.attachment.hasUserAppender()) {
            installation.attachment.attach(installation.routing);
        }
    }

    public LogShipper shipper() {
        return this.shipper;
    }

    /** The destination of the metrics' documents, alone in an array to offer with; null while they are off. */
    Destination @Nullable [] metricsDestination() {
        return this.metricsDestination;
    }

    /** The destinations of each route, by route name. */
    public Map<String, DestinationTemplate> routes() {
        return this.routes;
    }

    /** The application started as {@code environment} now has its context: it counts as that from now on. */
    void replaceUser(Object environment, Object context) {
        synchronized (CloudWatchLoggingInstallation.class) {
            if (this.users.remove(environment)) {
                this.users.add(context);
            }
        }
    }

    /**
     * An application context closed: stops the shipper if it was the last one using it. It stops being the current
     * installation at once, so that a context starting meanwhile installs a new one rather than join this one.
     * Releasing a user twice, or one it never had, changes nothing.
     */
    void release(Object user) {
        synchronized (CloudWatchLoggingInstallation.class) {
            if (!this.users.remove(user) || !this.users.isEmpty()) {
                return;
            }
            if (current == this) {
                current = null;
            }
        }
        stop();
    }

    /** Starts the shipper if it is still buffering, through a sender made for its settings. */
    synchronized void startSending(Function<ShipperSettings, PutLogEventsSender> senders) {
        if (this.shipper.state() == ShipperState.BUFFERING) {
            this.shipper.start(senders.apply(this.shipper.settings()));
        }
    }

    boolean isBuffering() {
        return this.shipper.state() == ShipperState.BUFFERING;
    }

    /** Delivers what is queued for every destination (within the shutdown timeout), then detaches. Idempotent. */
    StopReport stop() {
        StopReport report = this.shipper.stop();
        synchronized (CloudWatchLoggingInstallation.class) {
            this.attachment.detach(this.routing);
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
