package io.github.cloudwatchlogging.autoconfigure;

import io.github.cloudwatchlogging.shipping.ShipperSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Attaches the appender right after Spring Boot has initialized logging, so that start-up lines, including those
 * of a start-up that fails, are shipped. Events are buffered (within the queue budget) until the client can be
 * built: by the auto-configuration once the context has its AWS beans, or here, from the properties, when the
 * start-up fails first. Attaches again after any later re-initialization, without a second appender.
 */
public class CloudWatchLoggingApplicationListener implements GenericApplicationListener {

    private @Nullable ConfigurableEnvironment environment;

    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }

    @Override
    public boolean supportsEventType(ResolvableType eventType) {
        Class<?> type = eventType.getRawClass();
        return type != null && (ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type)
                || ApplicationPreparedEvent.class.isAssignableFrom(type)
                || ContextRefreshedEvent.class.isAssignableFrom(type)
                || ApplicationReadyEvent.class.isAssignableFrom(type)
                || ApplicationFailedEvent.class.isAssignableFrom(type)
                || ContextClosedEvent.class.isAssignableFrom(type));
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (!LogSystemAttachment.isAnyPresent() || Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
            return; // a build step (process-aot) ships nothing and opens no connection
        }
        try {
            if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
                this.environment = prepared.getEnvironment();
                install(prepared.getEnvironment());
            }
            else if (event instanceof ApplicationFailedEvent failed) {
                startFromProperties(failed.getApplicationContext());
            }
            else if (event instanceof ContextClosedEvent closed) {
                releaseWithoutBean(closed.getApplicationContext());
            }
            else if (event instanceof ApplicationPreparedEvent prepared) {
                CloudWatchLoggingInstallation installation = CloudWatchLoggingInstallation.current();
                if (installation != null) {
                    installation.replaceUser(prepared.getApplicationContext().getEnvironment(),
                            prepared.getApplicationContext());
                }
                CloudWatchLoggingInstallation.reattach();
            }
            else {
                CloudWatchLoggingInstallation.reattach();
            }
        }
        catch (InvalidCloudWatchLoggingPropertiesException ex) {
            throw ex; // the user's to fix: Boot reports it through the failure analyzer
        }
        catch (RuntimeException ex) {
            // Shipping logs must never take the application down.
            System.err.println("cloudwatch-logging: logs are not shipped to CloudWatch Logs: " + ex);
        }
    }

    private void install(ConfigurableEnvironment environment) {
        CloudWatchLoggingProperties properties = CloudWatchLoggingSettings.bind(environment);
        if (!properties.isActive()) {
            return;
        }
        // Invalid values stop the start-up here, with a FailureAnalyzer message naming each property.
        ShipperSettings settings = CloudWatchLoggingSettings.create(properties, environment);
        MetricsAndAlarmSettings.checkLaterSettings(properties, environment);
        CloudWatchLoggingInstallation.install(settings,
                CloudWatchLoggingSettings.createRoutes(properties, environment, settings),
                MetricsAndAlarmSettings.metricsStream(properties, environment), properties, environment);
    }

    /**
     * A context that never got the starter's bean (a bootstrap context, one without the auto-configuration) gives
     * back the use this listener took for it; one with the bean gives it back when the bean is destroyed, later in
     * the close, so that the shutdown's own lines are still shipped.
     */
    private void releaseWithoutBean(ApplicationContext context) {
        CloudWatchLoggingInstallation installation = CloudWatchLoggingInstallation.current();
        if (installation != null && context.getBeanNamesForType(CloudWatchLogShipping.class, false, false).length == 0) {
            installation.release(context);
        }
    }

    /**
     * The start-up failed, perhaps before the context existed: ship what was buffered and the failure report
     * that follows, with a client built from the properties, and deliver it all when the JVM exits.
     */
    private void startFromProperties(@Nullable ApplicationContext context) {
        CloudWatchLoggingInstallation installation = CloudWatchLoggingInstallation.current();
        ConfigurableEnvironment env = this.environment;
        if (installation == null || env == null) {
            return;
        }
        if (installation.isBuffering()) {
            CloudWatchLoggingProperties properties = CloudWatchLoggingSettings.bind(env);
            installation.startSending(AwsConnectionSettings.fromEnvironment(properties, env)::lazySender);
        }
        Runtime.getRuntime()
            .addShutdownHook(new Thread(() -> {
                installation.release(env); // the failure came before the context existed
                if (context != null) {
                    installation.release(context);
                }
            }, "cloudwatch-logging-failed-start"));
    }

}
