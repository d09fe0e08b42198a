package io.github.cloudwatchlogging.shipping;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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

    private static final Pattern LOG_GROUP_NAME = Pattern.compile("[.\\-_/#A-Za-z0-9]{1,512}");

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

    private ShipperSettings(Builder builder) {
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
    }

    public static Builder builder(String logGroup, String logStream) {
        return new Builder(logGroup, logStream);
    }

    /** A builder holding these settings, to derive others from them. */
    public Builder toBuilder() {
        return new Builder(this.logGroup, this.logStream).createLogGroup(this.createLogGroup)
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
            .retryMaxDelay(this.retryMaxDelay);
    }

    /** Why the service would refuse this log group name, or null when it would accept it. */
    public static @Nullable String logGroupNameProblem(@Nullable String name) {
        if (name == null || name.isEmpty()) {
            return "the log group name is empty";
        }
        if (!LOG_GROUP_NAME.matcher(name).matches()) {
            return "the log group name '" + name
                    + "' must be 1 to 512 characters of letters, digits and . - _ / #";
        }
        if (name.startsWith("aws/")) {
            return "the log group name '" + name + "' may not start with 'aws/' (reserved by AWS)";
        }
        return null;
    }

    /** Why the service would refuse this log stream name, or null when it would accept it. */
    public static @Nullable String logStreamNameProblem(@Nullable String name) {
        if (name == null || name.isEmpty()) {
            return "the log stream name is empty";
        }
        if (name.length() > 512) {
            return "the log stream name is " + name.length() + " characters long; at most 512 are allowed";
        }
        if (name.indexOf(':') >= 0 || name.indexOf('*') >= 0) {
            return "the log stream name '" + name + "' may not contain ':' or '*'";
        }
        return null;
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

    /** Collects the settings; {@link #build()} checks them all and names every problem at once. */
    public static final class Builder {

        private final String logGroup;

        private String logStream;

        private boolean createLogGroup = true;

        private boolean createLogStream = true;

        private @Nullable Integer retentionDays;

        private Map<String, String> tags = Map.of();

        private List<String> secrets = List.of();

        private Duration batchDelay = Duration.ofSeconds(1);

        private int maxBatchEvents = MAX_BATCH_EVENTS;

        private int maxBatchBytes = MAX_BATCH_BYTES;

        private int maxEventBytes = MAX_EVENT_BYTES;

        private long queueCapacityBytes = 32L * 1024 * 1024;

        private OverflowPolicy overflowPolicy = OverflowPolicy.DROP_OLDEST;

        private Duration blockTimeout = Duration.ofMillis(100);

        private int maxInFlight = 4;

        private Duration requestTimeout = Duration.ofSeconds(10);

        private Duration shutdownTimeout = Duration.ofSeconds(10);

        private Duration retryBaseDelay = Duration.ofMillis(100);

        private Duration retryMaxDelay = Duration.ofSeconds(5);

        private Builder(String logGroup, String logStream) {
            this.logGroup = logGroup;
            this.logStream = logStream;
        }

        public Builder logStream(String logStream) {
            this.logStream = logStream;
            return this;
        }

        public Builder createLogGroup(boolean createLogGroup) {
            this.createLogGroup = createLogGroup;
            return this;
        }

        public Builder createLogStream(boolean createLogStream) {
            this.createLogStream = createLogStream;
            return this;
        }

        public Builder retentionDays(@Nullable Integer retentionDays) {
            this.retentionDays = retentionDays;
            return this;
        }

        public Builder tags(Map<String, String> tags) {
            this.tags = tags;
            return this;
        }

        /** Values never to show in a message the shipper keeps or prints; blank ones are ignored. */
        public Builder secrets(Collection<String> secrets) {
            this.secrets = secrets.stream().filter((secret) -> secret != null && !secret.isBlank())
                .map(String::trim)
                .distinct()
                .toList();
            return this;
        }

        public Builder batchDelay(Duration batchDelay) {
            this.batchDelay = batchDelay;
            return this;
        }

        public Builder maxBatchEvents(int maxBatchEvents) {
            this.maxBatchEvents = maxBatchEvents;
            return this;
        }

        public Builder maxBatchBytes(int maxBatchBytes) {
            this.maxBatchBytes = maxBatchBytes;
            return this;
        }

        public Builder maxEventBytes(int maxEventBytes) {
            this.maxEventBytes = maxEventBytes;
            return this;
        }

        public Builder queueCapacityBytes(long queueCapacityBytes) {
            this.queueCapacityBytes = queueCapacityBytes;
            return this;
        }

        public Builder overflowPolicy(OverflowPolicy overflowPolicy) {
            this.overflowPolicy = overflowPolicy;
            return this;
        }

        public Builder blockTimeout(Duration blockTimeout) {
            this.blockTimeout = blockTimeout;
            return this;
        }

        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
            return this;
        }

        public Builder retryBaseDelay(Duration retryBaseDelay) {
            this.retryBaseDelay = retryBaseDelay;
            return this;
        }

        public Builder retryMaxDelay(Duration retryMaxDelay) {
            this.retryMaxDelay = retryMaxDelay;
            return this;
        }

        /**
         * Checks every setting and returns the immutable settings.
         * @throws InvalidShipperSettingsException naming every invalid value and what to set instead
         */
        public ShipperSettings build() {
            List<InvalidShipperSettingsException.Problem> problems = new ArrayList<>();
            addIfPresent(problems, "logGroup", logGroupNameProblem(this.logGroup));
            addIfPresent(problems, "logStream", logStreamNameProblem(this.logStream));
            if (this.retentionDays != null && !ALLOWED_RETENTION_DAYS.contains(this.retentionDays)) {
                problems.add(problem("retentionDays", "retention of " + this.retentionDays
                        + " days is not one CloudWatch Logs allows; use one of "
                        + ALLOWED_RETENTION_DAYS.stream().sorted().toList()));
            }
            if (this.tags.size() > 50) {
                problems.add(problem("tags", "a log group takes at most 50 tags, not " + this.tags.size()));
            }
            requirePositive(problems, "batchDelay", "batch delay", this.batchDelay);
            requirePositive(problems, "requestTimeout", "request timeout", this.requestTimeout);
            requireNotNegative(problems, "blockTimeout", "block timeout", this.blockTimeout);
            requireNotNegative(problems, "shutdownTimeout", "shutdown timeout", this.shutdownTimeout);
            requirePositive(problems, "retryBaseDelay", "retry base delay", this.retryBaseDelay);
            if (this.retryMaxDelay.compareTo(this.retryBaseDelay) < 0) {
                problems.add(problem("retryMaxDelay", "the retry max delay (" + this.retryMaxDelay
                        + ") must not be shorter than the base delay (" + this.retryBaseDelay + ")"));
            }
            if (this.maxBatchEvents < 1 || this.maxBatchEvents > MAX_BATCH_EVENTS) {
                problems.add(problem("maxBatchEvents",
                        "max batch events must be between 1 and " + MAX_BATCH_EVENTS + ", not " + this.maxBatchEvents));
            }
            if (this.maxBatchBytes < 1024 || this.maxBatchBytes > MAX_BATCH_BYTES) {
                problems.add(problem("maxBatchBytes",
                        "max batch bytes must be between 1024 and " + MAX_BATCH_BYTES + ", not " + this.maxBatchBytes));
            }
            if (this.maxEventBytes < 256 || this.maxEventBytes > this.maxBatchBytes - LogEvent.PUT_OVERHEAD_BYTES) {
                problems.add(problem("maxEventBytes", "max event bytes must be between 256 and the max batch bytes less "
                        + LogEvent.PUT_OVERHEAD_BYTES + " (" + (this.maxBatchBytes - LogEvent.PUT_OVERHEAD_BYTES)
                        + "), not " + this.maxEventBytes));
            }
            long smallestUsefulQueue = (long) this.maxEventBytes + LogEvent.QUEUE_OVERHEAD_BYTES;
            if (this.queueCapacityBytes < smallestUsefulQueue || this.queueCapacityBytes > Budget.MAX_CAPACITY_BYTES) {
                problems.add(problem("queueCapacityBytes", "the queue capacity must be between " + smallestUsefulQueue
                        + " bytes (one event of the largest size) and " + Budget.MAX_CAPACITY_BYTES + ", not "
                        + this.queueCapacityBytes));
            }
            if (this.maxInFlight < 1 || this.maxInFlight > 64) {
                problems.add(problem("maxInFlight", "max in-flight requests must be between 1 and 64, not " + this.maxInFlight));
            }
            if (!problems.isEmpty()) {
                throw new InvalidShipperSettingsException(problems);
            }
            return new ShipperSettings(this);
        }

        private static InvalidShipperSettingsException.Problem problem(String setting, String message) {
            return new InvalidShipperSettingsException.Problem(setting, message);
        }

        private static void addIfPresent(List<InvalidShipperSettingsException.Problem> problems, String setting,
                @Nullable String message) {
            if (message != null) {
                problems.add(problem(setting, message));
            }
        }

        private static void requirePositive(List<InvalidShipperSettingsException.Problem> problems, String setting,
                String name, Duration value) {
            if (value.isNegative() || value.isZero()) {
                problems.add(problem(setting, "the " + name + " must be positive, not " + value));
            }
        }

        private static void requireNotNegative(List<InvalidShipperSettingsException.Problem> problems, String setting,
                String name, Duration value) {
            if (value.isNegative()) {
                problems.add(problem(setting, "the " + name + " must not be negative, not " + value));
            }
        }

    }

}
