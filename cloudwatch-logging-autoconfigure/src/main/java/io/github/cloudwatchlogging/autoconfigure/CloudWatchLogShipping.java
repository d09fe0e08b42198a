package io.github.cloudwatchlogging.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.cloudwatchlogging.alarms.ErrorAlarm;
import io.github.cloudwatchlogging.alarms.ErrorAlarmSetup;
import io.github.cloudwatchlogging.shipping.Destination;
import io.github.cloudwatchlogging.shipping.DestinationTemplate;
import io.github.cloudwatchlogging.shipping.FlushReport;
import io.github.cloudwatchlogging.shipping.LogShipper;
import io.github.cloudwatchlogging.shipping.RequestListener;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import io.github.cloudwatchlogging.shipping.ShipperStatistics;
import io.github.cloudwatchlogging.spool.SpoolStatistics;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.core.env.Environment;

/**
 * The shipper as the application context sees it: installed (or found installed by the early listener), connected
 * to the context's AWS settings once every bean exists, and drained when the context closes, before the
 * application's AWS clients are closed. Its statistics feed the actuator endpoint.
 */
public class CloudWatchLogShipping implements SmartInitializingSingleton, DisposableBean, ApplicationContextAware {

    private final CloudWatchLoggingProperties properties;

    private final Environment environment;

    private final @Nullable AwsCredentialsProvider credentials;

    private final @Nullable AwsRegionProvider region;

    private final List<CloudWatchLogsClientCustomizer> customizers;

    private volatile @Nullable CloudWatchLoggingInstallation installation;

    private volatile @Nullable InfrastructureDocuments infrastructure;

    private volatile @Nullable ErrorAlarmSetup alarmSetup;

    /** Set when this context closes: its alarm setup, using its beans, gives up. */
    private volatile boolean destroyed;

    private final AtomicBoolean metricsWarned = new AtomicBoolean();

    /** What this context counts as among the installation's users: the context itself. */
    private @Nullable Object user;

    private final List<RoutedListener> requestListeners = new CopyOnWriteArrayList<>();

    public CloudWatchLogShipping(CloudWatchLoggingProperties properties, Environment environment,
            @Nullable AwsCredentialsProvider credentials, @Nullable AwsRegionProvider region) {
        this(properties, environment, credentials, region, List.of());
    }

    public CloudWatchLogShipping(CloudWatchLoggingProperties properties, Environment environment,
            @Nullable AwsCredentialsProvider credentials, @Nullable AwsRegionProvider region,
            List<CloudWatchLogsClientCustomizer> customizers) {
        this.properties = properties;
        this.environment = environment;
        this.credentials = credentials;
        this.region = region;
        this.customizers = List.copyOf(customizers);
    }

    @Override
    public void setApplicationContext(ApplicationContext context) {
        this.user = context;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ShipperSettings settings = CloudWatchLoggingSettings.create(this.properties, this.environment);
        Map<String, ShipperSettings> routes = CloudWatchLoggingSettings.createRoutes(this.properties,
                this.environment, settings);
        CloudWatchLoggingInstallation current = CloudWatchLoggingInstallation.install(settings, routes,
                MetricsAndAlarmSettings.metricsStream(this.properties, this.environment), this.properties, user());
        if (current == null) {
            return;
        }
        this.requestListeners.forEach((routed) -> routed.addTo(current));
        this.installation = current;
        AwsConnectionSettings connection = AwsConnectionSettings.of(this.properties, this.environment,
                this.credentials, this.region);
        List<InfrastructureDocuments.Target> targets = new ArrayList<>();
        targets.add(new InfrastructureDocuments.Target(settings.logGroup(), this.properties.getLogStream()));
        if (this.properties.getMetrics().isEnabled()) {
            targets.add(new InfrastructureDocuments.Target(current.shipper().mainDestination().logGroup(),
                    this.properties.getMetrics().getLogStream()));
        }
        routes.forEach((name, route) -> {
            String stream = this.properties.getRoutes().get(name).getLogStream();
            targets.add(new InfrastructureDocuments.Target(route.logGroup(),
                    (stream != null) ? stream : this.properties.getLogStream()));
        });
        ErrorAlarm alarm = MetricsAndAlarmSettings.errorAlarm(this.properties,
                current.shipper().mainDestination().logGroup(),
                (this.properties.getAlarms().getErrors().getThreshold() != null) ? metricsNamespace() : "");
        this.infrastructure = new InfrastructureDocuments(settings, targets, connection.region(), alarm);
        current.startSending((shipperSettings) -> connection.lazySender(shipperSettings, this.customizers));
        if (alarm != null) {
            this.alarmSetup = ErrorAlarmLauncher.start(alarm, current.shipper(), settings, connection, this.properties,
                    this.environment, this.customizers, () -> this.destroyed);
        }
    }

    /** Where the alarm on errors is (logging.cloudwatch.alarms.errors.*): PENDING, CREATED or FAILED; null when off. */
    public @Nullable String errorAlarmState() {
        ErrorAlarmSetup setup = this.alarmSetup;
        return (setup != null) ? setup.state() : null;
    }

    /**
     * The IAM policy, CloudFormation and Terraform this configuration needs, written from the settings the shipper
     * started with; null before the start, and when this context does not ship.
     */
    public @Nullable InfrastructureDocuments infrastructure() {
        return this.infrastructure;
    }

    /**
     * The CloudWatch namespace of the metrics (logging.cloudwatch.metrics.namespace), its placeholders expanded.
     * @throws InvalidCloudWatchLoggingPropertiesException when CloudWatch would refuse it
     */
    public String metricsNamespace() {
        return MetricsAndAlarmSettings.metricsNamespace(this.properties, this.environment);
    }

    /**
     * Queues one document of the metrics (logging.cloudwatch.metrics.*) for their stream; false when it was not
     * queued (counted in that destination's figures), or when metrics are off or nothing is installed.
     */
    public boolean offerMetrics(long timestamp, byte[] document) {
        CloudWatchLoggingInstallation current = this.installation;
        Destination[] metrics = (current != null) ? current.metricsDestination() : null;
        if (metrics == null) {
            if (this.metricsWarned.compareAndSet(false, true)) {
                System.err.println("cloudwatch-logging: the metrics' documents are not shipped: "
                        + ((current == null) ? "this context does not ship (its logging configuration declares its "
                                + "own appender, or it has not started yet)"
                                : "the shipping was set up by another application context of this JVM with "
                                        + "logging.cloudwatch.metrics.enabled=false")
                        + "; they are counted as refused");
            }
            return false;
        }
        return current.shipper().offer(timestamp, document, metrics);
    }

    /** Whether this context ships through the installed appender (false when the user declared their own). */
    public boolean isInstalled() {
        return this.installation != null;
    }

    /**
     * Adds a listener told of every PutLogEvents call of one route (null: of the main destination), now or once the
     * shipper is installed; for metrics, which are bound before the shipper is connected to the context.
     */
    public void addRequestListener(@Nullable String route, RequestListener listener) {
        RoutedListener routed = new RoutedListener(route, listener);
        this.requestListeners.add(routed);
        CloudWatchLoggingInstallation current = this.installation;
        if (current != null) {
            routed.addTo(current);
        }
    }

    /**
     * The statistics of one route (added up over the destinations of its events' values), or null when it or the
     * installation does not exist.
     */
    public @Nullable ShipperStatistics statistics(String route) {
        CloudWatchLoggingInstallation current = this.installation;
        DestinationTemplate template = (current != null) ? current.routes().get(route) : null;
        return (template != null) ? current.shipper().statistics(template) : null;
    }

    public @Nullable ShipperStatistics statistics() {
        CloudWatchLoggingInstallation current = this.installation;
        return (current != null) ? current.shipper().statistics() : null;
    }

    /**
     * The statistics of each route, by route name, and of each destination the spool recovered events for that the
     * configuration does not name ({@code recovered-N}); empty when there are none or nothing is installed.
     */
    public Map<String, ShipperStatistics> routeStatistics() {
        CloudWatchLoggingInstallation current = this.installation;
        Map<String, ShipperStatistics> statistics = new LinkedHashMap<>();
        if (current != null) {
            LogShipper shipper = current.shipper();
            for (DestinationTemplate template : shipper.templates()) {
                if (template != shipper.mainTemplate()) {
                    statistics.put(template.name(), shipper.statistics(template));
                }
            }
        }
        return statistics;
    }

    /** How many destinations are open for events' values; 0 when nothing is installed. */
    public int destinationsOpenForEvents() {
        CloudWatchLoggingInstallation current = this.installation;
        return (current != null) ? current.shipper().destinationsOpenForEvents() : 0;
    }

    /**
     * Events of a route ({@code main} for the main destination) sent to its default destination because
     * max-destinations were open; 0 when it or the installation does not exist.
     */
    public long overflowed(String route) {
        CloudWatchLoggingInstallation current = this.installation;
        if (current == null) {
            return 0;
        }
        DestinationTemplate template = Destination.MAIN.equals(route) ? current.shipper().mainTemplate()
                : current.routes().get(route);
        return (template != null) ? template.overflowed() : 0;
    }

    /**
     * The destinations open for events' values (placeholders such as {mdc:KEY} in a group or stream), with their
     * figures; null when nothing is installed or no name holds such a placeholder.
     */
    public @Nullable OpenDestinations openDestinations() {
        CloudWatchLoggingInstallation current = this.installation;
        if (current == null) {
            return null;
        }
        LogShipper shipper = current.shipper();
        Map<String, Long> overflowed = new LinkedHashMap<>();
        for (DestinationTemplate template : shipper.templates()) {
            if (template.isPerEvent()) {
                overflowed.put(template.name(), template.overflowed());
            }
        }
        if (overflowed.isEmpty()) {
            return null;
        }
        List<OpenDestinations.Open> open = new ArrayList<>();
        for (Destination destination : shipper.destinations()) {
            DestinationTemplate template = destination.template();
            if (template != null && template.isPerEvent() && destination != template.defaultDestination()) {
                open.add(new OpenDestinations.Open(template.name(), shipper.statistics(destination)));
            }
        }
        return new OpenDestinations(open.size(), shipper.settings().maxDestinations(), overflowed, open);
    }

    /** What the spool is doing; null when it is off or nothing is installed. */
    public @Nullable SpoolStatistics spoolStatistics() {
        CloudWatchLoggingInstallation current = this.installation;
        return (current != null) ? current.shipper().spoolStatistics() : null;
    }

    /** Flushes every destination, within the one timeout. */
    public @Nullable FlushReport flush(Duration timeout) {
        CloudWatchLoggingInstallation current = this.installation;
        return (current != null) ? current.shipper().flush(timeout) : null;
    }

    private Object user() {
        Object context = this.user;
        return (context != null) ? context : this;
    }

    @Override
    public void destroy() {
        this.destroyed = true;
        CloudWatchLoggingInstallation current = this.installation;
        if (current != null) {
            this.requestListeners.forEach((routed) -> routed.removeFrom(current));
            current.release(user());
        }
    }

    private record RoutedListener(@Nullable String route, RequestListener listener) {

        void addTo(CloudWatchLoggingInstallation installation) {
            DestinationTemplate destination = destination(installation);
            if (destination != null) {
                destination.addRequestListener(this.listener);
            }
        }

        void removeFrom(CloudWatchLoggingInstallation installation) {
            DestinationTemplate destination = destination(installation);
            if (destination != null) {
                destination.removeRequestListener(this.listener);
            }
        }

        private @Nullable DestinationTemplate destination(CloudWatchLoggingInstallation installation) {
            return (this.route != null) ? installation.routes().get(this.route)
                    : installation.shipper().mainTemplate();
        }

    }

}
