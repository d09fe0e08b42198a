package io.github.cloudwatchlogging.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.cloudwatchlogging.shipping.LogShipper;
import io.github.cloudwatchlogging.shipping.RequestListener;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import io.github.cloudwatchlogging.shipping.ShipperStatistics;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;

/**
 * The shipper as the application context sees it: installed (or found installed by the early listener), connected
 * to the context's AWS settings once every bean exists, and drained when the context closes, before the
 * application's AWS clients are closed. Its statistics feed the actuator endpoint.
 */
public class CloudWatchLogShipping implements SmartInitializingSingleton, DisposableBean {

    private final CloudWatchLoggingProperties properties;

    private final Environment environment;

    private final @Nullable AwsCredentialsProvider credentials;

    private final @Nullable AwsRegionProvider region;

    private final List<CloudWatchLogsClientCustomizer> customizers;

    private volatile @Nullable CloudWatchLoggingInstallation installation;

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
    public void afterSingletonsInstantiated() {
        ShipperSettings settings = CloudWatchLoggingSettings.create(this.properties, this.environment);
        CloudWatchLoggingInstallation current = CloudWatchLoggingInstallation.install(settings,
                CloudWatchLoggingSettings.createRoutes(this.properties, this.environment, settings), this.properties);
        if (current == null) {
            return;
        }
        this.requestListeners.forEach((routed) -> routed.addTo(current));
        this.installation = current;
        AwsConnectionSettings connection = AwsConnectionSettings.of(this.properties, this.environment,
                this.credentials, this.region);
        current.startSending((shipperSettings) -> connection.lazySender(shipperSettings, this.customizers));
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

    /** The statistics of one route, or null when it or the installation does not exist. */
    public @Nullable ShipperStatistics statistics(String route) {
        CloudWatchLoggingInstallation current = this.installation;
        LogShipper shipper = (current != null) ? current.routeShippers().get(route) : null;
        return (shipper != null) ? shipper.statistics() : null;
    }

    public @Nullable ShipperStatistics statistics() {
        CloudWatchLoggingInstallation current = this.installation;
        return (current != null) ? current.shipper().statistics() : null;
    }

    /** The statistics of each route, by route name; empty when there are none or nothing is installed. */
    public Map<String, ShipperStatistics> routeStatistics() {
        CloudWatchLoggingInstallation current = this.installation;
        Map<String, ShipperStatistics> statistics = new LinkedHashMap<>();
        if (current != null) {
            current.routeShippers().forEach((name, shipper) -> statistics.put(name, shipper.statistics()));
        }
        return statistics;
    }

    /**
     * Flushes the main destination and every route, all within the one timeout, and sums up what they flushed.
     */
    public LogShipper.@Nullable FlushReport flush(Duration timeout) {
        CloudWatchLoggingInstallation current = this.installation;
        if (current == null) {
            return null;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        LogShipper.FlushReport total = current.shipper().flush(timeout);
        for (LogShipper route : current.routeShippers().values()) {
            LogShipper.FlushReport report = route.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            total = new LogShipper.FlushReport(total.completed() && report.completed(), total.sent() + report.sent(),
                    total.rejected() + report.rejected(), total.remaining() + report.remaining());
        }
        return total;
    }

    @Override
    public void destroy() {
        CloudWatchLoggingInstallation current = this.installation;
        if (current != null) {
            current.stop();
            this.requestListeners.forEach((routed) -> routed.removeFrom(current));
        }
    }

    private record RoutedListener(@Nullable String route, RequestListener listener) {

        void addTo(CloudWatchLoggingInstallation installation) {
            LogShipper shipper = shipper(installation);
            if (shipper != null) {
                shipper.addRequestListener(this.listener);
            }
        }

        void removeFrom(CloudWatchLoggingInstallation installation) {
            LogShipper shipper = shipper(installation);
            if (shipper != null) {
                shipper.removeRequestListener(this.listener);
            }
        }

        private @Nullable LogShipper shipper(CloudWatchLoggingInstallation installation) {
            return (this.route != null) ? installation.routeShippers().get(this.route) : installation.shipper();
        }

    }

}
