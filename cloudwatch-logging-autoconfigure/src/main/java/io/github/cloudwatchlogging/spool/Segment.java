package io.github.cloudwatchlogging.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;


/**
 * One segment file, mapped. Logging threads append records to it without a lock: one atomic add reserves a
 * record's space and counts it, the record is written, then its length is published. Settling threads clear a
 * record's pending bits; once the segment is sealed (a reservation ran past its end) and every record it holds is
 * settled, it is unmapped and deleted. Nothing touches the mapping after that: a record is settled only once per
 * destination, and a reservation past the end writes nothing.
 */
final class Segment {

    private static final int COUNT_SHIFT = 32;

    private static final long OFFSET_MASK = (1L << COUNT_SHIFT) - 1;

    private final long number;

    private final Path file;

    private final int size;

    private final MappedMemory buffer;

    /** Packed: records reserved (high half) and the next free offset (low half). */
    private final AtomicLong reserved = new AtomicLong(RecordFormat.HEADER_BYTES);

    private final AtomicInteger settled = new AtomicInteger();

    /** How many records the segment holds once sealed: those reserved before the first that ran past its end. */
    private volatile int sealedRecords = -1;

    /** For a segment of an earlier process: set once recovery has read all of it. */
    private volatile boolean recoveryRead;

    private final boolean recovered;

    /** Guarded by this: the header's settled offset as far as it is known to be advanced. */
    private int settledOffset = RecordFormat.HEADER_BYTES;

    private boolean freed;

    private Runnable onFreed = () -> {
    };

    private Segment(long number, Path file, MappedMemory buffer, boolean recovered) {
        this.number = number;
        this.file = file;
        this.size = buffer.capacity();
        this.buffer = buffer;
        this.recovered = recovered;
    }

    /** Creates a new segment file with real blocks (zero-filled, so a full disk fails here, not on a page fault). */
    static Segment create(Path directory, long number, int size) throws IOException {
        Path file = directory.resolve(fileName(number));
        MappedMemory memory;
        try {
            memory = MappedMemory.create(file, size);
        }
        catch (IOException | RuntimeException ex) {
            Files.deleteIfExists(file);
            throw ex;
        }
        Segment segment = new Segment(number, file, memory, false);
        MappedMemory header = segment.buffer;
        header.putInt(RecordFormat.SEGMENT_MAGIC_OFFSET, RecordFormat.SEGMENT_MAGIC);
        header.putInt(RecordFormat.VERSION_OFFSET, RecordFormat.VERSION);
        header.putLong(RecordFormat.NUMBER_OFFSET, number);
        header.putInt(RecordFormat.SIZE_OFFSET, size);
        header.putLongRelease(RecordFormat.SETTLED_OFFSET, RecordFormat.HEADER_BYTES);
        return segment;
    }

    /** Maps a segment an earlier process left, to be recovered; null when it is not one of ours. */
    static Segment openRecovered(Path file, long number) throws IOException {
        long length = Files.size(file);
        if (length < RecordFormat.HEADER_BYTES || length > Integer.MAX_VALUE) {
            return null;
        }
        Segment segment = new Segment(number, file, MappedMemory.open(file, length), true);
        if (segment.buffer.getInt(RecordFormat.SEGMENT_MAGIC_OFFSET) != RecordFormat.SEGMENT_MAGIC) {
            segment.buffer.unmap();
            return null;
        }
        segment.sealedRecords = Integer.MAX_VALUE; // set to what recovery finds
        segment.reserved.set(length); // nothing is ever appended to it
        return segment;
    }

    static String fileName(long number) {
        return String.format("segment-%016d", number);
    }

    /** What to run once it is deleted: the spool counts the disk given back. */
    void onFreed(Runnable action) {
        this.onFreed = action;
    }

    long number() {
        return this.number;
    }

    int size() {
        return this.size;
    }

    boolean isRecovered() {
        return this.recovered;
    }

    MappedMemory buffer() {
        return this.buffer;
    }

    /**
     * Reserves {@code alignedLength} bytes; returns the record's offset, or -1 when they run past the end, which
     * seals the segment.
     */
    int reserve(int alignedLength) {
        if (this.sealedRecords >= 0) {
            return -1; // sealed: no further add, so the offset never grows past the end by more than a few calls
        }
        long before = this.reserved.getAndAdd((1L << COUNT_SHIFT) + alignedLength);
        long offset = before & OFFSET_MASK;
        if (offset + alignedLength <= this.size) {
            return (int) offset;
        }
        if (offset <= this.size) {
            // The first reservation past the end: every one before it holds a record, none after it does.
            this.sealedRecords = (int) (before >>> COUNT_SHIFT);
            freeIfSettled();
        }
        return -1;
    }

    /** Writes a record into the space {@link #reserve} gave; its length goes last, so readers see all or nothing. */
    void write(int offset, long timestamp, int[] destinationIds, byte[] message, CRC32C crc) {
        int targets = destinationIds.length;
        int length = RecordFormat.length(targets, message.length);
        MappedMemory buffer = this.buffer;
        boolean written = false;
        try {
            buffer.putInt(offset + RecordFormat.PENDING, RecordFormat.allPending(targets));
            buffer.putInt(offset + RecordFormat.MARKS, 0);
            buffer.putInt(offset + RecordFormat.MAGIC, RecordFormat.RECORD_MAGIC);
            buffer.putInt(offset + RecordFormat.MESSAGE_LENGTH, message.length);
            buffer.putLong(offset + RecordFormat.TIMESTAMP, timestamp);
            buffer.putShort(offset + RecordFormat.TARGET_COUNT, (short) targets);
            for (int i = 0; i < targets; i++) {
                buffer.putShort(offset + RecordFormat.TARGETS + 2 * i, (short) destinationIds[i]);
            }
            buffer.putBytes(offset + RecordFormat.length(targets, 0), message);
            crc.reset();
            crc.update(buffer.slice(offset + RecordFormat.CHECKED_FROM, offset + length));
            buffer.putInt(offset + RecordFormat.CRC, (int) crc.getValue());
            written = true;
        }
        finally {
            if (!written) {
                // Never leave a reserved slot unpublished: it would hold the settled offset back forever. Its
                // pending bits go to zero, and the next process sees a failed checksum, counts it and skips it.
                buffer.putInt(offset + RecordFormat.PENDING, 0);
                buffer.putInt(offset + RecordFormat.CRC, 0);
            }
            buffer.putIntRelease(offset + RecordFormat.LENGTH, length);
            if (!written) {
                this.settled.incrementAndGet();
            }
        }
    }

    /** Forces the record to disk (sync: always). */
    void force(int offset, int length) {
        this.buffer.force(offset, length);
    }

    /** Forces the whole mapping to disk (sync: an interval), unless it was freed. */
    synchronized void forceAll() {
        if (!this.freed) {
            this.buffer.force();
        }
    }

    /** Marks a record handed to a sender, before its first call: the next process counts it a possible duplicate. */
    void markHandedOver(int offset) {
        this.buffer.putIntRelease(offset + RecordFormat.MARKS, RecordFormat.MARK_HANDED_OVER);
    }

    /**
     * Clears the pending bit of one destination of a record. Returns true when that was the last one: the record
     * is settled.
     */
    boolean settle(int offset, int destinationId) {
        int bit = bitOf(offset, destinationId);
        int index = offset + RecordFormat.PENDING;
        while (true) {
            int pending = this.buffer.getIntVolatile(index);
            if ((pending & bit) == 0) {
                return false; // settled already for that destination: nothing to do
            }
            if (this.buffer.compareAndSetInt(index, pending, pending & ~bit)) {
                return (pending & ~bit) == 0;
            }
        }
    }

    /** Settles a record for every destination at once (refused before it was queued). */
    boolean settleAll(int offset) {
        int index = offset + RecordFormat.PENDING;
        while (true) {
            int pending = this.buffer.getIntVolatile(index);
            if (pending == 0) {
                return false;
            }
            if (this.buffer.compareAndSetInt(index, pending, 0)) {
                return true;
            }
        }
    }

    private int bitOf(int offset, int destinationId) {
        int targets = this.buffer.getShort(offset + RecordFormat.TARGET_COUNT);
        for (int i = 0; i < targets; i++) {
            if (this.buffer.getShort(offset + RecordFormat.TARGETS + 2 * i) == destinationId) {
                return 1 << i;
            }
        }
        return 0;
    }

    /**
     * Counts records that became settled, then advances the header's settled offset past every settled record
     * at its front, and frees the segment when it is sealed and everything in it is settled.
     */
    void recordsSettled(int count) {
        this.settled.addAndGet(count);
        advanceSettledOffset();
        freeIfSettled();
    }

    /**
     * Recovery read every record of this earlier process's segment and found {@code unsettledRecords} to ship:
     * the segment is deleted once this process settled that many.
     */
    void recoveryRead(int unsettledRecords) {
        this.sealedRecords = unsettledRecords;
        this.recoveryRead = true;
        freeIfSettled();
    }

    /** Whether it is still on disk. */
    synchronized boolean isLive() {
        return !this.freed;
    }

    private synchronized void advanceSettledOffset() {
        if (this.freed || this.recovered) {
            return; // an earlier process's segment is deleted whole, never appended to
        }
        int offset = this.settledOffset;
        int end = (int) Math.min(this.size, this.reserved.get() & OFFSET_MASK);
        while (offset < end) {
            int length = this.buffer.getIntVolatile(offset + RecordFormat.LENGTH);
            if (length == 0 || this.buffer.getIntVolatile(offset + RecordFormat.PENDING) != 0) {
                break; // not published yet, or not settled: the lowest unsettled record
            }
            offset += RecordFormat.aligned(length);
        }
        if (offset != this.settledOffset) {
            this.settledOffset = offset;
            this.buffer.putLongRelease(RecordFormat.SETTLED_OFFSET, offset);
        }
    }

    private synchronized void freeIfSettled() {
        int records = this.sealedRecords;
        if (this.freed || records < 0 || (this.recovered && !this.recoveryRead) || this.settled.get() < records) {
            return;
        }
        this.freed = true;
        this.buffer.unmap();
        try {
            Files.deleteIfExists(this.file);
        }
        catch (IOException ex) {
            // Left for the next process: every record in it is settled, so it reads as empty.
        }
        this.onFreed.run();
    }

    /**
     * Seals it at a stop: nothing more is appended, and it is freed once what it holds is settled. What stays
     * unsettled stays on disk for the next process; its mapping is never unmapped by hand, since a call the stop
     * gave up on may still touch it, and goes with the garbage collector.
     */
    void seal() {
        reserve(this.size + RecordFormat.ALIGNMENT);
    }

    /** Deletes a segment no record was ever written to (the spare, at a stop). */
    synchronized void deleteUnused() {
        if (!this.freed) {
            this.freed = true;
            this.buffer.unmap();
            try {
                Files.deleteIfExists(this.file);
            }
            catch (IOException ex) {
                // An empty segment left behind reads as empty.
            }
            this.onFreed.run();
        }
    }

}
