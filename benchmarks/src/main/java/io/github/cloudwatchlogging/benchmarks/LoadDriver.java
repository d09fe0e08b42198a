package io.github.cloudwatchlogging.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.cloudwatchlogging.shipping.CloudWatchLogsClients;
import io.github.cloudwatchlogging.shipping.OverflowPolicy;
import io.github.cloudwatchlogging.shipping.SdkPutLogEventsSender;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import io.github.cloudwatchlogging.shipping.ShipperStatistics;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The measurements JMH is not the tool for: the logging call at a fixed rate (so that stalls are not hidden),
 * heap retained by a backlog, end-to-end throughput to a loopback HTTP sink, and start-up time. Prints Markdown.
 * {@code --quick} runs every part briefly, so CI proves they still run; its figures mean little.
 */
public final class LoadDriver {

    private final boolean quick;

    private LoadDriver(boolean quick) {
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        boolean steadyOnly = Arrays.asList(args).contains("--steady-only");
        boolean endToEndOnly = Arrays.asList(args).contains("--end-to-end-only");
        boolean startupOnly = Arrays.asList(args).contains("--startup-only");
        LoadDriver driver = new LoadDriver(quick);
        System.out.printf("Machine: %d cores, %s, %s %s; %s run%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.arch"), System.getProperty("java.vm.name"), System.getProperty("java.version"),
                quick ? "quick (figures not meaningful)" : "full");
        if (endToEndOnly) {
            driver.endToEnd();
            return;
        }
        if (startupOnly) {
            driver.startup();
            return;
        }
        driver.steadyRate();
        if (steadyOnly) {
            return;
        }
        driver.retainedHeap();
        driver.endToEnd();
        driver.startup();
    }

    /** 10,000 events/s from 4 threads, each call timed; both pipelines in the same run. */
    private void steadyRate() throws InterruptedException {
        Duration duration = this.quick ? Duration.ofSeconds(2) : Duration.ofSeconds(30);
        Duration warmup = this.quick ? Duration.ofSeconds(1) : Duration.ofSeconds(10);
        System.out.println();
        System.out.println("## Logging call at a steady 10,000 events/s from 4 threads (" + duration.toSeconds()
                + " s measured after " + warmup.toSeconds() + " s warm-up)");
        System.out.println();
        System.out.println("| pipeline | median | p99 | p99.9 | max | p99 from intended start | dropped |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int round = 0; round < 2; round++) {
            for (String name : List.of("cloudwatch", "cloudwatch+spool", "cloudwatch+tenants", "asyncAppender",
                    "formatOnly", "noAppender")) {
                Pipelines.Pipeline pipeline = switch (name) {
                    case "cloudwatch" -> Pipelines.cloudWatch(Pipelines.acceptingSink(), OverflowPolicy.DROP_OLDEST, 4);
                    case "cloudwatch+tenants" -> Pipelines.cloudWatchPerTenant(Pipelines.acceptingSink(),
                            OverflowPolicy.DROP_OLDEST, 4);
                    case "cloudwatch+spool" -> Pipelines.cloudWatch(Pipelines.acceptingSink(),
                            OverflowPolicy.DROP_OLDEST, 4, true);
                    case "asyncAppender" -> Pipelines.asyncAppender();
                    case "formatOnly" -> Pipelines.formatOnly();
                    default -> Pipelines.noAppender();
                };
                runAtRate(pipeline.logger(), 4, 10_000, warmup);
                long[][] samples = runAtRate(pipeline.logger(), 4, 10_000, duration);
                pipeline.stop();
                if (round == 1 || this.quick) {
                    long dropped = (pipeline.shipper() != null) ? pipeline.shipper().statistics().droppedTotal() : 0;
                    long[] service = samples[0];
                    long[] response = samples[1];
                    System.out.printf("| %s | %s | %s | %s | %s | %s | %d |%n", name, micros(percentile(service, 50)),
                            micros(percentile(service, 99)), micros(percentile(service, 99.9)),
                            micros(service[service.length - 1]), micros(percentile(response, 99)), dropped);
                }
            }
            if (this.quick) {
                break;
            }
        }
    }

    /** Returns sorted service times (call start to end) and response times (intended start to end), in ns. */
    static long[][] runAtRate(org.slf4j.Logger logger, int threads, int ratePerSecond, Duration duration)
            throws InterruptedException {
        long interval = TimeUnit.SECONDS.toNanos(1) * threads / ratePerSecond;
        int perThread = (int) (duration.toNanos() / interval);
        long[][] service = new long[threads][perThread];
        long[][] response = new long[threads][perThread];
        CountDownLatch done = new CountDownLatch(threads);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                long intended = start + thread * (interval / threads);
                for (int i = 0; i < perThread; i++) {
                    long wait = intended - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    Pipelines.nextTenant(i); // every pipeline alike, before the timed call
                    long begin = System.nanoTime();
                    logger.info(Pipelines.MESSAGE, i, "c-1042", 3);
                    long end = System.nanoTime();
                    service[thread][i] = end - begin;
                    response[thread][i] = end - Math.min(begin, intended);
                    intended += interval;
                }
                done.countDown();
            }, "producer-" + t);
            worker.start();
        }
        done.await();
        return new long[][] { flattenSorted(service), flattenSorted(response) };
    }

    /** Heap after GC per queued event, for a backlog the shipper cannot send (it is not started). */
    private void retainedHeap() throws InterruptedException {
        System.out.println();
        System.out.println("## Heap retained by a backlog");
        retainedHeap(false);
        retainedHeap(true);
    }

    private void retainedHeap(boolean spooled) throws InterruptedException {
        int events = this.quick ? 20_000 : 200_000;
        long before = usedHeapAfterGc();
        Pipelines.Pipeline pipeline = Pipelines.cloudWatch(null, OverflowPolicy.DROP_NEWEST, 4, spooled);
        for (int i = 0; i < events; i++) {
            pipeline.logger().info(Pipelines.MESSAGE, i, "c-1042", 3);
        }
        long after = usedHeapAfterGc();
        ShipperStatistics statistics = pipeline.shipper().statistics();
        System.out.println();
        System.out.printf("%s: %d events of %d bytes queued (%d dropped): %.0f bytes of heap per event after GC; "
                + "the queue budget counted %.0f bytes per event%n", spooled ? "spool on" : "spool off",
                statistics.queuedEvents(),
                statistics.queuedBytes() / Math.max(1, statistics.queuedEvents()) - 64, statistics.droppedTotal(),
                (after - before) / (double) events, statistics.queuedBytes() / (double) events);
        pipeline.context().stop();
    }

    /** As fast as 4 threads can log, through the SDK client and HTTP, to a sink on loopback. */
    private void endToEnd() throws Exception {
        int events = this.quick ? 50_000 : 1_000_000;
        System.out.println();
        System.out.println("## End to end to a loopback PutLogEvents sink (" + events + " events from 4 threads)");
        System.out.println();
        System.out.println("| in flight | events/s | CPU s per 100,000 events (JVM less the sink) | lost |");
        System.out.println("|---|---|---|---|");
        for (int inFlight : List.of(1, 4)) {
            try (LoopbackSink sink = new LoopbackSink(0)) {
                ShipperSettings settings = ShipperSettings.builder("/bench", "bench").maxInFlight(inFlight).build();
                var client = CloudWatchLogsClients.create(settings, "us-east-1", sink.endpoint(),
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")));
                Pipelines.Pipeline pipeline = Pipelines.cloudWatch(new SdkPutLogEventsSender(client, settings, true),
                        OverflowPolicy.BLOCK, inFlight);
                long cpuBefore = processCpuNanos() - threadsCpuNanos(sink.threads);
                long start = System.nanoTime();
                CountDownLatch done = new CountDownLatch(4);
                for (int t = 0; t < 4; t++) {
                    new Thread(() -> {
                        for (int i = 0; i < events / 4; i++) {
                            pipeline.logger().info(Pipelines.MESSAGE, i, "c-1042", 3);
                        }
                        done.countDown();
                    }, "producer-" + t).start();
                }
                done.await();
                // Throughput, not the batch delay: the last partial batch goes at once, as at a context's close.
                pipeline.shipper().flush(java.time.Duration.ofMinutes(3));
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                while (sink.events.get() < events && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                long elapsed = System.nanoTime() - start;
                long cpu = processCpuNanos() - threadsCpuNanos(sink.threads) - cpuBefore;
                long received = sink.events.get();
                pipeline.stop();
                System.out.printf(Locale.ROOT, "| %d | %,.0f | %.2f | %d |%n", inFlight, received / (elapsed / 1e9),
                        cpu / 1e9 / (events / 100_000.0), events - received);
            }
        }
    }

    /** JVM uptime when a minimal application is ready, with shipping off and on; fresh JVMs, alternating. */
    private void startup() throws Exception {
        int runs = this.quick ? 1 : 7;
        String classpath = System.getProperty("java.class.path");
        List<Long> without = new ArrayList<>();
        List<Long> with = new ArrayList<>();
        // Every answer takes 1 s: a network call on the main thread would show as a full second more.
        try (LoopbackSink slowSink = new LoopbackSink(1_000)) {
            for (int i = 0; i < runs; i++) {
                without.add(startOnce(classpath, List.of()));
                with.add(startOnce(classpath, List.of("--logging.cloudwatch.log-group=/bench/startup",
                        "--logging.cloudwatch.endpoint=" + slowSink.endpoint(), "--logging.cloudwatch.region=us-east-1")));
            }
        }
        without.sort(null);
        with.sort(null);
        long medianWithout = without.get(without.size() / 2);
        long medianWith = with.get(with.size() / 2);
        System.out.println();
        System.out.println("## Start-up of a minimal application (JVM uptime when ready, median of " + runs + ")");
        System.out.println();
        System.out.println("| shipping | median ms | all runs |");
        System.out.println("|---|---|---|");
        System.out.println("| off | " + medianWithout + " | " + without + " |");
        System.out.println("| on (endpoint answers after 1 s) | " + medianWith + " | " + with + " |");
        System.out.println();
        System.out.println("Added by shipping: " + (medianWith - medianWithout) + " ms (median)");
    }

    private static long startOnce(String classpath, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java", "-cp", classpath,
                StartupApp.class.getName(), "--spring.main.banner-mode=off", "--logging.level.root=INFO"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("AWS_ACCESS_KEY_ID", "bench");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "bench");
        builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        Process process = builder.start();
        long startup = -1;
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("STARTUP_MS=")) {
                    startup = Long.parseLong(line.substring("STARTUP_MS=".length()));
                }
            }
        }
        if (!process.waitFor(2, TimeUnit.MINUTES) || startup < 0) {
            throw new IllegalStateException("The start-up run did not report its time: " + command);
        }
        return startup;
    }

    static long[] flattenSorted(long[][] perThread) {
        long[] all = Arrays.stream(perThread).flatMapToLong(Arrays::stream).toArray();
        Arrays.sort(all);
        return all;
    }

    static long percentile(long[] sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.2f us", nanos / 1000.0);
    }

    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    private static long threadsCpuNanos(List<Thread> threads) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread thread : threads) {
            long cpu = bean.getThreadCpuTime(thread.getId());
            total += Math.max(0, cpu);
        }
        return total;
    }

}
