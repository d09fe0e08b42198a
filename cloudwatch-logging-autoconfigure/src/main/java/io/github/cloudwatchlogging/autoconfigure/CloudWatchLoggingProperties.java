package io.github.cloudwatchlogging.autoconfigure;

import java.io.File;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.cloudwatchlogging.shipping.LogGroupClass;
import io.github.cloudwatchlogging.shipping.OverflowPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.logging.LogLevel;
import org.springframework.util.unit.DataSize;

/**
 * Configuration for shipping logs to Amazon CloudWatch Logs.
 */
@ConfigurationProperties(CloudWatchLoggingProperties.PREFIX)
public class CloudWatchLoggingProperties {

    public static final String PREFIX = "logging.cloudwatch";

    /**
     * Whether to ship logs to CloudWatch Logs. Shipping starts when a log group is set, unless this is false.
     */
    private boolean enabled = true;

    /**
     * Log group to write to, for example "/orders/prod". Placeholders evaluated per event: {mdc:KEY} (an MDC entry;
     * in Log4j2, the context data), {mdc:KEY:-default} and {level}; each distinct value is a group of its own.
     */
    private @Nullable String logGroup;

    /**
     * Log stream to write to. Placeholders: {app} (spring.application.name), {hostname}, {pid}, {date}
     * (yyyy-MM-dd, UTC), {uuid}, {env:NAME}, {ecs-task-id} (ECS task metadata), {instance-id} (EC2 instance
     * metadata); metadata placeholders are looked up when the first batch is sent, never on the logging path. And
     * evaluated per event: {mdc:KEY} (an MDC entry; in Log4j2, the context data), {mdc:KEY:-default} and {level};
     * each distinct value is a stream of its own.
     */
    private String logStream = "{app}/{hostname}/{pid}";

    /**
     * Most destinations (group and stream) that placeholders evaluated per event may have open at once, over the
     * main destination and the routes. An event that would open one more goes to the one its template names with
     * every placeholder at its default, counted as overflowed; that one is always open.
     */
    private int maxDestinations = 100;

    /**
     * How long a destination opened for an event's values stays open without an event; it opens again with the
     * next one.
     */
    private Duration destinationIdleTimeout = Duration.ofMinutes(5);

    /**
     * AWS region of the log group. Falls back to spring.cloud.aws.region.static, then the SDK's region chain.
     */
    private @Nullable String region;

    /**
     * Endpoint URL to use instead of the region's (an emulator or a VPC endpoint). Falls back to
     * spring.cloud.aws.endpoint.
     */
    private @Nullable URI endpoint;

    /**
     * Static credentials for CloudWatch Logs only. Falls back to Spring Cloud AWS credentials, then the SDK's
     * default credential chain.
     */
    private final Credentials credentials = new Credentials();

    /**
     * Lowest level of the events shipped.
     */
    private LogLevel level = LogLevel.TRACE;

    /**
     * Logback pattern of each message, when the format is "pattern". Defaults to Spring Boot's file pattern without
     * colours.
     */
    private @Nullable String pattern;

    /**
     * Format of each message: "pattern" (the pattern above), or one of Spring Boot's structured formats, "ecs",
     * "logstash", "gelf", or the class name of a StructuredLogFormatter. Structured formats use the same
     * logging.structured.* settings as the console and file.
     */
    private String format = "pattern";

    /**
     * KMS key (ARN) to encrypt the log groups the starter creates with; CloudWatch Logs' own encryption when unset.
     */
    private @Nullable String kmsKeyId;

    /**
     * Class of the log groups the starter creates: standard, or infrequent-access (half the ingestion price,
     * without Live Tail or metric filters). The service's default (standard) when unset.
     */
    private @Nullable LogGroupClass logGroupClass;

    /**
     * A subscription filter put on each log group the starter creates, forwarding its events (to a Kinesis Data
     * Firehose delivery stream, and from there to OpenSearch or S3; to a Kinesis stream or a Lambda function).
     */
    private final Subscription subscription = new Subscription();

    /**
     * Health indicator settings.
     */
    private final Health health = new Health();

    /**
     * The crash-safe spool: accepted events written to local disk as well, so that a process that dies, or a stop
     * whose timeout runs out, loses none of them. Off unless a directory is set.
     */
    private final Spool spool = new Spool();

    /**
     * The application's Micrometer meters published as CloudWatch metrics through the log stream, in Embedded
     * Metric Format.
     */
    private final Metrics metrics = new Metrics();

    /**
     * Alarms the starter sets up in CloudWatch from the events it ships.
     */
    private final Alarms alarms = new Alarms();

    /**
     * Further destinations for chosen events, by route name: events of the route's loggers at or above its level go
     * to its group or stream as well, batched and counted on their own.
     */
    private Map<String, Route> routes = new LinkedHashMap<>();

    /**
     * Whether to create the log group when it is missing.
     */
    private boolean createLogGroup = true;

    /**
     * Whether to create the log stream when it is missing.
     */
    private boolean createLogStream = true;

    /**
     * Retention, in days, set when the log group is created: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400,
     * 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653. Never changed on an existing group.
     */
    private @Nullable Integer retention;

    /**
     * Tags set when the log group is created (at most 50).
     */
    private Map<String, String> tags = new LinkedHashMap<>();

    /**
     * Longest time an event waits for its batch to fill before it is sent.
     */
    private Duration batchDelay = Duration.ofSeconds(1);

    /**
     * Memory budget for events not yet delivered; each event counts as its UTF-8 size plus 80 bytes.
     */
    private DataSize queueCapacity = DataSize.ofMegabytes(32);

    /**
     * What happens to new events when the queue budget is used up.
     */
    private OverflowPolicy overflowPolicy = OverflowPolicy.DROP_OLDEST;

    /**
     * With the BLOCK overflow policy, the longest a logging call waits for room.
     */
    private Duration blockTimeout = Duration.ofMillis(100);

    /**
     * Most PutLogEvents calls under way at once.
     */
    private int maxInFlight = 4;

    /**
     * Longest one PutLogEvents call may take.
     */
    private Duration requestTimeout = Duration.ofSeconds(10);

    /**
     * Longest the application's shutdown waits to deliver the events still queued.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    /**
     * Messages larger than this are truncated, with a marker, at a UTF-8 character boundary.
     */
    private DataSize maxEventSize = DataSize.ofBytes(1_047_552);

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable String getLogGroup() {
        return this.logGroup;
    }

    public void setLogGroup(@Nullable String logGroup) {
        this.logGroup = logGroup;
    }

    public String getLogStream() {
        return this.logStream;
    }

    public void setLogStream(String logStream) {
        this.logStream = logStream;
    }

    public @Nullable String getRegion() {
        return this.region;
    }

    public void setRegion(@Nullable String region) {
        this.region = region;
    }

    public @Nullable URI getEndpoint() {
        return this.endpoint;
    }

    public void setEndpoint(@Nullable URI endpoint) {
        this.endpoint = endpoint;
    }

    public Credentials getCredentials() {
        return this.credentials;
    }

    public LogLevel getLevel() {
        return this.level;
    }

    public void setLevel(LogLevel level) {
        this.level = level;
    }

    public @Nullable String getPattern() {
        return this.pattern;
    }

    public void setPattern(@Nullable String pattern) {
        this.pattern = pattern;
    }

    public boolean isCreateLogGroup() {
        return this.createLogGroup;
    }

    public void setCreateLogGroup(boolean createLogGroup) {
        this.createLogGroup = createLogGroup;
    }

    public boolean isCreateLogStream() {
        return this.createLogStream;
    }

    public void setCreateLogStream(boolean createLogStream) {
        this.createLogStream = createLogStream;
    }

    public @Nullable Integer getRetention() {
        return this.retention;
    }

    public void setRetention(@Nullable Integer retention) {
        this.retention = retention;
    }

    public Map<String, String> getTags() {
        return this.tags;
    }

    public void setTags(Map<String, String> tags) {
        this.tags = tags;
    }

    public Duration getBatchDelay() {
        return this.batchDelay;
    }

    public void setBatchDelay(Duration batchDelay) {
        this.batchDelay = batchDelay;
    }

    public DataSize getQueueCapacity() {
        return this.queueCapacity;
    }

    public void setQueueCapacity(DataSize queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public OverflowPolicy getOverflowPolicy() {
        return this.overflowPolicy;
    }

    public void setOverflowPolicy(OverflowPolicy overflowPolicy) {
        this.overflowPolicy = overflowPolicy;
    }

    public Duration getBlockTimeout() {
        return this.blockTimeout;
    }

    public void setBlockTimeout(Duration blockTimeout) {
        this.blockTimeout = blockTimeout;
    }

    public int getMaxDestinations() {
        return this.maxDestinations;
    }

    public void setMaxDestinations(int maxDestinations) {
        this.maxDestinations = maxDestinations;
    }

    public Duration getDestinationIdleTimeout() {
        return this.destinationIdleTimeout;
    }

    public void setDestinationIdleTimeout(Duration destinationIdleTimeout) {
        this.destinationIdleTimeout = destinationIdleTimeout;
    }

    public int getMaxInFlight() {
        return this.maxInFlight;
    }

    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public Duration getRequestTimeout() {
        return this.requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public Duration getShutdownTimeout() {
        return this.shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public DataSize getMaxEventSize() {
        return this.maxEventSize;
    }

    public void setMaxEventSize(DataSize maxEventSize) {
        this.maxEventSize = maxEventSize;
    }

    public String getFormat() {
        return this.format;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    public Health getHealth() {
        return this.health;
    }

    public Alarms getAlarms() {
        return this.alarms;
    }

    public Metrics getMetrics() {
        return this.metrics;
    }

    public Spool getSpool() {
        return this.spool;
    }

    public @Nullable String getKmsKeyId() {
        return this.kmsKeyId;
    }

    public void setKmsKeyId(@Nullable String kmsKeyId) {
        this.kmsKeyId = kmsKeyId;
    }

    public @Nullable LogGroupClass getLogGroupClass() {
        return this.logGroupClass;
    }

    public void setLogGroupClass(@Nullable LogGroupClass logGroupClass) {
        this.logGroupClass = logGroupClass;
    }

    public Subscription getSubscription() {
        return this.subscription;
    }

    public Map<String, Route> getRoutes() {
        return this.routes;
    }

    public void setRoutes(Map<String, Route> routes) {
        this.routes = routes;
    }

    /** Whether shipping is on: enabled and a log group set. */
    boolean isActive() {
        return this.enabled && this.logGroup != null && !this.logGroup.isBlank();
    }

    /**
     * Alarms set up from the shipped events, with the CloudWatch client (same credentials and region as the logs).
     */
    public static class Alarms {

        /**
         * Endpoint URL of CloudWatch. Falls back to spring.cloud.aws.cloudwatch.endpoint, then
         * spring.cloud.aws.endpoint, then the region's.
         */
        private @Nullable URI endpoint;

        /**
         * An alarm on bursts of errors: a metric filter on the main group counts its events at ERROR, and an alarm
         * fires when they reach the threshold.
         */
        private final Errors errors = new Errors();

        public @Nullable URI getEndpoint() {
            return this.endpoint;
        }

        public void setEndpoint(@Nullable URI endpoint) {
            this.endpoint = endpoint;
        }

        public Errors getErrors() {
            return this.errors;
        }

    }

    /**
     * The alarm on bursts of errors; off while no threshold is set.
     */
    public static class Errors {

        /**
         * Events at ERROR per period that fire the alarm. Off when unset.
         */
        private @Nullable Integer threshold;

        /**
         * Period over which the errors are summed: a whole number of minutes.
         */
        private Duration period = Duration.ofMinutes(5);

        /**
         * Periods in a row at or above the threshold before the alarm fires.
         */
        private int evaluationPeriods = 1;

        /**
         * What the alarm notifies when it fires: ARNs, for example an SNS topic's.
         */
        private List<String> actions = new ArrayList<>();

        /**
         * Filter pattern of the events to count, in CloudWatch Logs' syntax. Defaults to one made for the format in
         * use (see the README); set it when the pattern or the structured format's settings move the level.
         */
        private @Nullable String filterPattern;

        public @Nullable String getFilterPattern() {
            return this.filterPattern;
        }

        public void setFilterPattern(@Nullable String filterPattern) {
            this.filterPattern = filterPattern;
        }

        public @Nullable Integer getThreshold() {
            return this.threshold;
        }

        public void setThreshold(@Nullable Integer threshold) {
            this.threshold = threshold;
        }

        public Duration getPeriod() {
            return this.period;
        }

        public void setPeriod(Duration period) {
            this.period = period;
        }

        public int getEvaluationPeriods() {
            return this.evaluationPeriods;
        }

        public void setEvaluationPeriods(int evaluationPeriods) {
            this.evaluationPeriods = evaluationPeriods;
        }

        public List<String> getActions() {
            return this.actions;
        }

        public void setActions(List<String> actions) {
            this.actions = actions;
        }

    }

    /**
     * The meters as Embedded Metric Format documents, shipped like any event: CloudWatch extracts the metrics from
     * them, at the price of the log bytes, without a PutMetricData call.
     */
    public static class Metrics {

        /**
         * Whether to publish the application's meters (Micrometer's, when it is present) as CloudWatch metrics.
         */
        private boolean enabled;

        /**
         * CloudWatch namespace of the metrics, with the placeholders of log-stream that need no metadata ({app},
         * {hostname}, {env:NAME}, ...).
         */
        private String namespace = "{app}";

        /**
         * How often the meters are published; each publication covers one step.
         */
        private Duration step = Duration.ofMinutes(1);

        /**
         * Log stream of the documents, in the main log group, with the placeholders of log-stream.
         */
        private String logStream = "{app}/{hostname}/metrics";

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getNamespace() {
            return this.namespace;
        }

        public void setNamespace(String namespace) {
            this.namespace = namespace;
        }

        public Duration getStep() {
            return this.step;
        }

        public void setStep(Duration step) {
            this.step = step;
        }

        public String getLogStream() {
            return this.logStream;
        }

        public void setLogStream(String logStream) {
            this.logStream = logStream;
        }

    }

    /**
     * One further destination: which events take it, and where they go. Batching, overflow policy and timeouts are
     * those of the main destination, and all destinations share its queue budget.
     */
    public static class Route {

        /**
         * Log group of the route, with the same placeholders as logging.cloudwatch.log-group. Defaults to
         * logging.cloudwatch.log-group.
         */
        private @Nullable String logGroup;

        /**
         * Log stream of the route, with the same placeholders as logging.cloudwatch.log-stream. Defaults to
         * logging.cloudwatch.log-stream.
         */
        private @Nullable String logStream;

        /**
         * Loggers whose events take the route, each with its children ("com.example.orders" takes
         * "com.example.orders.web" too). Every logger when empty.
         */
        private List<String> loggers = new ArrayList<>();

        /**
         * Lowest level of the events that take the route.
         */
        private LogLevel level = LogLevel.TRACE;

        public @Nullable String getLogGroup() {
            return this.logGroup;
        }

        public void setLogGroup(@Nullable String logGroup) {
            this.logGroup = logGroup;
        }

        public @Nullable String getLogStream() {
            return this.logStream;
        }

        public void setLogStream(@Nullable String logStream) {
            this.logStream = logStream;
        }

        public List<String> getLoggers() {
            return this.loggers;
        }

        public void setLoggers(List<String> loggers) {
            this.loggers = loggers;
        }

        public LogLevel getLevel() {
            return this.level;
        }

        public void setLevel(LogLevel level) {
            this.level = level;
        }

    }

    /**
     * The subscription filter on the log groups the starter creates.
     */
    public static class Subscription {

        /**
         * ARN of where the events go: a Firehose delivery stream, a Kinesis stream, a Lambda function. No filter
         * when unset.
         */
        private @Nullable String destinationArn;

        /**
         * ARN of the role CloudWatch Logs assumes to deliver to a Firehose or Kinesis destination.
         */
        private @Nullable String roleArn;

        /**
         * Which events to forward, in CloudWatch Logs' filter pattern syntax; empty forwards every event.
         */
        private String filterPattern = "";

        /**
         * Name of the filter in each group.
         */
        private String name = io.github.cloudwatchlogging.shipping.Subscription.DEFAULT_NAME;

        public @Nullable String getDestinationArn() {
            return this.destinationArn;
        }

        public void setDestinationArn(@Nullable String destinationArn) {
            this.destinationArn = destinationArn;
        }

        public @Nullable String getRoleArn() {
            return this.roleArn;
        }

        public void setRoleArn(@Nullable String roleArn) {
            this.roleArn = roleArn;
        }

        public String getFilterPattern() {
            return this.filterPattern;
        }

        public void setFilterPattern(String filterPattern) {
            this.filterPattern = filterPattern;
        }

        public String getName() {
            return this.name;
        }

        public void setName(String name) {
            this.name = name;
        }

    }

    /**
     * The crash-safe spool (docs/SPOOL.md).
     */
    public static class Spool {

        /**
         * Directory of the spool, created if missing; off when unset. It must outlive the process and be seen by
         * the one that replaces it (a Kubernetes emptyDir volume, an ECS task volume, a local directory on EC2),
         * and belong to one process at a time.
         */
        private @Nullable File directory;

        /**
         * Disk the spool may use, in segments of an eighth of it (from 1MB to 64MB each). At capacity, the
         * overflow policy applies to new events.
         */
        private DataSize capacity = DataSize.ofMegabytes(256);

        /**
         * What is forced to disk, which is what survives a power loss (a killed process loses nothing either way):
         * "none" (the kernel writes back in its own time), an interval such as "1s", or "always" (a disk write per
         * event).
         */
        private String sync = "none";

        public @Nullable File getDirectory() {
            return this.directory;
        }

        public void setDirectory(@Nullable File directory) {
            this.directory = directory;
        }

        public DataSize getCapacity() {
            return this.capacity;
        }

        public void setCapacity(DataSize capacity) {
            this.capacity = capacity;
        }

        public String getSync() {
            return this.sync;
        }

        public void setSync(String sync) {
            this.sync = sync;
        }

    }

    /**
     * How the cloudwatchLogging health indicator judges failures.
     */
    public static class Health {

        /**
         * How long PutLogEvents calls must have kept failing, without one success, before the health indicator
         * reports DOWN. An application that logs nothing makes no calls and stays UP.
         */
        private Duration failureThreshold = Duration.ofMinutes(5);

        public Duration getFailureThreshold() {
            return this.failureThreshold;
        }

        public void setFailureThreshold(Duration failureThreshold) {
            this.failureThreshold = failureThreshold;
        }

    }

    /**
     * Static credentials used for CloudWatch Logs only.
     */
    public static class Credentials {

        /**
         * Access key id.
         */
        private @Nullable String accessKey;

        /**
         * Secret access key.
         */
        private @Nullable String secretKey;

        public @Nullable String getAccessKey() {
            return this.accessKey;
        }

        public void setAccessKey(@Nullable String accessKey) {
            this.accessKey = accessKey;
        }

        public @Nullable String getSecretKey() {
            return this.secretKey;
        }

        public void setSecretKey(@Nullable String secretKey) {
            this.secretKey = secretKey;
        }

        @Override
        public String toString() {
            return "Credentials[accessKey=" + ((this.accessKey != null) ? "******" : null) + "]";
        }

    }

}
