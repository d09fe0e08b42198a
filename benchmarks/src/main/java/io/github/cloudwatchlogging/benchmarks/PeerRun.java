package io.github.cloudwatchlogging.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ca.pjer.logback.AwsLogsAppender;
import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.helpers.NOPAppender;
import ch.qos.logback.core.status.Status;
import com.kdgregory.logback.aws.CloudWatchAppender;
import io.github.cloudwatchlogging.logback.CloudWatchLogsAppender;
import io.github.cloudwatchlogging.shipping.ShipperStatistics;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One appender through one scenario, in a JVM of its own, against the loopback sink {@link PeerComparison} runs;
 * prints one line {@code RESULT key=value ...}. Every appender formats with {@link Pipelines#PATTERN}, logs the same
 * call with one tenant in the MDC, and sends through the AWS SDK's Apache HTTP client to the same sink.
 * <p>
 * Arguments: the appender ({@code ours}, {@code pjer}, {@code kdgregory}, {@code asyncAppender}, or
 * {@code logbackAlone}: an appender that does nothing, the floor under every call), the scenario
 * ({@code steady}, {@code burst1}, {@code burst4}, {@code burst16}, {@code heap}, {@code endToEnd}), the sink's
 * address, and optionally {@code --quick}.
 */
public final class PeerRun {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Logger logger;

    private final URI sink;

    private final boolean quick;

    /** AsyncAppender's appender, which counts what it receives in place of the sink; null for the others. */
    private final Pipelines.FormattingNoopAppender noop;

    /** Whether this is Logback with an appender that does nothing: the floor under every appender's call. */
    private final boolean logbackAlone;

    /** Events logged so far, to compare with what the sink received. */
    private long logged;

    private PeerRun(Logger logger, URI sink, boolean quick, Appender<ILoggingEvent> appender) {
        this.noop = (appender instanceof AsyncAppender async)
                ? (Pipelines.FormattingNoopAppender) async.getAppender("noop") : null;
        this.logbackAlone = appender instanceof NOPAppender;
        this.logger = logger;
        this.sink = sink;
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        String appenderName = args[0];
        String scenario = args[1];
        URI sink = URI.create(args[2]);
        boolean quick = List.of(args).contains("--quick");
        // The SDK and HTTP client log through SLF4J's own context: kept quiet, alike for every appender.
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        context.start();
        Appender<ILoggingEvent> appender = PeerAppenders.create(appenderName, scenario, context, sink);
        if (!appender.isStarted()) {
            throw new IllegalStateException(appenderName + " did not start: " + context.getStatusManager()
                .getCopyOfStatusList());
        }
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        PeerRun run = new PeerRun(context.getLogger("com.example.orders.OrderService"), sink, quick, appender);
        String result = switch (scenario) {
            case "steady" -> run.steady();
            case "burst1" -> run.burst(1);
            case "burst4" -> run.burst(4);
            case "burst16" -> run.burst(16);
            case "heap" -> run.heap(appender);
            case "endToEnd" -> run.endToEnd();
            default -> throw new IllegalArgumentException("No scenario " + scenario);
        };
        long errors = context.getStatusManager()
            .getCopyOfStatusList()
            .stream()
            .filter((status) -> status.getLevel() == Status.ERROR)
            .peek((status) -> System.out.println("Logback error: " + status))
            .count();
        System.out.println("RESULT " + result + " errors=" + errors);
        System.out.flush();
        dumpFlightRecordings();
        // Not stopped: a peer's stop may wait on a sink that holds its calls (heap), and nothing is measured after.
        Runtime.getRuntime().halt(0);
    }

    /** Writes what a profiling run (PEER_JVM_OPTIONS=-XX:StartFlightRecording=filename=...) recorded. */
    private static void dumpFlightRecordings() throws java.io.IOException {
        if (!jdk.jfr.FlightRecorder.isInitialized()) {
            return;
        }
        for (jdk.jfr.Recording recording : jdk.jfr.FlightRecorder.getFlightRecorder().getRecordings()) {
            if (recording.getDestination() != null) {
                recording.stop(); // written to its destination

            }
        }
    }

    /** 10,000 events/s from 4 threads, each call timed, after a warm-up at the same rate. */
    private String steady() throws Exception {
        LoadDriver.runAtRate(this.logger, 4, 10_000, Duration.ofSeconds(this.quick ? 1 : 10));
        Duration measured = Duration.ofSeconds(this.quick ? 2 : 30);
        long[] service = LoadDriver.runAtRate(this.logger, 4, 10_000, measured)[0];
        this.logged = 10_000L * (this.quick ? 3 : 40);
        long delivered = awaitDelivered();
        return String.format(Locale.ROOT, "medianNs=%d p99Ns=%d p999Ns=%d logged=%d delivered=%d",
                LoadDriver.percentile(service, 50), LoadDriver.percentile(service, 99),
                LoadDriver.percentile(service, 99.9), this.logged, delivered);
    }

    /**
     * Bursts of 100,000 events from the given number of threads, as fast as they can call, each call timed: three
     * warm-up bursts, then five measured, each followed by a wait until the sink has them all (or stops receiving).
     * The wall time per event is the median burst's: one burst of a fraction of a second is at the mercy of a GC.
     */
    private String burst(int threads) throws Exception {
        int events = this.quick ? 10_000 : 100_000;
        int measured = this.quick ? 1 : 5;
        for (int i = 0; i < (this.quick ? 1 : 3); i++) {
            burstOnce(threads, events);
            awaitDelivered();
        }
        long[][] calls = new long[measured][];
        long deliveredBefore = delivered();
        long loggedBefore = this.logged;
        long[] wall = new long[measured];
        for (int i = 0; i < measured; i++) {
            long[][] times = new long[threads][];
            wall[i] = burstOnce(threads, events, times);
            calls[i] = LoadDriver.flattenSorted(times);
            awaitDelivered();
        }
        long walls = java.util.Arrays.stream(wall).sum();
        java.util.Arrays.sort(wall);
        long[] all = LoadDriver.flattenSorted(calls);
        long delivered = delivered() - deliveredBefore;
        return String.format(Locale.ROOT,
                "wallNsPerEvent=%d medianNs=%d p99Ns=%d logged=%d delivered=%d meanWallNsPerEvent=%d",
                wall[measured / 2] / events, LoadDriver.percentile(all, 50), LoadDriver.percentile(all, 99),
                this.logged - loggedBefore, delivered, walls / measured / events);
    }

    private long burstOnce(int threads, int events) throws InterruptedException {
        return burstOnce(threads, events, new long[threads][]);
    }

    /** Returns the wall time from the start signal until the last thread's last call returned. */
    private long burstOnce(int threads, int events, long[][] times) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        int perThread = events / threads;
        for (int t = 0; t < threads; t++) {
            int thread = t;
            times[t] = new long[perThread];
            new Thread(() -> {
                long[] mine = times[thread];
                ready.countDown();
                try {
                    go.await();
                }
                catch (InterruptedException ex) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    Pipelines.nextTenant(i);
                    long begin = System.nanoTime();
                    this.logger.info(Pipelines.MESSAGE, i, "c-1042", 3);
                    mine[i] = System.nanoTime() - begin;
                }
                done.countDown();
            }, "producer-" + t).start();
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        done.await();
        long wall = System.nanoTime() - start;
        this.logged += (long) perThread * threads;
        return wall;
    }

    /**
     * Heap retained by a backlog of 200,000 events the sink never takes (it holds every PutLogEvents call): queued,
     * batched and in flight, after a full GC, less the heap before the first event.
     */
    private String heap(Appender<ILoggingEvent> appender) throws Exception {
        int events = this.quick ? 20_000 : 200_000;
        Thread.sleep(1_000); // the appender's own start-up (a peer's first describe calls) settles
        long before = LoadDriver.usedHeapAfterGc();
        for (int i = 0; i < events; i++) {
            Pipelines.nextTenant(i);
            this.logger.info(Pipelines.MESSAGE, i, "c-1042", 3);
        }
        Thread.sleep(3_000); // batches formed and sent: what is in flight is held too
        long after = LoadDriver.usedHeapAfterGc();
        long dropped = -1;
        if (appender instanceof CloudWatchLogsAppender ours) {
            ShipperStatistics statistics = ours.getStatistics();
            dropped = (statistics != null) ? statistics.droppedTotal() : -1;
        }
        return String.format(Locale.ROOT, "heapBytes=%d events=%d droppedByOwnCount=%d", after - before, events,
                dropped);
    }

    /**
     * 1,000,000 events from 4 threads as fast as they can, until the sink received them all: events per second
     * delivered, and this JVM's CPU time per delivered event (the sink runs in another JVM).
     */
    private String endToEnd() throws Exception {
        int events = this.quick ? 50_000 : 1_000_000;
        burstOnce(4, this.quick ? 10_000 : 100_000); // warm-up, delivered before the clock starts
        awaitDelivered();
        long deliveredBefore = delivered();
        java.util.Map<String, Long> threadsBefore = cpuByThreadKind();
        long cpuBefore = LoadDriver.processCpuNanos();
        long start = System.nanoTime();
        burstOnce(4, events);
        long delivered = awaitDelivered() - deliveredBefore;
        long elapsed = this.lastProgressNanos - start;
        long cpu = LoadDriver.processCpuNanos() - cpuBefore;
        if (System.getenv("PEER_THREAD_CPU") != null) {
            cpuByThreadKind().forEach((kind, nanos) -> System.out.printf(Locale.ROOT, "thread cpu %s: %d ns/event%n",
                    kind, (nanos - threadsBefore.getOrDefault(kind, 0L)) / Math.max(1, delivered)));
        }
        return String.format(Locale.ROOT, "eventsPerSecond=%.0f cpuNsPerEvent=%d logged=%d delivered=%d",
                delivered / (elapsed / 1e9), cpu / Math.max(1, delivered), events, delivered);
    }

    /** CPU time of the live threads, by name with its numbers left out; JVM threads (GC, JIT) are not among them. */
    private static java.util.Map<String, Long> cpuByThreadKind() {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> byKind = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo info : bean.getThreadInfo(bean.getAllThreadIds())) {
            if (info != null) {
                long cpu = bean.getThreadCpuTime(info.getThreadId());
                byKind.merge(info.getThreadName().replaceAll("[0-9]+", "N"), Math.max(0, cpu), Long::sum);
            }
        }
        return byKind;
    }

    /** When the sink's count last grew, in {@link System#nanoTime()}. */
    private long lastProgressNanos;

    /**
     * Waits until the sink received every event logged so far, or received nothing for 5 seconds (1 in a quick run;
     * an appender that dropped some never gets there); returns what it received in all.
     */
    private long awaitDelivered() throws Exception {
        long received = delivered();
        long lastChange = System.nanoTime();
        this.lastProgressNanos = lastChange;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (received < this.logged && System.nanoTime() - lastChange < TimeUnit.SECONDS.toNanos(this.quick ? 1 : 5)
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
            long now = delivered();
            if (now != received) {
                received = now;
                lastChange = System.nanoTime();
                this.lastProgressNanos = lastChange;
            }
        }
        return received;
    }

    private long delivered() throws Exception {
        if (this.noop != null) {
            return this.noop.events;
        }
        if (this.logbackAlone) {
            return this.logged; // no appender: nothing to deliver, nothing lost
        }
        HttpRequest request = HttpRequest.newBuilder(this.sink.resolve("/stats")).build();
        String body = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
        return Long.parseLong(body.substring(0, body.indexOf(' ')));
    }

    /** The four appenders, each configured as its documentation says, against the sink, with the same layout. */
    static final class PeerAppenders {

        private PeerAppenders() {
        }

        static Appender<ILoggingEvent> create(String name, String scenario, LoggerContext context, URI sink) {
            PatternLayout layout = new PatternLayout();
            layout.setContext(context);
            layout.setPattern(Pipelines.PATTERN);
            layout.start();
            Appender<ILoggingEvent> appender = switch (name) {
                case "ours" -> ours(scenario, sink, layout);
                case "pjer" -> pjer(sink, layout);
                case "kdgregory" -> kdgregory(sink, layout);
                case "asyncAppender" -> asyncAppender(context, layout);
                case "logbackAlone" -> new NOPAppender<>();
                default -> throw new IllegalArgumentException("No appender " + name);
            };
            appender.setContext(context);
            appender.setName(name);
            appender.start();
            return appender;
        }

        /**
         * Our stand-alone appender with its defaults, but: a queue of 64 MB for a burst of 100,000 events (32 MB,
         * the default, holds about 100,000 of these), 128 MB for the 200,000-event backlog, and BLOCK end to end,
         * where a million events are logged faster than any appender sends them and none may be lost.
         */
        private static Appender<ILoggingEvent> ours(String scenario, URI sink, PatternLayout layout) {
            CloudWatchLogsAppender appender = new CloudWatchLogsAppender();
            appender.setLogGroup("/bench");
            appender.setLogStream("ours");
            appender.setRegion("us-east-1");
            appender.setEndpoint(sink.toString());
            appender.setLayout(layout);
            switch (scenario) {
                case "heap" -> appender.setQueueCapacity("128MB");
                case "endToEnd" -> {
                    appender.setOverflowPolicy("BLOCK");
                    appender.setBlockTimeout("60s");
                }
                default -> appender.setQueueCapacity("64MB");
            }
            return appender;
        }

        /**
         * pjer's with its defaults, but a flush time of 1 s: without one it sends each event on the logging thread,
         * synchronously. Asynchronous, it drops what its queue cannot hold.
         */
        private static Appender<ILoggingEvent> pjer(URI sink, PatternLayout layout) {
            AwsLogsAppender appender = new AwsLogsAppender();
            appender.setLogGroupName("/bench");
            appender.setLogStreamName("pjer");
            appender.setLogRegion("us-east-1");
            appender.setCloudWatchEndpoint(sink.toString());
            appender.setAccessKeyId("bench");
            appender.setSecretAccessKey("bench");
            appender.setMaxFlushTimeMillis(1_000);
            appender.setLayout(layout);
            return appender;
        }

        /** kdgregory's with its defaults, but a discard threshold of 1,000,000 so that it loses nothing here. */
        private static Appender<ILoggingEvent> kdgregory(URI sink, PatternLayout layout) {
            CloudWatchAppender appender = new CloudWatchAppender();
            appender.setLogGroup("/bench");
            appender.setLogStream("kdgregory");
            appender.setClientRegion("us-east-1");
            appender.setClientEndpoint(sink.toString());
            appender.setDiscardThreshold(1_000_000);
            appender.setLayout(layout);
            return appender;
        }

        /** Logback's AsyncAppender (256 slots, never discarding) before an appender that formats and drops. */
        private static Appender<ILoggingEvent> asyncAppender(LoggerContext context, PatternLayout layout) {
            Pipelines.FormattingNoopAppender noop = new Pipelines.FormattingNoopAppender(layout);
            noop.setContext(context);
            noop.setName("noop");
            noop.start();
            AsyncAppender async = new AsyncAppender();
            async.setDiscardingThreshold(0);
            async.addAppender(noop);
            return async;
        }

    }

}
