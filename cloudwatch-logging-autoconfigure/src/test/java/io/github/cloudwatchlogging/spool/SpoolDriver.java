package io.github.cloudwatchlogging.spool;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import io.github.cloudwatchlogging.shipping.CloudWatchLogsClients;
import io.github.cloudwatchlogging.shipping.LogShipper;
import io.github.cloudwatchlogging.shipping.SdkPutLogEventsSender;
import io.github.cloudwatchlogging.shipping.ShipperDiagnostics;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import io.github.cloudwatchlogging.shipping.ShipperStatistics;
import io.github.cloudwatchlogging.shipping.StopReport;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A small application for {@link SpoolProcessTests}, run in its own JVM so that it can be killed with SIGKILL. It
 * ships to the endpoint through a spool and says what it did on stdout, one line per fact, flushed at once:
 * <ul>
 * <li>{@code LOGGED n}: n logging calls returned (in a burst, {@code LOGGED n SENT s}: s events delivered);</li>
 * <li>{@code SPOOL key=value ...}: the spool's statistics (reason last, it may hold spaces);</li>
 * <li>{@code STOPPED millis leftInSpool}: a normal stop, how long it took and what it left in the spool.</li>
 * </ul>
 * Arguments: mode (log, burst, recover, stop), spool directory, endpoint, log group, log stream, events, batch delay
 * in ms, shutdown timeout in ms, and optionally the most events a batch takes. Events are "id-N" for N from 0.
 */
public final class SpoolDriver {

    private SpoolDriver() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path directory = Path.of(args[1]);
        URI endpoint = URI.create(args[2]);
        int events = Integer.parseInt(args[5]);
        ShipperSettings settings = ShipperSettings.builder(args[3], args[4])
            .batchDelay(Duration.ofMillis(Long.parseLong(args[6])))
            .shutdownTimeout(Duration.ofMillis(Long.parseLong(args[7])))
            .requestTimeout(Duration.ofSeconds(2))
            .retryBaseDelay(Duration.ofMillis(50))
            .retryMaxDelay(Duration.ofMillis(500))
            .queueCapacityBytes(256L * 1024 * 1024)
            .maxBatchEvents((args.length > 8) ? Integer.parseInt(args[8]) : ShipperSettings.MAX_BATCH_EVENTS)
            .spool(new SpoolSettings(directory, SpoolSettings.DEFAULT_CAPACITY_BYTES, SpoolSync.NONE))
            .build();
        // The spool's warnings and a stop's report reach stderr by themselves where the diagnostics print nothing.
        LogShipper shipper = new LogShipper(settings, ShipperDiagnostics.NONE);
        shipper.start(new SdkPutLogEventsSender(CloudWatchLogsClients.create(settings, "us-east-1", endpoint,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))), settings, true));
        switch (mode) {
            case "log" -> {
                // Every call returns before any batch is due; then wait to be killed.
                log(shipper, events, events);
                Thread.sleep(Long.MAX_VALUE);
            }
            case "burst" -> {
                // Bursts of 1,000 calls as fast as they go, 10 ms apart, saying how far it got after each, until
                // killed: the kill lands while calls are still being made.
                for (int from = 0; from < events; from += 1_000) {
                    for (int i = from; i < Math.min(events, from + 1_000); i++) {
                        shipper.offer(System.currentTimeMillis(), "id-" + i);
                    }
                    System.out.println("LOGGED " + Math.min(events, from + 1_000) + " SENT "
                            + shipper.statistics().sent());
                    System.out.flush();
                    Thread.sleep(10);
                }
                Thread.sleep(Long.MAX_VALUE);
            }
            case "recover" -> {
                // Ship what an earlier process left, log `events` more, flush, say what happened, stop.
                awaitRecovery(shipper);
                log(shipper, events, Math.max(1, events));
                while (shipper.statistics().queuedEvents() > 0) {
                    shipper.flush(Duration.ofSeconds(5));
                }
                printSpool(shipper);
                stop(shipper);
            }
            case "stop" -> {
                // Log, then stop normally at once (the endpoint may be down: the stop gives up after its timeout).
                log(shipper, events, events);
                printSpool(shipper);
                stop(shipper);
            }
            default -> throw new IllegalArgumentException(mode);
        }
        System.exit(0);
    }

    private static void log(LogShipper shipper, int events, int every) {
        for (int i = 0; i < events; i++) {
            shipper.offer(System.currentTimeMillis(), "id-" + i);
            if ((i + 1) % every == 0) {
                System.out.println("LOGGED " + (i + 1));
                System.out.flush();
            }
        }
    }

    private static void awaitRecovery(LogShipper shipper) throws InterruptedException {
        while (shipper.spoolStatistics().toRecover() > 0) {
            Thread.sleep(10);
        }
    }

    private static void printSpool(LogShipper shipper) {
        SpoolStatistics spool = shipper.spoolStatistics();
        ShipperStatistics stats = shipper.statistics();
        System.out.println("SPOOL state=" + spool.state() + " recovered=" + spool.recovered() + " duplicates="
                + spool.recoveredDuplicates() + " corrupt=" + spool.corruptRecords() + " notSpooled="
                + spool.notSpooled() + " sent=" + stats.sent() + " dropped=" + stats.droppedTotal() + " reason="
                + spool.reason());
        System.out.flush();
    }

    private static void stop(LogShipper shipper) {
        long start = System.nanoTime();
        StopReport report = shipper.stop();
        System.out.println("STOPPED " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " "
                + report.leftInSpool());
        System.out.flush();
    }

}
