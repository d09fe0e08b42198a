package io.github.cloudwatchlogging.logback;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.github.cloudwatchlogging.shipping.CloudWatchLogsClients;
import io.github.cloudwatchlogging.shipping.FeedbackLoggers;
import io.github.cloudwatchlogging.shipping.LogShipper;
import io.github.cloudwatchlogging.shipping.OverflowPolicy;
import io.github.cloudwatchlogging.shipping.PutLogEventsSender;
import io.github.cloudwatchlogging.shipping.SdkPutLogEventsSender;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import io.github.cloudwatchlogging.spool.SpoolSettings;
import io.github.cloudwatchlogging.spool.SpoolSync;
import io.github.cloudwatchlogging.shipping.ShipperStatistics;
import io.github.cloudwatchlogging.shipping.Destination;
import io.github.cloudwatchlogging.shipping.DestinationTemplate;
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
 *   <logStream>orders-1/{mdc:tenant:-shared}</logStream>
 *   <region>eu-west-1</region>
 * </appender>
 * }</pre>
 * The calling thread only queues the event: formatted by the shipper's worker when the layout allows it (see
 * {@link DeferredEncoding}), else formatted to bytes first. Events logged by the AWS SDK, the HTTP client,
 * this library, or on the shipper's own threads are never shipped, so sending cannot feed back into the queue.
 * The appender owns its shipper: stopping it delivers what is queued, within the shutdown timeout. (The starter
 * feeds its own shipper through a {@link ShipperAppender}.)
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

    private Duration batchDelay = Duration.ofSeconds(1);

    private long queueCapacity = 32L * 1024 * 1024;

    private OverflowPolicy overflowPolicy = OverflowPolicy.DROP_OLDEST;

    private Duration blockTimeout = Duration.ofMillis(100);

    private int maxInFlight = 4;

    private int maxDestinations = 100;

    private Duration destinationIdleTimeout = Duration.ofMinutes(5);

    private Duration requestTimeout = Duration.ofSeconds(10);

    private Duration shutdownTimeout = Duration.ofSeconds(10);

    private int maxBatchEvents = ShipperSettings.MAX_BATCH_EVENTS;

    private long maxEventSize = ShipperSettings.MAX_EVENT_BYTES;

    private @Nullable String spoolDirectory;

    private long spoolCapacity = SpoolSettings.DEFAULT_CAPACITY_BYTES;

    private SpoolSync spoolSync = SpoolSync.NONE;

    /** Settings that could not be read; the appender reports them and does not start. */
    private final List<String> unreadable = new ArrayList<>();

    private @Nullable CloudWatchLogsClient client;

    private @Nullable PutLogEventsSender sender;

    private @Nullable LogShipper shipper;

    private @Nullable Layout<ILoggingEvent> ownLayout;

    /** Formats on the worker, for a layout that allows it; null to encode on the logging thread. */
    private @Nullable DeferredEncoding deferred;

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        if (!this.unreadable.isEmpty()) {
            addError("Not starting appender [" + getName() + "]: " + String.join("; ", this.unreadable));
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
        this.deferred = (this.layout != null) ? DeferredEncoding.of(this.layout)
                : (this.encoder != null) ? DeferredEncoding.of(this.encoder) : DeferredEncoding.of(this.ownLayout);
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
        if (current != null) {
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
        DestinationTemplate template = current.mainTemplate();
        if (!template.isPerEvent()) {
            offer(current, event, current.mainTargets());
            return;
        }
        Destination target = template.enter(event, ShipperAppender.MDC_VALUE, event.getLevel().toString());
        try {
            offer(current, event, new Destination[] { target });
        }
        finally {
            target.exit();
        }
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

    private void offer(LogShipper current, ILoggingEvent event, Destination[] targets) {
        DeferredEncoding encoding = this.deferred;
        if (encoding != null) {
            encoding.offer(current, event, targets);
        }
        else {
            current.offer(event.getTimeStamp(), encode(event), targets);
        }
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
            .batchDelay(this.batchDelay)
            .queueCapacityBytes(this.queueCapacity)
            .overflowPolicy(this.overflowPolicy)
            .blockTimeout(this.blockTimeout)
            .maxInFlight(this.maxInFlight)
            .maxDestinations(this.maxDestinations)
            .destinationIdleTimeout(this.destinationIdleTimeout)
            .requestTimeout(this.requestTimeout)
            .shutdownTimeout(this.shutdownTimeout)
            .maxBatchEvents(this.maxBatchEvents)
            .maxEventBytes((int) Math.min(Integer.MAX_VALUE, this.maxEventSize))
            .spool((this.spoolDirectory != null && !this.spoolDirectory.isBlank())
                    ? new SpoolSettings(Path.of(this.spoolDirectory.trim()), this.spoolCapacity, this.spoolSync) : null)
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

    /**
     * The encoder that turns an event into the message's bytes. CloudWatch Logs takes UTF-8 only, so a pattern
     * encoder's charset is set to UTF-8 whatever it was.
     */
    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        if (encoder instanceof LayoutWrappingEncoder<ILoggingEvent> wrapping
                && !StandardCharsets.UTF_8.equals(wrapping.getCharset())) {
            if (wrapping.getCharset() != null) {
                addWarn("The encoder's charset " + wrapping.getCharset() + " is replaced by UTF-8, the only one "
                        + "CloudWatch Logs takes");
            }
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

    /** The longest an event waits for its batch to fill before it is sent, as Spring Boot writes it: 1s, 250ms. */
    public void setBatchDelay(String batchDelay) {
        read(() -> this.batchDelay = AppenderValues.duration("batchDelay", batchDelay));
    }

    /** The queue capacity in bytes. */
    public long getQueueCapacity() {
        return this.queueCapacity;
    }

    /**
     * The memory budget for events not yet delivered, counting each as its UTF-8 size plus 80 bytes, and the
     * requests of those in flight; as Spring Boot writes it: 32MB.
     */
    public void setQueueCapacity(String queueCapacity) {
        read(() -> this.queueCapacity = AppenderValues.size("queueCapacity", queueCapacity));
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

    /** With the BLOCK policy, the longest a logging call waits for room: 100ms. */
    public void setBlockTimeout(String blockTimeout) {
        read(() -> this.blockTimeout = AppenderValues.duration("blockTimeout", blockTimeout));
    }

    public int getMaxDestinations() {
        return this.maxDestinations;
    }

    /** Most destinations {mdc:KEY} or {level} in logGroup or logStream may have open at once (100). */
    public void setMaxDestinations(int maxDestinations) {
        this.maxDestinations = maxDestinations;
    }

    public Duration getDestinationIdleTimeout() {
        return this.destinationIdleTimeout;
    }

    /** How long a destination opened for events' values stays open without an event (5m). */
    public void setDestinationIdleTimeout(String destinationIdleTimeout) {
        read(() -> this.destinationIdleTimeout = AppenderValues.duration("destinationIdleTimeout",
                destinationIdleTimeout));
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

    /** The longest one PutLogEvents call may take: 10s. */
    public void setRequestTimeout(String requestTimeout) {
        read(() -> this.requestTimeout = AppenderValues.duration("requestTimeout", requestTimeout));
    }

    public Duration getShutdownTimeout() {
        return this.shutdownTimeout;
    }

    /** The longest stop() waits to deliver what is queued: 10s. */
    public void setShutdownTimeout(String shutdownTimeout) {
        read(() -> this.shutdownTimeout = AppenderValues.duration("shutdownTimeout", shutdownTimeout));
    }

    public int getMaxBatchEvents() {
        return this.maxBatchEvents;
    }

    /** The most events in one PutLogEvents call, at most 10,000. */
    public void setMaxBatchEvents(int maxBatchEvents) {
        this.maxBatchEvents = maxBatchEvents;
    }

    /** The largest message in bytes. */
    public long getMaxEventSize() {
        return this.maxEventSize;
    }

    /** Messages larger than this are truncated, with a marker, at a UTF-8 character boundary: 1047552B. */
    public void setMaxEventSize(String maxEventSize) {
        read(() -> this.maxEventSize = AppenderValues.size("maxEventSize", maxEventSize));
    }

    public @Nullable String getSpoolDirectory() {
        return this.spoolDirectory;
    }

    /** The crash-safe spool's directory (docs/SPOOL.md); off when unset. */
    public void setSpoolDirectory(String spoolDirectory) {
        this.spoolDirectory = spoolDirectory;
    }

    public long getSpoolCapacity() {
        return this.spoolCapacity;
    }

    /** The disk the spool may use, at least 2MB: 256MB. */
    public void setSpoolCapacity(String spoolCapacity) {
        read(() -> {
            long capacity = AppenderValues.size("spoolCapacity", spoolCapacity);
            if (capacity < 2L * 1024 * 1024) {
                throw new IllegalArgumentException("spoolCapacity: '" + spoolCapacity + "' is below the 2MB of two "
                        + "segments; set 2MB or more");
            }
            this.spoolCapacity = capacity;
        });
    }

    public String getSpoolSync() {
        return this.spoolSync.toString();
    }

    /** What the spool forces to disk: none, an interval such as 1s, or always. */
    public void setSpoolSync(String spoolSync) {
        read(() -> this.spoolSync = SpoolSync.parse(spoolSync, (text) -> AppenderValues.duration("spoolSync", text)));
    }

    private void read(Runnable setting) {
        try {
            setting.run();
        }
        catch (IllegalArgumentException ex) {
            this.unreadable.add(ex.getMessage());
        }
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
