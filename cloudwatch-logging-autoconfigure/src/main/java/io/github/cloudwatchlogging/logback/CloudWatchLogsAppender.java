package io.github.cloudwatchlogging.logback;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import io.github.cloudwatchlogging.shipping.CloudWatchLogsClients;
import io.github.cloudwatchlogging.shipping.FeedbackLoggers;
import io.github.cloudwatchlogging.shipping.LogShipper;
import io.github.cloudwatchlogging.shipping.OverflowPolicy;
import io.github.cloudwatchlogging.shipping.PutLogEventsSender;
import io.github.cloudwatchlogging.shipping.SdkPutLogEventsSender;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import io.github.cloudwatchlogging.shipping.ShipperStatistics;
import io.github.cloudwatchlogging.shipping.ShipperThread;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * A Logback appender that ships every event to one CloudWatch Logs stream, asynchronously and in batches.
 * <p>
 * Usable on its own from {@code logback.xml} or {@code logback-spring.xml}:
 * <pre>{@code
 * <appender name="CLOUDWATCH" class="io.github.cloudwatchlogging.logback.CloudWatchLogsAppender">
 *   <logGroup>/orders/prod</logGroup>
 *   <logStream>orders-1</logStream>
 *   <region>eu-west-1</region>
 * </appender>
 * }</pre>
 * The calling thread only formats the event and queues its bytes. Events logged by the AWS SDK, the HTTP client,
 * this library, or on the shipper's own threads are never shipped, so sending cannot feed back into the queue.
 */
public class CloudWatchLogsAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    /** Timestamp, level, thread, logger and message, as Spring Boot's file pattern has them, without colours. */
    public static final String DEFAULT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %5p [%t] %logger{39} : %m%n%ex";

    /** Loggers whose events are never shipped: what logs while sending must not be sent. */
    private @Nullable String logGroup;

    private @Nullable String logStream;

    private @Nullable String region;

    private @Nullable String endpoint;

    private @Nullable Encoder<ILoggingEvent> encoder;

    private @Nullable Layout<ILoggingEvent> layout;

    private boolean createLogGroup = true;

    private boolean createLogStream = true;

    private @Nullable Integer retentionDays;

    private Duration batchDelay = Duration.buildBySeconds(1);

    private FileSize queueCapacity = new FileSize(32L * FileSize.MB_COEFFICIENT);

    private OverflowPolicy overflowPolicy = OverflowPolicy.DROP_OLDEST;

    private Duration blockTimeout = Duration.buildByMilliseconds(100);

    private int maxInFlight = 4;

    private Duration requestTimeout = Duration.buildBySeconds(10);

    private Duration shutdownTimeout = Duration.buildBySeconds(10);

    private int maxBatchEvents = ShipperSettings.MAX_BATCH_EVENTS;

    private FileSize maxEventSize = new FileSize(ShipperSettings.MAX_EVENT_BYTES);

    private @Nullable CloudWatchLogsClient client;

    private @Nullable PutLogEventsSender sender;

    private @Nullable LogShipper shipper;

    private boolean ownsShipper = true;

    private @Nullable Layout<ILoggingEvent> ownLayout;

    /**
     * Creates an appender that feeds a shipper it does not own: stopping the appender (as every Logback
     * re-initialization does) leaves the shipper, its queue and its client untouched.
     */
    public static CloudWatchLogsAppender forShipper(LogShipper shipper, Layout<ILoggingEvent> layout) {
        CloudWatchLogsAppender appender = feeding(shipper);
        appender.layout = layout;
        return appender;
    }

    /** The same, with an encoder of UTF-8 bytes instead of a layout. */
    public static CloudWatchLogsAppender forShipper(LogShipper shipper, Encoder<ILoggingEvent> encoder) {
        CloudWatchLogsAppender appender = feeding(shipper);
        appender.encoder = encoder;
        return appender;
    }

    private static CloudWatchLogsAppender feeding(LogShipper shipper) {
        CloudWatchLogsAppender appender = new CloudWatchLogsAppender();
        appender.shipper = shipper;
        appender.ownsShipper = false;
        return appender;
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        if (!this.ownsShipper) {
            super.start();
            return;
        }
        ShipperSettings settings;
        try {
            settings = settings();
        }
        catch (IllegalArgumentException ex) {
            addError("Not starting appender [" + getName() + "]: " + ex.getMessage());
            return;
        }
        PutLogEventsSender delivery;
        try {
            delivery = createSender(settings);
        }
        catch (RuntimeException ex) {
            addError("Not starting appender [" + getName() + "]: could not create the CloudWatch Logs client ("
                    + ex.getMessage() + "). Set <region> (or AWS_REGION) and make credentials available through the "
                    + "default chain.", ex);
            return;
        }
        if (this.encoder == null && this.layout == null) {
            PatternLayout pattern = new PatternLayout();
            pattern.setContext(getContext());
            pattern.setPattern(DEFAULT_PATTERN);
            pattern.start();
            this.ownLayout = pattern;
        }
        LogShipper newShipper = new LogShipper(settings, new StatusDiagnostics(this));
        newShipper.start(delivery);
        this.shipper = newShipper;
        super.start();
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        LogShipper current = this.shipper;
        if (current != null && this.ownsShipper) {
            current.stop();
        }
        Layout<ILoggingEvent> own = this.ownLayout;
        if (own != null) {
            own.stop();
            this.ownLayout = null;
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        LogShipper current = this.shipper;
        if (current == null || ShipperThread.isCurrent() || FeedbackLoggers.isExcluded(event.getLoggerName())) {
            return;
        }
        current.offer(event.getTimeStamp(), encode(event));
    }

    /** The shipper's statistics, or null before the appender started. */
    public @Nullable ShipperStatistics getStatistics() {
        LogShipper current = this.shipper;
        return (current != null) ? current.statistics() : null;
    }

    /** The shipper behind this appender, or null before it started. */
    public @Nullable LogShipper getShipper() {
        return this.shipper;
    }

    private byte[] encode(ILoggingEvent event) {
        Layout<ILoggingEvent> current = (this.layout != null) ? this.layout : this.ownLayout;
        if (current != null) {
            return current.doLayout(event).getBytes(StandardCharsets.UTF_8);
        }
        Encoder<ILoggingEvent> currentEncoder = this.encoder;
        return (currentEncoder != null) ? currentEncoder.encode(event) : new byte[0];
    }

    ShipperSettings settings() {
        return ShipperSettings.builder(nullToEmpty(this.logGroup), nullToEmpty(this.logStream))
            .createLogGroup(this.createLogGroup)
            .createLogStream(this.createLogStream)
            .retentionDays(this.retentionDays)
            .batchDelay(java.time.Duration.ofMillis(this.batchDelay.getMilliseconds()))
            .queueCapacityBytes(this.queueCapacity.getSize())
            .overflowPolicy(this.overflowPolicy)
            .blockTimeout(java.time.Duration.ofMillis(this.blockTimeout.getMilliseconds()))
            .maxInFlight(this.maxInFlight)
            .requestTimeout(java.time.Duration.ofMillis(this.requestTimeout.getMilliseconds()))
            .shutdownTimeout(java.time.Duration.ofMillis(this.shutdownTimeout.getMilliseconds()))
            .maxBatchEvents(this.maxBatchEvents)
            .maxEventBytes((int) Math.min(Integer.MAX_VALUE, this.maxEventSize.getSize()))
            .build();
    }

    private PutLogEventsSender createSender(ShipperSettings settings) {
        if (this.sender != null) {
            return this.sender;
        }
        if (this.client != null) {
            return new SdkPutLogEventsSender(this.client, settings, false);
        }
        URI endpointUri = (this.endpoint != null && !this.endpoint.isBlank()) ? URI.create(this.endpoint.trim()) : null;
        CloudWatchLogsClient created = CloudWatchLogsClients.create(settings, this.region, endpointUri, null);
        return new SdkPutLogEventsSender(created, settings, true);
    }

    private static String nullToEmpty(@Nullable String value) {
        return (value != null) ? value.trim() : "";
    }

    public @Nullable String getLogGroup() {
        return this.logGroup;
    }

    /** The log group to write to. Required. */
    public void setLogGroup(String logGroup) {
        this.logGroup = logGroup;
    }

    public @Nullable String getLogStream() {
        return this.logStream;
    }

    /** The log stream to write to. Required. */
    public void setLogStream(String logStream) {
        this.logStream = logStream;
    }

    public @Nullable String getRegion() {
        return this.region;
    }

    /** The AWS region; the SDK's default region chain when not set. */
    public void setRegion(String region) {
        this.region = region;
    }

    public @Nullable String getEndpoint() {
        return this.endpoint;
    }

    /** An endpoint URL to use instead of the region's, for an emulator or a VPC endpoint. */
    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public @Nullable Encoder<ILoggingEvent> getEncoder() {
        return this.encoder;
    }

    /** The encoder that turns an event into the message's bytes, which must be UTF-8. */
    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        if (encoder instanceof LayoutWrappingEncoder<ILoggingEvent> wrapping && wrapping.getCharset() == null) {
            wrapping.setCharset(StandardCharsets.UTF_8);
        }
        this.encoder = encoder;
    }

    public @Nullable Layout<ILoggingEvent> getLayout() {
        return this.layout;
    }

    /** The layout that turns an event into the message; used instead of the encoder when both are set. */
    public void setLayout(Layout<ILoggingEvent> layout) {
        this.layout = layout;
    }

    public boolean isCreateLogGroup() {
        return this.createLogGroup;
    }

    /** Whether to create the log group when it is missing. */
    public void setCreateLogGroup(boolean createLogGroup) {
        this.createLogGroup = createLogGroup;
    }

    public boolean isCreateLogStream() {
        return this.createLogStream;
    }

    /** Whether to create the log stream when it is missing. */
    public void setCreateLogStream(boolean createLogStream) {
        this.createLogStream = createLogStream;
    }

    public @Nullable Integer getRetentionDays() {
        return this.retentionDays;
    }

    /** Retention in days set on a log group this appender creates; one of the values CloudWatch Logs allows. */
    public void setRetentionDays(Integer retentionDays) {
        this.retentionDays = retentionDays;
    }

    public Duration getBatchDelay() {
        return this.batchDelay;
    }

    /** The longest an event waits for its batch to fill before it is sent. */
    public void setBatchDelay(Duration batchDelay) {
        this.batchDelay = batchDelay;
    }

    public FileSize getQueueCapacity() {
        return this.queueCapacity;
    }

    /** The memory budget for events not yet delivered, counting each as its UTF-8 size plus 64 bytes. */
    public void setQueueCapacity(FileSize queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public OverflowPolicy getOverflowPolicy() {
        return this.overflowPolicy;
    }

    /** What to do when the queue is full: DROP_NEWEST, DROP_OLDEST or BLOCK. */
    public void setOverflowPolicy(String overflowPolicy) {
        this.overflowPolicy = OverflowPolicy.valueOf(overflowPolicy.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public Duration getBlockTimeout() {
        return this.blockTimeout;
    }

    /** With the BLOCK policy, the longest a logging call waits for room. */
    public void setBlockTimeout(Duration blockTimeout) {
        this.blockTimeout = blockTimeout;
    }

    public int getMaxInFlight() {
        return this.maxInFlight;
    }

    /** The most PutLogEvents calls under way at once. */
    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public Duration getRequestTimeout() {
        return this.requestTimeout;
    }

    /** The longest one PutLogEvents call may take. */
    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public Duration getShutdownTimeout() {
        return this.shutdownTimeout;
    }

    /** The longest stop() waits to deliver what is queued. */
    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public int getMaxBatchEvents() {
        return this.maxBatchEvents;
    }

    /** The most events in one PutLogEvents call, at most 10,000. */
    public void setMaxBatchEvents(int maxBatchEvents) {
        this.maxBatchEvents = maxBatchEvents;
    }

    public FileSize getMaxEventSize() {
        return this.maxEventSize;
    }

    /** Messages larger than this are truncated, with a marker, at a UTF-8 character boundary. */
    public void setMaxEventSize(FileSize maxEventSize) {
        this.maxEventSize = maxEventSize;
    }

    /** A client to use instead of building one; the appender does not close it. */
    public void setClient(CloudWatchLogsClient client) {
        this.client = client;
    }

    /** A sender to use instead of the SDK client, for tests and other transports. */
    public void setSender(PutLogEventsSender sender) {
        this.sender = sender;
    }

}
