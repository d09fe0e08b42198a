package io.github.cloudwatchlogging.shipping;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import io.github.cloudwatchlogging.spool.SpoolSettings;
import io.github.cloudwatchlogging.spool.SpoolStatistics;
import io.github.cloudwatchlogging.spool.SpoolSync;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The spool seen from the shipper, in one JVM: what a stop gives up on is kept and shipped by the next shipper on
 * the directory, damage is counted and skipped, and a spool that cannot be used never stops shipping from memory.
 * The process-level proofs (SIGKILL, a real disk limit, a second process) are in SpoolProcessTests.
 */
class SpoolShipperTests {

    @RegisterExtension
    final Shippers shippers = new Shippers();

    @TempDir
    Path directory;

    private ShipperSettingsBuilder settings(Path spool) {
        return Shippers.settings(Duration.ofMillis(20))
            .shutdownTimeout(Duration.ofMillis(300))
            .spool(new SpoolSettings(spool, 8L * 1024 * 1024, SpoolSync.NONE));
    }

    private static RecordingSender unavailable() {
        return new RecordingSender((call) -> {
            throw (CloudWatchLogsException) CloudWatchLogsException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ServiceUnavailableException").build())
                .statusCode(503)
                .build();
        });
    }

    private static List<String> messages(RecordingSender sender) {
        List<String> messages = new ArrayList<>();
        for (Batch batch : sender.accepted) {
            for (LogEvent event : batch.events()) {
                messages.add(new String(event.message(), StandardCharsets.UTF_8));
            }
        }
        return messages;
    }

    private static List<String> ids(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add("event " + i);
        }
        return ids;
    }

    private LogShipper loggedDuringAnOutage(int events) {
        LogShipper first = this.shippers.create(settings(this.directory));
        first.start(unavailable());
        for (int i = 0; i < events; i++) {
            assertThat(first.offer(System.currentTimeMillis(), "event " + i)).isTrue();
        }
        return first;
    }

    @Test
    void whatAStopGaveUpOnIsKeptAndTheNextStartShipsItExactlyOnce() {
        LogShipper first = loggedDuringAnOutage(500);
        StopReport report = first.stop();
        assertThat(report.undelivered()).isZero();
        assertThat(report.leftInSpool()).isEqualTo(500);
        assertThat(report.statistics().dropped().get(DropReason.LEFT_IN_SPOOL)).isEqualTo(500);
        assertThat(report.statistics().unaccounted()).isZero();

        LogShipper second = this.shippers.create(settings(this.directory));
        RecordingSender healthy = RecordingSender.acceptingAll();
        second.start(healthy);
        awaitRecovered(second, 500);
        assertThat(second.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(messages(healthy)).containsExactlyInAnyOrderElementsOf(ids(0, 500));
        SpoolStatistics spool = second.spoolStatistics();
        assertThat(spool.recovered()).isEqualTo(500);
        assertThat(spool.corruptRecords()).isZero();
        second.stop();

        // Everything settled: a third start finds nothing to ship, and the old segments are gone.
        LogShipper third = this.shippers.create(settings(this.directory));
        RecordingSender again = RecordingSender.acceptingAll();
        third.start(again);
        assertThat(third.flush(Duration.ofSeconds(5)).completed()).isTrue();
        assertThat(third.spoolStatistics().recovered()).isZero();
        assertThat(again.acceptedEvents()).isZero();
        assertThat(third.spoolStatistics().segments()).isLessThanOrEqualTo(2); // the one it writes, and a spare
    }

    @Test
    void onlyRecordsHandedToASenderBeforeTheStopAreCountedAsPossibleDuplicates() throws Exception {
        // Review finding: records were marked when the worker cut their batch, also batches never sent. One call
        // under way (1 in flight, 10 events a batch) holds 10 records; the other 40 were never handed over.
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        LogShipper first = this.shippers.create(settings(this.directory).maxInFlight(1).maxBatchEvents(10));
        first.start(new RecordingSender((call) -> {
            inCall.countDown();
            try {
                never.await(); // a call whose answer never comes: the service may have accepted it
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("no answer");
        }));
        for (int i = 0; i < 50; i++) {
            first.offer(System.currentTimeMillis(), "event " + i);
        }
        first.flush(Duration.ZERO);
        inCall.await();
        Thread.sleep(100); // the worker cuts the next batch and waits for the one sender
        assertThat(first.stop().leftInSpool()).isEqualTo(50);

        LogShipper second = this.shippers.create(settings(this.directory));
        RecordingSender healthy = RecordingSender.acceptingAll();
        second.start(healthy);
        awaitRecovered(second, 50);
        assertThat(second.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(messages(healthy)).containsExactlyInAnyOrderElementsOf(ids(0, 50));
        assertThat(second.spoolStatistics().recoveredDuplicates()).isEqualTo(10);
        never.countDown();
    }

    @Test
    void eachRecoveredEventGoesToTheGroupAndStreamItWasMeantForWithItsTimestamp() {
        // Never started: the worker never looked at the timestamps, the stop keeps everything.
        LogShipper first = this.shippers.create(settings(this.directory));
        Destination audit = first.addDestination("audit", "audit-group", "audit-stream");
        long old = System.currentTimeMillis() - Duration.ofHours(3).toMillis();
        first.offer(old, "to both".getBytes(StandardCharsets.UTF_8), new Destination[] { first.mainDestination(), audit });
        first.offer(System.currentTimeMillis() - Duration.ofDays(15).toMillis(), "too old by now");
        assertThat(first.stop().leftInSpool()).isEqualTo(3);

        // The next configuration names another main stream and no audit route.
        LogShipper second = this.shippers.create(settings(this.directory).logStream("other-stream"));
        RecordingSender healthy = RecordingSender.acceptingAll();
        second.start(healthy);
        awaitRecovered(second, 2);
        assertThat(second.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(healthy.accepted).extracting((batch) -> batch.destination().logGroup() + "/"
                + batch.destination().logStream()).containsExactlyInAnyOrder("group/stream", "audit-group/audit-stream");
        assertThat(healthy.accepted).allSatisfy((batch) -> assertThat(batch.events().get(0).timestamp()).isEqualTo(old));
        Destination recoveredMain = second.destinations().stream()
            .filter((d) -> d.logStream().equals("stream"))
            .findFirst()
            .orElseThrow();
        assertThat(second.statistics(recoveredMain).rejected().get(RejectReason.TOO_OLD)).isEqualTo(1);
    }

    @Test
    void aTruncatedSegmentAndFlippedBytesAreCountedAndSkippedAndTheRestIsDelivered() throws IOException {
        LogShipper first = loggedDuringAnOutage(300);
        first.stop();
        Path segment = onlySegmentWithRecords();
        // Every record of "event N" takes 48 bytes: 34 of header, 2 for its destination, the message, padding.
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            // Flip a byte in the message of the first record (records start after the 64-byte header).
            file.seek(64 + 40);
            int b = file.read();
            file.seek(64 + 40);
            file.write(b ^ 0x5A);
            // Then cut the file in the middle of record 100, as a disk that lost the file's tail would.
            file.setLength(64 + 48 * 100 + 20);
        }

        LogShipper second = this.shippers.create(settings(this.directory));
        RecordingSender healthy = RecordingSender.acceptingAll();
        second.start(healthy);
        awaitRecovered(second, 99);
        assertThat(second.flush(Duration.ofSeconds(10)).completed()).isTrue();
        List<String> delivered = messages(healthy);
        assertThat(delivered).as("all but the flipped record and what the cut took")
            .containsExactlyInAnyOrderElementsOf(ids(1, 100));
        SpoolStatistics spool = second.spoolStatistics();
        assertThat(spool.corruptRecords()).as("the flipped record and the cut one").isEqualTo(2);
        assertThat(spool.recovered()).isEqualTo(99);
    }

    @Test
    void recordsForADestinationTheFileNoLongerNamesAreCountedAndTheirSegmentOutlivesWhatIsStillQueued()
            throws IOException {
        // Review finding: records settled during recovery for want of a destination were not counted, so the
        // segment was deleted while the rest were still queued, and a stop then lost those.
        LogShipper first = this.shippers.create(settings(this.directory));
        Destination audit = first.addDestination("audit", "audit-group", "audit-stream");
        for (int i = 0; i < 10; i++) {
            first.offer(System.currentTimeMillis(), ("audit only " + i).getBytes(StandardCharsets.UTF_8),
                    new Destination[] { audit });
            first.offer(System.currentTimeMillis(), "event " + i);
        }
        assertThat(first.stop().leftInSpool()).isEqualTo(20);
        Path table = this.directory.resolve("destinations");
        List<String> lines = Files.readAllLines(table);
        Files.write(table, lines.stream().filter((line) -> !line.contains("audit")).map((line) -> line + "\n")
            .collect(java.util.stream.Collectors.joining()).getBytes(StandardCharsets.UTF_8));

        LogShipper second = this.shippers.create(settings(this.directory));
        second.start(unavailable());
        awaitRecovered(second, 10);
        assertThat(second.spoolStatistics().corruptRecords()).isEqualTo(10);
        assertThat(second.stop().leftInSpool()).isEqualTo(10);

        LogShipper third = this.shippers.create(settings(this.directory));
        RecordingSender healthy = RecordingSender.acceptingAll();
        third.start(healthy);
        awaitRecovered(third, 10);
        assertThat(third.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(messages(healthy)).containsExactlyInAnyOrderElementsOf(ids(0, 10));
    }

    @Test
    void twoDestinationsToOneGroupAndStreamAreRefused() {
        // Review finding: their records named one number twice, only one bit was ever cleared, the spool filled.
        LogShipper shipper = this.shippers.create(settings(this.directory));
        shipper.addDestination("audit", "audit-group", "audit-stream");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> shipper.addDestination("audit-again", "audit-group", "audit-stream"))
            .withMessageContaining("as 'audit' does");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> shipper.addDestination("main-again", "group", "stream"))
            .withMessageContaining("as 'main' does");
    }

    @Test
    void aSpareCutShortByAKillAndASegmentThatCannotBeReadNeverStopTheRecovery() throws IOException {
        LogShipper first = loggedDuringAnOutage(20);
        first.stop();
        Path tmp = Files.write(this.directory.resolve("segment-0000000000000007.tmp"), new byte[4096]);
        Files.createDirectory(this.directory.resolve("segment-0000000000000003")); // not a file: cannot be mapped
        LogShipper second = this.shippers.create(settings(this.directory));
        RecordingSender healthy = RecordingSender.acceptingAll();
        second.start(healthy);
        awaitRecovered(second, 20);
        assertThat(second.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(messages(healthy)).containsExactlyInAnyOrderElementsOf(ids(0, 20));
        assertThat(second.spoolStatistics().state()).isEqualTo("ACTIVE");
        assertThat(tmp).doesNotExist();
    }

    @Test
    void aSecondShipperOnTheSameDirectoryShipsFromMemoryAndSaysWhy() {
        LogShipper first = this.shippers.create(settings(this.directory));
        first.start(RecordingSender.acceptingAll());
        LogShipper second = this.shippers.create(settings(this.directory));
        RecordingSender healthy = RecordingSender.acceptingAll();
        second.start(healthy);
        assertThat(second.offer(System.currentTimeMillis(), "from memory")).isTrue();
        assertThat(second.flush(Duration.ofSeconds(5)).completed()).isTrue();
        assertThat(messages(healthy)).containsExactly("from memory");
        SpoolStatistics spool = second.spoolStatistics();
        assertThat(spool.state()).isEqualTo("UNAVAILABLE");
        assertThat(spool.reason()).contains("another shipper in this JVM uses it");
        assertThat(first.spoolStatistics().state()).isEqualTo("ACTIVE");
    }

    @Test
    void aDirectoryThatCannotBeCreatedLeavesTheShipperShippingFromMemory() throws IOException {
        Path file = Files.writeString(this.directory.resolve("a-file"), "not a directory");
        LogShipper shipper = this.shippers.create(settings(file.resolve("spool")));
        RecordingSender healthy = RecordingSender.acceptingAll();
        shipper.start(healthy);
        assertThat(shipper.offer(System.currentTimeMillis(), "from memory")).isTrue();
        assertThat(shipper.flush(Duration.ofSeconds(5)).completed()).isTrue();
        assertThat(messages(healthy)).containsExactly("from memory");
        assertThat(shipper.spoolStatistics().state()).isEqualTo("UNAVAILABLE");
        assertThat(shipper.spoolStatistics().reason()).isNotBlank();
    }

    @Test
    void aFullSpoolAppliesTheOverflowPolicy() {
        // 2 MB: two segments of 1 MB. Never started, so nothing settles and the disk fills.
        LogShipper shipper = this.shippers.create(Shippers.settings(Duration.ofSeconds(10))
            .queueCapacityBytes(64L * 1024 * 1024)
            .spool(new SpoolSettings(this.directory, 2L * 1024 * 1024, SpoolSync.NONE)));
        awaitSegments(shipper, 2); // the first one and its spare
        String payload = "x".repeat(1_000);
        int accepted = 0;
        for (int i = 0; i < 5_000; i++) {
            accepted += shipper.offer(System.currentTimeMillis(), payload) ? 1 : 0;
        }
        ShipperStatistics stats = shipper.statistics();
        assertThat(stats.dropped().get(DropReason.SPOOL_FULL)).isPositive();
        assertThat(accepted).isGreaterThan(1_000).isLessThan(2_100); // about 2 MB of 1 KB records
        assertThat(shipper.spoolStatistics().full()).isEqualTo(stats.dropped().get(DropReason.SPOOL_FULL));
        assertThat(shipper.spoolStatistics().segments()).isEqualTo(2);
    }

    @Test
    void settledSegmentsAreDeletedSoTheDiskStaysWithinCapacity() {
        LogShipper shipper = this.shippers.create(Shippers.settings(Duration.ofMillis(5))
            .spool(new SpoolSettings(this.directory, 4L * 1024 * 1024, SpoolSync.every(Duration.ofMillis(50)))));
        RecordingSender healthy = RecordingSender.acceptingAll();
        shipper.start(healthy);
        String payload = "y".repeat(1_000);
        for (int i = 0; i < 10_000; i++) { // 10 MB through a 2 MB spool
            assertThat(shipper.offer(System.currentTimeMillis(), payload + i)).isTrue();
            if (i % 500 == 0) {
                shipper.flush(Duration.ofSeconds(5));
            }
        }
        assertThat(shipper.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(healthy.acceptedEvents()).isEqualTo(10_000);
        assertThat(shipper.statistics().droppedTotal()).isZero();
        assertThat(shipper.spoolStatistics().segments()).isLessThanOrEqualTo(4);
        assertThat(shipper.spoolStatistics().full()).isZero();
        assertThat(directorySize()).isLessThanOrEqualTo(4L * 1024 * 1024 + 4096);
    }

    @Test
    void withSyncAlwaysEachRecordIsForcedAndEverythingShips() {
        LogShipper shipper = this.shippers.create(Shippers.settings(Duration.ofMillis(20))
            .spool(new SpoolSettings(this.directory, 8L * 1024 * 1024, SpoolSync.ALWAYS)));
        RecordingSender healthy = RecordingSender.acceptingAll();
        shipper.start(healthy);
        for (int i = 0; i < 50; i++) {
            assertThat(shipper.offer(System.currentTimeMillis(), "event " + i)).isTrue();
        }
        assertThat(shipper.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(messages(healthy)).containsExactlyInAnyOrderElementsOf(ids(0, 50));
        assertThat(shipper.spoolStatistics().notSpooled()).isZero();
        assertThat(shipper.spoolStatistics().reason()).isNull();
    }

    @Test
    void aCleanStopLeavesNoSegmentBehind() throws IOException {
        LogShipper shipper = this.shippers.create(settings(this.directory));
        shipper.start(RecordingSender.acceptingAll());
        for (int i = 0; i < 100; i++) {
            shipper.offer(System.currentTimeMillis(), "event " + i);
        }
        assertThat(shipper.stop().leftInSpool()).isZero();
        try (Stream<Path> files = Files.list(this.directory)) {
            assertThat(files.map((file) -> file.getFileName().toString()))
                .containsExactlyInAnyOrder("destinations", "spool.lock");
        }
    }

    @Test
    void underBlockACallWaitsForTheNextSegmentRatherThanShipFromMemory() {
        // Second review: once a segment was freed, a blocked call found no spare yet and gave up on the spool.
        LogShipper shipper = this.shippers.create(Shippers.settings(Duration.ofMillis(5))
            .overflowPolicy(OverflowPolicy.BLOCK)
            .blockTimeout(Duration.ofSeconds(10))
            .spool(new SpoolSettings(this.directory, 2L * 1024 * 1024, SpoolSync.NONE)));
        RecordingSender healthy = RecordingSender.acceptingAll();
        shipper.start(healthy);
        String payload = "z".repeat(1_000);
        for (int i = 0; i < 10_000; i++) { // 10 MB through a 2 MB spool: it fills, frees and fills again
            assertThat(shipper.offer(System.currentTimeMillis(), payload + i)).isTrue();
        }
        assertThat(shipper.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(healthy.acceptedEvents()).isEqualTo(10_000);
        SpoolStatistics spool = shipper.spoolStatistics();
        assertThat(spool.notSpooled()).as("events that bypassed the spool").isZero();
        assertThat(spool.full()).isZero();
    }

    private long directorySize() {
        try (Stream<Path> files = Files.list(this.directory)) {
            return files.mapToLong((file) -> file.toFile().length()).sum();
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static void awaitSegments(LogShipper shipper, int segments) {
        await().atMost(Duration.ofSeconds(10)).until(() -> shipper.spoolStatistics().segments() >= segments);
        assertThat(shipper.spoolStatistics().segments()).isEqualTo(segments);
    }

    private Path onlySegmentWithRecords() throws IOException {
        try (Stream<Path> files = Files.list(this.directory)) {
            List<Path> segments = files.filter((f) -> f.getFileName().toString().startsWith("segment-"))
                .sorted()
                .toList();
            assertThat(segments).isNotEmpty();
            return segments.get(0);
        }
    }

    private static void awaitRecovered(LogShipper shipper, long records) {
        await().atMost(Duration.ofSeconds(10)).until(() -> shipper.spoolStatistics().recovered() >= records);
        assertThat(shipper.spoolStatistics().recovered()).isEqualTo(records);
    }

}
