package io.github.cloudwatchlogging.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The spool's files read back after the damage a kill or a disk can do. */
class SpoolFilesTests {

    @TempDir
    Path directory;

    /**
     * Review finding: a destination opened for an event's values after the stop still added a line to the file of a
     * directory the spool had let go (and another process may have taken).
     */
    @Test
    void aClosedSpoolNumbersNoNewDestination() throws IOException {
        Spool spool = Spool.open(new SpoolSettings(this.directory, 4L * 1024 * 1024, SpoolSync.NONE), (m) -> { });
        assertThat(spool.destinationId("group", "stream")).isEqualTo(0);
        spool.close();
        String before = Files.readString(this.directory.resolve("destinations"));
        assertThat(spool.destinationId("group", "tenant-after-the-stop")).isEqualTo(-1);
        assertThat(Files.readString(this.directory.resolve("destinations"))).isEqualTo(before);
    }

    @Test
    void aTornLastLineOfTheDestinationsFileIsCutOffBeforeTheNextIsAppended() throws IOException {
        // Review finding: a torn line "1<TAB>group<TAB>stre" parsed as a destination, and the next line was appended
        // to it, so that destination's number was lost on the next start.
        Files.writeString(this.directory.resolve("destinations"), "0\tgroup\tstream\n1\tgroup\tstre");
        DestinationTable table = DestinationTable.read(this.directory);
        assertThat(table.name(1)).isNull();
        assertThat(table.idOf("audit", "audit-stream")).isEqualTo(1);
        DestinationTable again = DestinationTable.read(this.directory);
        assertThat(again.name(0)).isEqualTo(new DestinationName("group", "stream"));
        assertThat(again.name(1)).isEqualTo(new DestinationName("audit", "audit-stream"));
    }

    @Test
    void aRecordCutByAKillIsSkippedWholeSoAForgedRecordInItsMessageIsNeverRead() throws IOException {
        // Review finding: the scanner stepped through a torn record's message 8 bytes at a time and could take a
        // record embedded in log text for a real one.
        Segment segment = Segment.create(this.directory, 0, 1024 * 1024, () -> false);
        RecordScratch scratch = new RecordScratch();
        int first = append(segment, scratch, "before".getBytes(StandardCharsets.UTF_8));
        int torn = append(segment, scratch, forgedRecordInside());
        int last = append(segment, scratch, "after".getBytes(StandardCharsets.UTF_8));
        assertThat(first).isLessThan(torn).isLessThan(last);
        segment.buffer().putIntRelease(torn + RecordFormat.LENGTH, 0); // as if killed before the length was published
        segment.buffer().force();

        Segment recovered = Segment.openRecovered(this.directory.resolve(Segment.fileName(0)), 0);
        SegmentScanner scanner = new SegmentScanner(recovered);
        List<String> messages = new ArrayList<>();
        while (scanner.next()) {
            messages.add(new String(scanner.message(), StandardCharsets.UTF_8));
        }
        assertThat(messages).containsExactly("before", "after");
        assertThat(scanner.corrupt()).isEqualTo(1);
    }

    @Test
    void aFlippedPendingBitOutsideTheChecksumNeverNamesADestinationTheRecordLacks() throws IOException {
        Segment segment = Segment.create(this.directory, 0, 1024 * 1024, () -> false);
        int offset = append(segment, new RecordScratch(), "one destination".getBytes(StandardCharsets.UTF_8));
        segment.buffer().putInt(offset + RecordFormat.PENDING, 0x8000_0000); // bit 31: no such destination
        Segment recovered = Segment.openRecovered(this.directory.resolve(Segment.fileName(0)), 0);
        SegmentScanner scanner = new SegmentScanner(recovered);
        assertThat(scanner.next()).isTrue();
        assertThat(scanner.pending()).isZero();
    }

    @Test
    void anOldRecordNamingADestinationTwiceOrWithAStrayBitIsShippedOnceAndItsSegmentFreed() throws Exception {
        // Second review: such records were never counted settled, so their segment was never freed and the events
        // went out again at every start. New records never repeat a destination (the spool refuses it).
        Files.writeString(this.directory.resolve("destinations"), "0\tgroup\tstream\n");
        Segment old = Segment.create(this.directory, 0, 1024 * 1024, () -> false);
        RecordScratch scratch = new RecordScratch();
        append(old, scratch, "named twice".getBytes(StandardCharsets.UTF_8), 0, 0);
        int stray = append(old, scratch, "stray bit".getBytes(StandardCharsets.UTF_8), 0);
        old.buffer().putInt(stray + RecordFormat.PENDING, 0x8000_0001);
        old.buffer().force();
        old.buffer().unmap();

        Spool spool = Spool.open(new SpoolSettings(this.directory, 4L * 1024 * 1024, SpoolSync.NONE), (m) -> { });
        try {
            assertThat(spool.append(1, new byte[] { 'x' }, new int[] { 0, 0 }, 0)).isEqualTo(Spool.NOT_SPOOLED);
            List<RecoveredRecord> records = new ArrayList<>();
            spool.recover((record) -> {
                records.add(record);
                return RecoveryOutcome.QUEUED;
            });
            assertThat(records).extracting((record) -> record.destinationIds().length).containsExactly(1, 1);
            Settlement settlement = spool.settlement();
            records.forEach((record) -> settlement.settle(record.position(), 0));
            settlement.finish();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Files.exists(this.directory.resolve(Segment.fileName(0))) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(this.directory.resolve(Segment.fileName(0))).as("the old segment, every record settled")
                .doesNotExist();
        }
        finally {
            spool.close();
        }
    }

    private static int append(Segment segment, RecordScratch scratch, byte[] message, int... ids) {
        int[] destinations = (ids.length > 0) ? ids : new int[] { 0 };
        int length = RecordFormat.aligned(RecordFormat.length(destinations.length, message.length));
        int offset = segment.reserve(length);
        assertThat(segment.write(offset, 1_000, destinations, message, scratch)).isTrue();
        return offset;
    }

    /** Log text that holds, 8-byte aligned, a complete record with a valid checksum. */
    private static byte[] forgedRecordInside() {
        byte[] forgedMessage = "FORGED".getBytes(StandardCharsets.UTF_8);
        int length = RecordFormat.length(1, forgedMessage.length);
        ByteBuffer forged = ByteBuffer.allocate(RecordFormat.aligned(length)).order(ByteOrder.LITTLE_ENDIAN);
        forged.putInt(RecordFormat.LENGTH, length);
        forged.putInt(RecordFormat.PENDING, 1);
        forged.putInt(RecordFormat.MAGIC, RecordFormat.RECORD_MAGIC);
        forged.putInt(RecordFormat.MESSAGE_LENGTH, forgedMessage.length);
        forged.putLong(RecordFormat.TIMESTAMP, 42);
        forged.putShort(RecordFormat.TARGET_COUNT, (short) 1);
        forged.putShort(RecordFormat.TARGETS, (short) 0);
        forged.put(RecordFormat.TARGETS + 2, forgedMessage);
        CRC32C crc = new CRC32C();
        crc.update(forged.array(), RecordFormat.CHECKED_FROM, length - RecordFormat.CHECKED_FROM);
        forged.putInt(RecordFormat.CRC, (int) crc.getValue());
        // The message starts 36 bytes into its record (34 of header, 2 for the destination): 4 bytes of padding
        // put the forged record on an 8-byte boundary of the segment.
        byte[] text = new byte[4 + forged.capacity()];
        System.arraycopy("pad:".getBytes(StandardCharsets.UTF_8), 0, text, 0, 4);
        System.arraycopy(forged.array(), 0, text, 4, forged.capacity());
        return text;
    }

}
