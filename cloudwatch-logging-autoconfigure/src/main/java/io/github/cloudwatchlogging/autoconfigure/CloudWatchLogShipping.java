package io.github.cloudwatchlogging.autoconfigure;

import java.time.Duration;

import io.github.cloudwatchlogging.shipping.LogShipper;
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

    private volatile @Nullable CloudWatchLoggingInstallation installation;

    public CloudWatchLogShipping(CloudWatchLoggingProperties properties, Environment environment,
            @Nullable AwsCredentialsProvider credentials, @Nullable AwsRegionProvider region) {
        this.properties = properties;
        this.environment = environment;
        this.credentials = credentials;
        this.region = region;
    }

    @Override
    public void afterSingletonsInstantiated() {
        CloudWatchLoggingInstallation current = CloudWatchLoggingInstallation
            .install(CloudWatchLoggingSettings.create(this.properties, this.environment), this.properties);
        if (current == null) {
            return;
        }
        this.installation = current;
        AwsConnectionSettings connection = AwsConnectionSettings.of(this.properties, this.environment,
                this.credentials, this.region);
        current.startSending(connection.lazySender(current.shipper().settings()));
    }

    /** Whether this context ships through the installed appender (false when the user declared their own). */
    public boolean isInstalled() {
        return this.installation != null;
    }

    public @Nullable ShipperStatistics statistics() {
        CloudWatchLoggingInstallation current = this.installation;
        return (current != null) ? current.shipper().statistics() : null;
    }

    public LogShipper.@Nullable FlushReport flush(Duration timeout) {
        CloudWatchLoggingInstallation current = this.installation;
        return (current != null) ? current.shipper().flush(timeout) : null;
    }

    @Override
    public void destroy() {
        CloudWatchLoggingInstallation current = this.installation;
        if (current != null) {
            current.stop();
        }
    }

}
