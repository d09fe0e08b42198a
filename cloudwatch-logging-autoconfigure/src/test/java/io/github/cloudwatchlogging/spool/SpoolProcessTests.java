package io.github.cloudwatchlogging.spool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.cloudwatchlogging.testsupport.MotoServer;
import io.github.cloudwatchlogging.testsupport.RunningApps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spool's promises proven with real processes ({@link SpoolDriver}) against moto: killed with SIGKILL, stopped
 * during an outage, on a disk that refuses to grow a file, and two at once on one directory.
 */
class SpoolProcessTests {

    private static final Pattern ID = Pattern.compile("id-(\\d+)");

    private static final Pattern LOGGED = Pattern.compile("LOGGED (\\d+).*");

    private final MotoServer moto = MotoServer.get();

    private final List<Driver> drivers = new ArrayList<>();

    @TempDir
    Path directory;

    @AfterEach
    void killAll() {
        this.drivers.forEach((driver) -> driver.process.destroyForcibly());
    }

    @Test
    void killedAfterItsCallsReturnedAndBeforeAnyBatchWasDueTheNextStartDeliversEveryEventExactlyOnce()
            throws Exception {
        String stream = "kill-before-due";
        Driver first = start("log", this.moto.endpoint().toString(), stream, 2_000, 3_600_000);
        first.await("LOGGED 2000");
        first.kill();

        Driver second = start("recover", this.moto.endpoint().toString(), stream, 0, 100);
        Map<String, String> spool = second.spool();
        second.awaitExit();
        Map<Integer, Integer> arrived = arrivals(stream);
        assertThat(arrived).hasSize(2_000);
        assertThat(arrived.values()).allMatch((count) -> count == 1);
        assertThat(spool).containsEntry("recovered", "2000").containsEntry("duplicates", "0")
            .containsEntry("corrupt", "0");
    }

    @Test
    void killedInTheMiddleOfABurstEveryReturnedCallArrivesAndDuplicatesOnlyAsCounted() throws Exception {
        String stream = "kill-in-burst";
        // 100,000 calls in bursts of 1,000 every 10 ms, in batches of at most 200 events (4 calls under way at a time); killed
        // once 20,000 calls have returned and the first batch has arrived, so that it dies mid-delivery.
        Driver first = launch(command(this.directory, "burst", this.moto.endpoint().toString(), stream, 100_000, 20,
                10_000, "200"));
        first.await("LOGGED ([2-9]\\d{4}|\\d{6,}) SENT [1-9]\\d*");
        first.kill();
        int returned = first.lastProgress();
        int deliveredBeforeTheKill = arrivals(stream).size();
        assertThat(deliveredBeforeTheKill).as("delivered before the kill").isPositive();

        Driver second = start("recover", this.moto.endpoint().toString(), stream, 0, 20);
        Map<String, String> spool = second.spool();
        second.awaitExit();
        Map<Integer, Integer> arrived = arrivals(stream);
        for (int id = 0; id < returned; id++) {
            assertThat(arrived).as("id-%d, whose logging call had returned", id).containsKey(id);
        }
        long twice = arrived.values().stream().filter((count) -> count > 1).count();
        assertThat(arrived.values()).allMatch((count) -> count <= 2);
        assertThat(twice).as("events delivered twice").isLessThanOrEqualTo(Long.parseLong(spool.get("duplicates")));
        assertThat(arrived.keySet()).allMatch((id) -> id < 100_000);
        System.out.printf("kill in a burst: at least %d of 100,000 calls had returned, %d events had arrived before the kill, "
                + "%d arrived in all, %s recovered, %d twice (%s counted as possible duplicates), %s corrupt%n",
                returned, deliveredBeforeTheKill, arrived.size(), spool.get("recovered"), twice,
                spool.get("duplicates"), spool.get("corrupt"));
    }

    @Test
    void anOutageLongerThanTheShutdownTimeoutThenANormalStopTheNextStartDeliversEverything() throws Exception {
        String stream = "outage-at-stop";
        Driver first = start("stop", RunningApps.unreachableEndpoint(), stream, 5_000, 50, 1_000);
        Matcher stopped = first.await("STOPPED (\\d+) (\\d+)");
        first.awaitExit();
        assertThat(Long.parseLong(stopped.group(1))).as("stop took, ms").isLessThan(1_000 + 1_500);
        assertThat(stopped.group(2)).as("left in the spool").isEqualTo("5000");

        Driver second = start("recover", this.moto.endpoint().toString(), stream, 0, 50);
        assertThat(second.spool()).containsEntry("recovered", "5000");
        second.awaitExit();
        Map<Integer, Integer> arrived = arrivals(stream);
        assertThat(arrived).hasSize(5_000);
        assertThat(arrived.values()).allMatch((count) -> count == 1);
    }

    @Test
    void aDiskThatRefusesToGrowTheFileLeavesTheAppShippingFromMemoryAndSaysWhy() throws Exception {
        // RLIMIT_FSIZE of 1 MB: writing a 32 MB segment fails with EFBIG, as a full disk fails with ENOSPC.
        String stream = "disk-full";
        Driver driver = startWithFileSizeLimit(1024, "recover", this.moto.endpoint().toString(), stream, 300, 50);
        Map<String, String> spool = driver.spool();
        driver.awaitExit();
        assertThat(spool).containsEntry("state", "DEGRADED").containsEntry("notSpooled", "300");
        assertThat(spool.get("reason")).contains("cannot create a segment").containsIgnoringCase("file too large");
        assertThat(arrivals(stream)).hasSize(300);
    }

    @Test
    void aSecondProcessOnTheSameDirectoryShipsFromMemoryAndSaysWhichProcessHoldsIt() throws Exception {
        String stream = "second-process";
        Driver holder = start("log", this.moto.endpoint().toString(), stream + "-holder", 10, 3_600_000);
        holder.await("LOGGED 10");
        Driver second = start("recover", this.moto.endpoint().toString(), stream, 200, 50);
        Map<String, String> spool = second.spool();
        second.awaitExit();
        assertThat(spool).containsEntry("state", "UNAVAILABLE");
        assertThat(spool.get("reason")).contains("another process uses it (pid " + holder.process.pid());
        assertThat(arrivals(stream)).hasSize(200);
    }

    @Test
    void aDirectoryThatIsNotWritableLeavesTheAppShippingFromMemoryAndSaysWhy() throws Exception {
        Path readOnly = Files.createDirectory(this.directory.resolveSibling(this.directory.getFileName() + "-ro"));
        readOnly.toFile().setWritable(false, false);
        // Root writes anywhere; /proc refuses a directory even to root.
        Path spool = Files.isWritable(readOnly) ? Path.of("/proc/self/cloudwatch-spool") : readOnly.resolve("spool");
        String stream = "read-only";
        Driver driver = start(spool, "recover", this.moto.endpoint().toString(), stream, 100, 50, 10_000);
        Map<String, String> stats = driver.spool();
        driver.awaitExit();
        readOnly.toFile().setWritable(true, false);
        assertThat(stats).containsEntry("state", "UNAVAILABLE");
        assertThat(stats.get("reason")).containsAnyOf("not writable", "cannot be created");
        assertThat(arrivals(stream)).hasSize(100);
    }

    private Map<Integer, Integer> arrivals(String stream) {
        Map<Integer, Integer> counts = new HashMap<>();
        List<String> messages;
        try {
            messages = this.moto.messages("/spool/process", stream);
        }
        catch (ResourceNotFoundException ex) {
            return counts; // nothing created yet
        }
        for (String message : messages) {
            Matcher matcher = ID.matcher(message);
            assertThat(matcher.matches()).as("message %s", message).isTrue();
            counts.merge(Integer.parseInt(matcher.group(1)), 1, Integer::sum);
        }
        return counts;
    }


    private Driver start(String mode, String endpoint, String stream, int events, long batchDelayMillis)
            throws IOException {
        return start(mode, endpoint, stream, events, batchDelayMillis, 10_000);
    }

    private Driver start(String mode, String endpoint, String stream, int events, long batchDelayMillis,
            long shutdownMillis) throws IOException {
        return start(this.directory, mode, endpoint, stream, events, batchDelayMillis, shutdownMillis);
    }

    private Driver start(Path spool, String mode, String endpoint, String stream, int events, long batchDelayMillis,
            long shutdownMillis) throws IOException {
        return launch(command(spool, mode, endpoint, stream, events, batchDelayMillis, shutdownMillis));
    }

    private Driver startWithFileSizeLimit(int kilobytes, String mode, String endpoint, String stream, int events,
            long batchDelayMillis) throws IOException {
        List<String> java = command(this.directory, mode, endpoint, stream, events, batchDelayMillis, 10_000);
        StringBuilder line = new StringBuilder("ulimit -f " + kilobytes + " && exec");
        java.forEach((arg) -> line.append(" '").append(arg.replace("'", "'\\''")).append('\''));
        return launch(List.of("bash", "-c", line.toString()));
    }

    private static List<String> command(Path spool, String mode, String endpoint, String stream, int events,
            long batchDelayMillis, long shutdownMillis, String... more) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"), SpoolDriver.class.getName(), mode,
                spool.toString(), endpoint, "/spool/process", stream, Integer.toString(events),
                Long.toString(batchDelayMillis), Long.toString(shutdownMillis)));
        command.addAll(List.of(more));
        return command;
    }

    private Driver launch(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        Driver driver = new Driver(builder.start());
        this.drivers.add(driver);
        return driver;
    }

    /** A running driver and the lines it printed. */
    private static final class Driver {

        private final Process process;

        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private final Thread reader;

        /** The highest "LOGGED n" the driver printed: at least that many of its calls had returned. */
        private volatile int progress;

        Driver(Process process) {
            this.process = process;
            this.reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        Matcher logged = LOGGED.matcher(line);
                        if (logged.matches()) {
                            this.progress = Math.max(this.progress, Integer.parseInt(logged.group(1)));
                        }
                        this.lines.add(line);
                    }
                }
                catch (IOException ex) {
                    // the process is gone
                }
            });
            this.reader.setDaemon(true);
            this.reader.start();
        }

        Matcher await(String regex) throws InterruptedException {
            Pattern pattern = Pattern.compile(regex);
            while (true) {
                String line = this.lines.poll(60, TimeUnit.SECONDS);
                assertThat(line).as("a line matching %s from the driver", regex).isNotNull();
                Matcher matcher = pattern.matcher(line);
                if (matcher.matches()) {
                    return matcher;
                }
            }
        }

        /** After {@link #kill}: at least this many logging calls had returned. */
        int lastProgress() {
            return this.progress;
        }

        Map<String, String> spool() throws InterruptedException {
            Matcher line = await("SPOOL (.*) reason=(.*)");
            Map<String, String> values = new HashMap<>();
            for (String pair : line.group(1).split(" ")) {
                String[] parts = pair.split("=", 2);
                values.put(parts[0], parts[1]);
            }
            values.put("reason", line.group(2));
            return values;
        }

        void kill() throws InterruptedException {
            this.process.destroyForcibly(); // SIGKILL
            assertThat(this.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(this.process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
            this.reader.join(10_000); // every line it printed before it died is read
        }

        void awaitExit() throws InterruptedException {
            assertThat(this.process.waitFor(60, TimeUnit.SECONDS)).as("the driver exits").isTrue();
            assertThat(this.process.exitValue()).isZero();
        }

    }

}
