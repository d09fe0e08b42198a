package io.github.cloudwatchlogging.spool;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.FrayTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spool's segment under Fray's interleavings: logging threads reserving and writing (one of them sealing the
 * segment), a sender settling what they wrote, and the spool's thread advancing and freeing. A segment is freed
 * exactly when it is sealed and every record in it is settled, and nothing settles after the free (a settle on an
 * unmapped segment would crash the JVM, which Fray reports as a failure).
 */
@ExtendWith(FrayTestExtension.class)
class SpoolFrayTest {

    /** Room for three records of "event N" (48 bytes each) after the 64-byte header: the fourth seals it. */
    private static final int SEGMENT_BYTES = 64 + 3 * 48 + 16;

    @FrayTest(iterations = 200)
    void aSegmentIsFreedOnlyOnceSealedAndEverythingInItSettled() throws Exception {
        Path directory = Files.createTempDirectory("spool-fray");
        Segment segment = Segment.create(directory, 0, SEGMENT_BYTES, () -> false);
        ConcurrentLinkedQueue<Integer> written = new ConcurrentLinkedQueue<>();
        AtomicInteger writes = new AtomicInteger();
        AtomicInteger settledRecords = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Runnable logging = () -> {
            RecordScratch scratch = new RecordScratch();
            for (int i = 0; i < 2; i++) {
                byte[] message = ("event " + i).getBytes(StandardCharsets.UTF_8);
                int offset = segment.reserve(RecordFormat.aligned(RecordFormat.length(1, message.length)));
                if (offset < 0) {
                    refused.incrementAndGet();
                    continue;
                }
                assertTrue(segment.write(offset, 1_000, new int[] { 7 }, message, scratch));
                writes.incrementAndGet();
                written.add(offset);
            }
        };
        Thread first = new Thread(logging);
        Thread second = new Thread(logging);
        Thread sender = new Thread(() -> {
            int done = 0;
            while (done < 3) { // three fit; the fourth reservation seals the segment
                Integer offset = written.poll();
                if (offset == null) {
                    Thread.yield();
                    continue;
                }
                assertTrue(segment.pin(), "a segment with an unsettled record is never freed");
                boolean last;
                try {
                    last = segment.settle(offset, 7);
                }
                finally {
                    segment.unpin();
                }
                assertTrue(last, "one destination: its settle settles the record");
                settledRecords.incrementAndGet();
                segment.recordsSettled(1); // as Settlement.finish does, after the unpin
                done++;
            }
        });
        Thread spoolThread = new Thread(() -> {
            for (int round = 0; round < 3; round++) {
                segment.advanceSettledOffset();
                if (segment.freeIfSettled()) {
                    assertEquals(3, settledRecords.get(), "freed only once all three records were settled");
                }
                Thread.yield();
            }
        });
        first.start();
        second.start();
        sender.start();
        spoolThread.start();
        first.join();
        second.join();
        sender.join();
        spoolThread.join();
        assertEquals(3, writes.get());
        assertEquals(1, refused.get());
        assertEquals(3, settledRecords.get());
        segment.freeIfSettled();
        assertFalse(segment.pin(), "sealed and settled: freed");
        assertFalse(Files.exists(directory.resolve(Segment.fileName(0))));
        Files.deleteIfExists(directory);
    }

}
