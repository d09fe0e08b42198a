package io.github.cloudwatchlogging.shipping;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.cloudwatchlogging.spool.SpoolSettings;
import org.jspecify.annotations.Nullable;

/**
 * Everything the shipper needs to know, validated once and immutable afterwards. Adapters (the Logback appender,
 * the Spring Boot properties) turn their mutable configuration into one of these.
 */
public final class ShipperSettings {

    /** PutLogEvents: at most this many events in one call. */
    public static final int MAX_BATCH_EVENTS = 10_000;

    /** PutLogEvents: at most this many bytes (UTF-8 message bytes plus 26 per event) in one call. */
    public static final int MAX_BATCH_BYTES = 1_048_576;

    /**
     * The largest message we send. The service takes 1 MB events, but it is not documented whether the 26 bytes of
     * overhead count inside that, so we stay 1 KiB below a full batch.
     */
    public static final int MAX_EVENT_BYTES = MAX_BATCH_BYTES - 1024;

    /** PutLogEvents: the events of one call may not span more than 24 hours. */
    public static final Duration MAX_BATCH_SPAN = Duration.ofHours(24);

    /** The retention values PutRetentionPolicy accepts, in days. */
    public static final Set<Integer> ALLOWED_RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365,
            400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    private final String logGroup;

    private final String logStream;

    private final boolean createLogGroup;

    private final boolean createLogStream;

    private final @Nullable Integer retentionDays;

    private final Map<String, String> tags;

    private final Duration batchDelay;

    private final int maxBatchEvents;

    private final int maxBatchBytes;

    private final int maxEventBytes;

    private final long queueCapacityBytes;

    private final OverflowPolicy overflowPolicy;

    private final Duration blockTimeout;

    private final int maxInFlight;

    private final Duration requestTimeout;

    private final Duration shutdownTimeout;

    private final Duration retryBaseDelay;

    private final Duration retryMaxDelay;

    private final List<String> secrets;

    private final @Nullable SpoolSettings spool;

    private final @Nullable String kmsKeyId;

    private final @Nullable LogGroupClass logGroupClass;

    private final @Nullable Subscription subscription;

    private final int maxDestinations;

    private final Duration destinationIdleTimeout;

    ShipperSettings(ShipperSettingsBuilder builder) {
        this.logGroup = builder.logGroup;
        this.logStream = builder.logStream;
        this.createLogGroup = builder.createLogGroup;
        this.createLogStream = builder.createLogStream;
        this.retentionDays = builder.retentionDays;
        this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(builder.tags));
        this.batchDelay = builder.batchDelay;
        this.maxBatchEvents = builder.maxBatchEvents;
        this.maxBatchBytes = builder.maxBatchBytes;
        this.maxEventBytes = builder.maxEventBytes;
        this.queueCapacityBytes = builder.queueCapacityBytes;
        this.overflowPolicy = builder.overflowPolicy;
        this.blockTimeout = builder.blockTimeout;
        this.maxInFlight = builder.maxInFlight;
        this.requestTimeout = builder.requestTimeout;
        this.shutdownTimeout = builder.shutdownTimeout;
        this.retryBaseDelay = builder.retryBaseDelay;
        this.retryMaxDelay = builder.retryMaxDelay;
        this.secrets = builder.secrets;
        this.spool = builder.spool;
        this.kmsKeyId = builder.kmsKeyId;
        this.logGroupClass = builder.logGroupClass;
        this.subscription = builder.subscription;
        this.maxDestinations = builder.maxDestinations;
        this.destinationIdleTimeout = builder.destinationIdleTimeout;
    }

    public static ShipperSettingsBuilder builder(String logGroup, String logStream) {
        return new ShipperSettingsBuilder(logGroup, logStream);
    }

    /** A builder holding these settings, to derive others from them. */
    public ShipperSettingsBuilder toBuilder() {
        return new ShipperSettingsBuilder(this.logGroup, this.logStream).createLogGroup(this.createLogGroup)
            .createLogStream(this.createLogStream)
            .retentionDays(this.retentionDays)
            .tags(this.tags)
            .secrets(this.secrets)
            .batchDelay(this.batchDelay)
            .maxBatchEvents(this.maxBatchEvents)
            .maxBatchBytes(this.maxBatchBytes)
            .maxEventBytes(this.maxEventBytes)
            .queueCapacityBytes(this.queueCapacityBytes)
            .overflowPolicy(this.overflowPolicy)
            .blockTimeout(this.blockTimeout)
            .maxInFlight(this.maxInFlight)
            .requestTimeout(this.requestTimeout)
            .shutdownTimeout(this.shutdownTimeout)
            .retryBaseDelay(this.retryBaseDelay)
            .retryMaxDelay(this.retryMaxDelay)
            .spool(this.spool)
            .kmsKeyId(this.kmsKeyId)
            .logGroupClass(this.logGroupClass)
            .subscription(this.subscription)
            .maxDestinations(this.maxDestinations)
            .destinationIdleTimeout(this.destinationIdleTimeout);
    }

    /**
     * How many destinations opened for events' values (see {@link DestinationTemplate}) may be open at once, over
     * all templates; each template's default destination is open besides.
     */
    public int maxDestinations() {
        return this.maxDestinations;
    }

    /** How long a destination opened for events' values stays open without an event. */
    public Duration destinationIdleTimeout() {
        return this.destinationIdleTimeout;
    }

    /** The KMS key the groups it creates are encrypted with; null for CloudWatch Logs' own encryption. */
    public @Nullable String kmsKeyId() {
        return this.kmsKeyId;
    }

    /** The class of the groups it creates; null for the service's default (STANDARD). */
    public @Nullable LogGroupClass logGroupClass() {
        return this.logGroupClass;
    }

    /** The subscription filter put on each group it creates; null for none. */
    public @Nullable Subscription subscription() {
        return this.subscription;
    }

    /** The crash-safe spool, or null when events live in memory only. */
    public @Nullable SpoolSettings spool() {
        return this.spool;
    }

    /** Why the service would refuse this log group name, or null when it would accept it. */
    public static @Nullable String logGroupNameProblem(@Nullable String name) {
        return SettingsCheck.logGroupNameProblem(name);
    }

    /** Why the service would refuse this log stream name, or null when it would accept it. */
    public static @Nullable String logStreamNameProblem(@Nullable String name) {
        return SettingsCheck.logStreamNameProblem(name);
    }

    public String logGroup() {
        return this.logGroup;
    }

    public String logStream() {
        return this.logStream;
    }

    public boolean createLogGroup() {
        return this.createLogGroup;
    }

    public boolean createLogStream() {
        return this.createLogStream;
    }

    public @Nullable Integer retentionDays() {
        return this.retentionDays;
    }

    public Map<String, String> tags() {
        return this.tags;
    }

    public Duration batchDelay() {
        return this.batchDelay;
    }

    public int maxBatchEvents() {
        return this.maxBatchEvents;
    }

    public int maxBatchBytes() {
        return this.maxBatchBytes;
    }

    public int maxEventBytes() {
        return this.maxEventBytes;
    }

    public long queueCapacityBytes() {
        return this.queueCapacityBytes;
    }

    public OverflowPolicy overflowPolicy() {
        return this.overflowPolicy;
    }

    public Duration blockTimeout() {
        return this.blockTimeout;
    }

    public int maxInFlight() {
        return this.maxInFlight;
    }

    public Duration requestTimeout() {
        return this.requestTimeout;
    }

    public Duration shutdownTimeout() {
        return this.shutdownTimeout;
    }

    public Duration retryBaseDelay() {
        return this.retryBaseDelay;
    }

    public Duration retryMaxDelay() {
        return this.retryMaxDelay;
    }

    /**
     * Replaces every secret (credentials given in configuration) in a text the shipper is about to keep or print,
     * such as an error message the service sent back: some echo the request's Authorization header, and with it the
     * access key id.
     */
    public String redact(String text) {
        String redacted = text;
        for (String secret : this.secrets) {
            redacted = redacted.replace(secret, "******");
        }
        return redacted;
    }


}
