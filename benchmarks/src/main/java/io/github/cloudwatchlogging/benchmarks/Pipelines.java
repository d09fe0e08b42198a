package io.github.cloudwatchlogging.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.status.Status;
import org.slf4j.MDC;
import io.github.cloudwatchlogging.logback.ShipperAppender;
import io.github.cloudwatchlogging.shipping.Destination;
import io.github.cloudwatchlogging.shipping.DestinationTemplate;
import io.github.cloudwatchlogging.shipping.LogShipper;
import io.github.cloudwatchlogging.shipping.OverflowPolicy;
import io.github.cloudwatchlogging.shipping.PutLogEventsSender;
import io.github.cloudwatchlogging.shipping.PutResult;
import io.github.cloudwatchlogging.shipping.ShipperDiagnostics;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import io.github.cloudwatchlogging.shipping.ShipperSettingsBuilder;
import io.github.cloudwatchlogging.spool.SpoolSettings;
import io.github.cloudwatchlogging.spool.SpoolSync;

/**
 * The two pipelines measured side by side: our appender, and Logback's AsyncAppender in front of an appender that
 * formats the event with the same layout and drops it. Both format each event once with the same pattern.
 */
final class Pipelines {

    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %5p [%t] %logger{39} : %m%n";

    /** About 230 bytes once formatted, as in the peers' measurements. */
    static final String MESSAGE = "Order {} placed by customer {} for {} items; payment authorized, shipping to "
            + "warehouse eu-west-1c, trace 4bf92f3577b34da6a3ce929d0e0e4736";

    private Pipelines() {
    }

    /** A pipeline: the logger to call, and what to do when done. */
    record Pipeline(String name, Logger logger, LoggerContext context, LogShipper shipper) {

        /**
         * Stops it, and fails if Logback reported an error on the way: an appender that throws on every call (as
         * AsyncAppender did here while the contexts had no MDC adapter) looks fast and delivers nothing.
         */
        void stop() {
            List<Status> errors = this.context.getStatusManager()
                .getCopyOfStatusList()
                .stream()
                .filter((status) -> status.getLevel() == Status.ERROR)
                .toList();
            this.context.stop();
            if (this.shipper != null) {
                this.shipper.stop();
            }
            if (!errors.isEmpty()) {
                throw new IllegalStateException("The " + this.name + " pipeline reported " + errors.size()
                        + " errors; its figures are void. First: " + errors.get(0), errors.get(0).getThrowable());
            }
        }

    }

    static Pipeline cloudWatch(PutLogEventsSender sender, OverflowPolicy policy, int maxInFlight) {
        return cloudWatch(sender, policy, maxInFlight, false);
    }

    /** The tenants the benchmarks put in the MDC in turn, one per call, for every pipeline alike. */
    static final String[] TENANTS = { "acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka" };

    /** Puts the next tenant in the MDC, as an application that serves several does before it logs. */
    static void nextTenant(long call) {
        MDC.put("tenant", TENANTS[(int) (call & 7)]);
    }

    /**
     * Ours with the stream named per event, {@code bench/{mdc:tenant:-shared}}: each call evaluates the template,
     * finds the tenant's destination and enters it, as the starter's routing does.
     */
    static Pipeline cloudWatchPerTenant(PutLogEventsSender sender, OverflowPolicy policy, int maxInFlight) {
        LoggerContext context = context();
        LogShipper shipper = new LogShipper(settings(policy, maxInFlight, false)
            .logStream("bench/{mdc:tenant:-shared}")
            .build(), ShipperDiagnostics.NONE);
        if (sender != null) {
            shipper.start(sender);
        }
        DestinationTemplate template = shipper.mainTemplate();
        BiFunction<ILoggingEvent, String, String> mdc = (event, key) -> event.getMDCPropertyMap().get(key);
        ShipperAppender appender = new ShipperAppender(shipper, encoder(context),
                (event) -> new Destination[] { template.enter(event, mdc, event.getLevel().toString()) });
        return attach(context, appender, "cloudwatchPerTenant", shipper);
    }

    /**
     * @param spooled whether every event also goes through a spool (1 GB, sync none) in a fresh directory under
     * the system's temporary directory, deleted at the JVM's exit
     */
    static Pipeline cloudWatch(PutLogEventsSender sender, OverflowPolicy policy, int maxInFlight, boolean spooled) {
        LoggerContext context = context();
        LogShipper shipper = new LogShipper(settings(policy, maxInFlight, spooled).build(), ShipperDiagnostics.NONE);
        if (sender != null) {
            shipper.start(sender);
        }
        return attach(context, ShipperAppender.toMainDestination(shipper, encoder(context)), "cloudwatch", shipper);
    }

    private static ShipperSettingsBuilder settings(OverflowPolicy policy, int maxInFlight, boolean spooled) {
        return ShipperSettings.builder("/bench", "bench")
            .queueCapacityBytes(256L * 1024 * 1024)
            .overflowPolicy(policy)
            .blockTimeout(Duration.ofSeconds(30))
            .maxInFlight(maxInFlight)
            .shutdownTimeout(Duration.ofSeconds(60))
            .spool(spooled ? new SpoolSettings(temporarySpool(), 1024L * 1024 * 1024, SpoolSync.NONE) : null);
    }

    private static LayoutWrappingEncoder<ILoggingEvent> encoder(LoggerContext context) {
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout(context));
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        return encoder;
    }

    private static Pipeline attach(LoggerContext context, ShipperAppender appender, String name, LogShipper shipper) {
        appender.setContext(context);
        appender.setName("CLOUDWATCH");
        appender.start();
        Logger logger = context.getLogger("com.example.orders.OrderService");
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return new Pipeline(name, logger, context, shipper);
    }

    /** A started context whose events read the MDC that {@link org.slf4j.MDC} writes. */
    private static LoggerContext context() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        context.start();
        return context;
    }

    private static Path temporarySpool() {
        try {
            Path directory = Files.createTempDirectory("cloudwatch-bench-spool");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var files = Files.walk(directory)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
                }
                catch (IOException ex) {
                    // a temporary directory
                }
            }));
            return directory;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Logback's AsyncAppender (queue 256, never discarding, so it blocks when full) before a do-nothing appender. */
    static Pipeline asyncAppender() {
        LoggerContext context = context();
        FormattingNoopAppender noop = formattingNoop(context);
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setDiscardingThreshold(0);
        async.addAppender(noop);
        async.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(async);
        return new Pipeline("asyncAppender", context.getLogger("com.example.orders.OrderService"), context, null);
    }

    /** The same layout applied on the calling thread and dropped, with no queue: what formatting alone costs. */
    static Pipeline formatOnly() {
        LoggerContext context = context();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(formattingNoop(context));
        return new Pipeline("formatOnly", context.getLogger("com.example.orders.OrderService"), context, null);
    }

    /** Logback with no appender at all: the floor under any appender's cost. */
    static Pipeline noAppender() {
        LoggerContext context = context();
        return new Pipeline("noAppender", context.getLogger("com.example.orders.OrderService"), context, null);
    }

    /** A sender that accepts every batch at once, without I/O. */
    static PutLogEventsSender acceptingSink() {
        return (batch) -> PutResult.ALL_ACCEPTED;
    }

    private static FormattingNoopAppender formattingNoop(LoggerContext context) {
        FormattingNoopAppender noop = new FormattingNoopAppender(layout(context));
        noop.setContext(context);
        noop.start();
        return noop;
    }

    private static PatternLayout layout(LoggerContext context) {
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern(PATTERN);
        layout.start();
        return layout;
    }

    /** Formats like a real appender would, then drops the text. */
    static final class FormattingNoopAppender extends AppenderBase<ILoggingEvent> {

        private final PatternLayout layout;

        volatile long bytes;

        /** Events formatted: written under the appender's lock, read by others. */
        volatile long events;

        FormattingNoopAppender(PatternLayout layout) {
            this.layout = layout;
        }

        @Override
        protected void append(ILoggingEvent event) {
            this.bytes += this.layout.doLayout(event).length();
            this.events++;
        }

    }

}
