package io.github.cloudwatchlogging.shipping;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.github.cloudwatchlogging.spool.SpoolSettings;
import org.jspecify.annotations.Nullable;

/** Collects the settings; {@link #build()} checks them all and names every problem at once. */
public final class ShipperSettingsBuilder {

    String logGroup;

    String logStream;

    boolean createLogGroup = true;

    boolean createLogStream = true;

    @Nullable Integer retentionDays;

    Map<String, String> tags = Map.of();

    List<String> secrets = List.of();

    Duration batchDelay = Duration.ofSeconds(1);

    int maxBatchEvents = ShipperSettings.MAX_BATCH_EVENTS;

    int maxBatchBytes = ShipperSettings.MAX_BATCH_BYTES;

    int maxEventBytes = ShipperSettings.MAX_EVENT_BYTES;

    long queueCapacityBytes = 32L * 1024 * 1024;

    OverflowPolicy overflowPolicy = OverflowPolicy.DROP_OLDEST;

    Duration blockTimeout = Duration.ofMillis(100);

    @Nullable SpoolSettings spool;

    @Nullable String kmsKeyId;

    @Nullable LogGroupClass logGroupClass;

    @Nullable Subscription subscription;

    int maxInFlight = 4;

    int maxDestinations = 100;

    Duration destinationIdleTimeout = Duration.ofMinutes(5);

    Duration requestTimeout = Duration.ofSeconds(10);

    Duration shutdownTimeout = Duration.ofSeconds(10);

    Duration retryBaseDelay = Duration.ofMillis(100);

    Duration retryMaxDelay = Duration.ofSeconds(5);

    ShipperSettingsBuilder(String logGroup, String logStream) {
        this.logGroup = logGroup;
        this.logStream = logStream;
    }

    public ShipperSettingsBuilder logGroup(String logGroup) {
        this.logGroup = logGroup;
        return this;
    }

    public ShipperSettingsBuilder logStream(String logStream) {
        this.logStream = logStream;
        return this;
    }

    public ShipperSettingsBuilder createLogGroup(boolean createLogGroup) {
        this.createLogGroup = createLogGroup;
        return this;
    }

    public ShipperSettingsBuilder createLogStream(boolean createLogStream) {
        this.createLogStream = createLogStream;
        return this;
    }

    public ShipperSettingsBuilder retentionDays(@Nullable Integer retentionDays) {
        this.retentionDays = retentionDays;
        return this;
    }

    public ShipperSettingsBuilder tags(Map<String, String> tags) {
        this.tags = tags;
        return this;
    }

    /** Values never to show in a message the shipper keeps or prints; blank ones are ignored. */
    public ShipperSettingsBuilder secrets(Collection<String> secrets) {
        this.secrets = secrets.stream().filter((secret) -> secret != null && !secret.isBlank())
            .map(String::trim)
            .distinct()
            .toList();
        return this;
    }

    public ShipperSettingsBuilder batchDelay(Duration batchDelay) {
        this.batchDelay = batchDelay;
        return this;
    }

    public ShipperSettingsBuilder maxBatchEvents(int maxBatchEvents) {
        this.maxBatchEvents = maxBatchEvents;
        return this;
    }

    public ShipperSettingsBuilder maxBatchBytes(int maxBatchBytes) {
        this.maxBatchBytes = maxBatchBytes;
        return this;
    }

    public ShipperSettingsBuilder maxEventBytes(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
        return this;
    }

    public ShipperSettingsBuilder queueCapacityBytes(long queueCapacityBytes) {
        this.queueCapacityBytes = queueCapacityBytes;
        return this;
    }

    public ShipperSettingsBuilder overflowPolicy(OverflowPolicy overflowPolicy) {
        this.overflowPolicy = overflowPolicy;
        return this;
    }

    public ShipperSettingsBuilder blockTimeout(Duration blockTimeout) {
        this.blockTimeout = blockTimeout;
        return this;
    }

    public ShipperSettingsBuilder maxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
        return this;
    }

    public ShipperSettingsBuilder requestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        return this;
    }

    public ShipperSettingsBuilder maxDestinations(int maxDestinations) {
        this.maxDestinations = maxDestinations;
        return this;
    }

    public ShipperSettingsBuilder destinationIdleTimeout(Duration destinationIdleTimeout) {
        this.destinationIdleTimeout = destinationIdleTimeout;
        return this;
    }

    public ShipperSettingsBuilder shutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
        return this;
    }

    public ShipperSettingsBuilder retryBaseDelay(Duration retryBaseDelay) {
        this.retryBaseDelay = retryBaseDelay;
        return this;
    }

    /** Writes every accepted event to a crash-safe spool as well; null (the default) for memory only. */
    public ShipperSettingsBuilder spool(@Nullable SpoolSettings spool) {
        this.spool = spool;
        return this;
    }

    /** The KMS key (ARN) the groups it creates are encrypted with. */
    public ShipperSettingsBuilder kmsKeyId(@Nullable String kmsKeyId) {
        this.kmsKeyId = (kmsKeyId != null && !kmsKeyId.isBlank()) ? kmsKeyId.trim() : null;
        return this;
    }

    public ShipperSettingsBuilder logGroupClass(@Nullable LogGroupClass logGroupClass) {
        this.logGroupClass = logGroupClass;
        return this;
    }

    /** A subscription filter for each group it creates. */
    public ShipperSettingsBuilder subscription(@Nullable Subscription subscription) {
        this.subscription = subscription;
        return this;
    }

    public ShipperSettingsBuilder retryMaxDelay(Duration retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
        return this;
    }

    /**
     * Checks every setting and returns the immutable settings.
     * @throws InvalidShipperSettingsException naming every invalid value and what to set instead
     */
    public ShipperSettings build() {
        ShipperSettings settings = new ShipperSettings(this);
        List<InvalidShipperSettingsException.Problem> problems = SettingsCheck.problems(settings);
        if (!problems.isEmpty()) {
            throw new InvalidShipperSettingsException(problems);
        }
        return settings;
    }

}
