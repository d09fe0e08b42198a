package io.github.cloudwatchlogging.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;

/**
 * One segment file, mapped. Logging threads append records without a lock: one atomic add reserves a record's
 * space and counts it, the record is written, then its length is published. Other threads touch the mapping (to
 * settle a record, mark it, force it to disk) only under the read side of {@link #access}; the maintenance thread
 * frees a segment (unmaps and deletes it) under the write side, once it is sealed and every record in it is
 * settled, so nothing can touch unmapped memory: after the free, readers see {@link #freed} and do nothing.
 * A logging thread writing its own record needs no lock: its record is unsettled, so the segment cannot be freed.
 */
final class Segment {

    private static final int COUNT_SHIFT = 32;

    private static final long OFFSET_MASK = (1L << COUNT_SHIFT) - 1;

    private final long number;

    private final Path file;

    private final int size;

    private final MappedMemory buffer;

    private final boolean recovered;

    /** Packed: records reserved (high half) and the next free offset (low half). */
    private final AtomicLong reserved = new AtomicLong(RecordFormat.HEADER_BYTES);

    /** Records whose every destination is settled. */
    private final AtomicInteger settled = new AtomicInteger();

    /**
     * How many settled records free the segment: for one of this process, the records reserved before the first
     * reservation past its end; for an earlier process's, the records recovery handed over. -1 until known.
     */
    private volatile int recordsToSettle = -1;

    private final ReentrantReadWriteLock access = new ReentrantReadWriteLock();

    /** Guarded by {@link #access}: set under its write side. */
    private volatile boolean freed;

    /** The maintenance thread's only: the header's settled offset as far as it has advanced it. */
    private int settledOffset = RecordFormat.HEADER_BYTES;

    private Segment(long number, Path file, MappedMemory buffer, boolean recovered) {
        this.number = number;
        this.file = file;
        this.size = buffer.capacity();
        this.buffer = buffer;
        this.recovered = recovered;
    }

    /**
     * Creates a segment file with its blocks allocated (zero-filled: a full disk fails here with an IOException,
     * never later as a fault on a mapped page), under a temporary name until its header is written, so that a
     * process killed half-way leaves only a {@code .tmp} file, which the next one deletes.
     */
    static Segment create(Path directory, long number, int size, BooleanSupplier abandoned) throws IOException {
        Path file = directory.resolve(fileName(number));
        Path temporary = directory.resolve(fileName(number) + ".tmp");
        MappedMemory memory = null;
        try {
            memory = MappedMemory.create(temporary, size);
            memory.putInt(RecordFormat.SEGMENT_MAGIC_OFFSET, RecordFormat.SEGMENT_MAGIC);
            memory.putInt(RecordFormat.VERSION_OFFSET, RecordFormat.VERSION);
            memory.putLong(RecordFormat.NUMBER_OFFSET, number);
            memory.putInt(RecordFormat.SIZE_OFFSET, size);
            memory.putLongRelease(RecordFormat.SETTLED_OFFSET, RecordFormat.HEADER_BYTES);
            memory.force(0, RecordFormat.HEADER_BYTES); // on disk before its name: a named segment has a header
            if (abandoned.getAsBoolean()) {
                throw new IOException("the spool closed"); // the directory may be another process's by now
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            return new Segment(number, file, memory, false);
        }
        catch (IOException | RuntimeException | Error ex) {
            if (memory != null) {
                memory.unmap();
            }
            Files.deleteIfExists(temporary);
            if (ex instanceof Error error && !(error instanceof InternalError)) {
                throw error;
            }
            throw (ex instanceof IOException io) ? io : new IOException(ex.toString(), ex);
        }
    }

    /** Whether a file holds nothing but zeros where a header should be: made, and never named with a header. */
    static boolean hasNoHeader(Path file) throws IOException {
        byte[] start = new byte[RecordFormat.HEADER_BYTES];
        try (var in = Files.newInputStream(file)) {
            int read = in.readNBytes(start, 0, start.length);
            for (int i = 0; i < read; i++) {
                if (start[i] != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Maps a segment an earlier process left, to be recovered; null when it is not one of ours. */
    static Segment openRecovered(Path file, long number) throws IOException {
        long length = Files.size(file);
        if (length < RecordFormat.HEADER_BYTES || length > Integer.MAX_VALUE) {
            return null;
        }
        MappedMemory memory = MappedMemory.open(file, length);
        if (memory.getInt(RecordFormat.SEGMENT_MAGIC_OFFSET) != RecordFormat.SEGMENT_MAGIC) {
            memory.unmap();
            return null;
        }
        Segment segment = new Segment(number, file, memory, true);
        segment.reserved.set(length); // nothing is ever appended to it
        return segment;
    }

    static String fileName(long number) {
        return String.format("segment-%016d", number);
    }

    long number() {
        return this.number;
    }

    int size() {
        return this.size;
    }

    /** For the recovery's scanner, before any record of it is handed over: nothing frees it meanwhile. */
    MappedMemory buffer() {
        return this.buffer;
    }

    /**
     * Reserves {@code alignedLength} bytes; returns the record's offset, or -1 when they run past the end, which
     * seals the segment.
     */
    int reserve(int alignedLength) {
        if (this.recordsToSettle >= 0) {
            return -1; // sealed: no further add, so the offset never runs far past the end
        }
        long before = this.reserved.getAndAdd((1L << COUNT_SHIFT) + alignedLength);
        long offset = before & OFFSET_MASK;
        if (offset + alignedLength <= this.size) {
            return (int) offset;
        }
        if (offset <= this.size) {
            // The first reservation past the end: every one before it holds a record, none after it does.
            this.recordsToSettle = (int) (before >>> COUNT_SHIFT);
        }
        return -1;
    }

    /**
     * Writes a record into the space {@link #reserve} gave; its length goes last, so readers see all or nothing.
     * Returns false when the memory could not be written (an I/O error surfacing as a fault): the slot is then
     * published settled, so that it holds nothing back, and the event is not in the spool.
     */
    boolean write(int offset, long timestamp, int[] destinationIds, byte[] message, RecordScratch scratch) {
        int targets = destinationIds.length;
        int length = RecordFormat.length(targets, message.length);
        MappedMemory buffer = this.buffer;
        try {
            // The checked part is built and summed on the heap, then copied: mapped memory is written once.
            int checked = scratch.header(timestamp, destinationIds, message);
            buffer.putInt(offset + RecordFormat.PENDING, RecordFormat.allPending(targets));
            buffer.putInt(offset + RecordFormat.MARKS, 0);
            buffer.putBytes(offset + RecordFormat.CHECKED_FROM, scratch.bytes(), 0, checked);
            buffer.putBytes(offset + RecordFormat.CHECKED_FROM + checked, message, 0, message.length);
            buffer.putInt(offset + RecordFormat.CRC, scratch.checksum());
            buffer.putIntRelease(offset + RecordFormat.LENGTH, length);
            return true;
        }
        catch (Throwable ex) {
            abandon(offset, length);
            return false;
        }
    }

    /**
     * Gives up a reserved slot whose record could not be written whole: published with no pending destination
     * (its checksum fails, so the next process counts it and skips it) and counted settled, so that it holds back
     * neither the settled offset nor the segment's free.
     */
    void abandon(int offset, int length) {
        try {
            this.buffer.putInt(offset + RecordFormat.PENDING, 0);
            this.buffer.putInt(offset + RecordFormat.CRC, ~this.buffer.getInt(offset + RecordFormat.CRC));
            this.buffer.putIntRelease(offset + RecordFormat.LENGTH, length);
        }
        catch (Throwable again) {
            // The page cannot be written at all: the next process finds the slot torn and skips it.
        }
        this.settled.incrementAndGet();
    }

    /** Forces the record to disk (sync: always); false when that failed. */
    boolean force(int offset, int length) {
        try {
            this.buffer.force(offset, length);
            return true;
        }
        catch (Throwable ex) {
            return false;
        }
    }

    /** Forces the whole mapping to disk (sync: an interval), unless it was freed; false when that failed. */
    boolean forceAll() {
        this.access.readLock().lock();
        try {
            if (!this.freed) {
                this.buffer.force();
            }
            return true;
        }
        catch (RuntimeException ex) {
            return false;
        }
        finally {
            this.access.readLock().unlock();
        }
    }

    /** Takes the read side of the access lock; false (and not taken) once the segment is freed. */
    boolean pin() {
        this.access.readLock().lock();
        if (this.freed) {
            this.access.readLock().unlock();
            return false;
        }
        return true;
    }

    void unpin() {
        this.access.readLock().unlock();
    }

    /** Pinned: marks a record handed to a sender, before its first call; the next process counts it a duplicate. */
    void markHandedOver(int offset) {
        this.buffer.putIntRelease(offset + RecordFormat.MARKS, RecordFormat.MARK_HANDED_OVER);
    }

    /**
     * Pinned: clears the pending bit of the destination with this number. Returns true when that was the last one:
     * the record is settled.
     */
    boolean settle(int offset, int destinationId) {
        int targets = this.buffer.getShort(offset + RecordFormat.TARGET_COUNT);
        int bits = bitsOf(offset, targets, destinationId);
        int own = RecordFormat.allPending(Math.max(0, Math.min(RecordFormat.MAX_TARGETS, targets)));
        int index = offset + RecordFormat.PENDING;
        while (true) {
            int pending = this.buffer.getIntVolatile(index);
            if ((pending & bits & own) == 0) {
                return false; // settled already for that destination: nothing to do
            }
            // A stray bit (the bits are outside the checksum) never keeps a record from counting as settled.
            int left = pending & ~bits & own;
            if (this.buffer.compareAndSetInt(index, pending, left)) {
                return left == 0;
            }
        }
    }

    /** Pinned: settles a record for every destination at once (refused before it was queued). */
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

    /** The bits of every position the destination holds in the record (one, unless an old record repeats it). */
    private int bitsOf(int offset, int targets, int destinationId) {
        int bits = 0;
        for (int i = 0; i < Math.min(targets, RecordFormat.MAX_TARGETS); i++) {
            if (this.buffer.getShort(offset + RecordFormat.TARGETS + 2 * i) == destinationId) {
                bits |= 1 << i;
            }
        }
        return bits;
    }

    /** Counts records that became settled; the maintenance thread advances and frees. */
    void recordsSettled(int count) {
        this.settled.addAndGet(count);
    }

    /**
     * Recovery read every record of this earlier process's segment and handed {@code handed} of them over (or
     * settled them itself): the segment is freed once this process settled that many.
     */
    void recoveryRead(int handed) {
        this.recordsToSettle = handed;
    }

    /** Whether the maintenance thread may free it now. */
    boolean isFreeable() {
        int records = this.recordsToSettle;
        return !this.freed && records >= 0 && this.settled.get() >= records;
    }

    /**
     * The maintenance thread: advances the header's settled offset past every settled record at its front, up
     * to the lowest unsettled (or unpublished) one. Never for an earlier process's segment, which is freed whole.
     */
    void advanceSettledOffset() {
        if (this.recovered || !pin()) {
            return;
        }
        try {
            int offset = this.settledOffset;
            int end = (int) Math.min(this.size, this.reserved.get() & OFFSET_MASK);
            while (offset + RecordFormat.TARGETS <= end) {
                int length = this.buffer.getIntVolatile(offset + RecordFormat.LENGTH);
                if (length == 0 || this.buffer.getIntVolatile(offset + RecordFormat.PENDING) != 0) {
                    break;
                }
                offset += RecordFormat.aligned(length);
            }
            if (offset != this.settledOffset) {
                this.settledOffset = offset;
                this.buffer.putLongRelease(RecordFormat.SETTLED_OFFSET, offset);
            }
        }
        finally {
            unpin();
        }
    }

    /** The maintenance thread: unmaps and deletes it if it is freeable; returns whether it did. */
    boolean freeIfSettled() {
        if (!isFreeable() || !this.access.writeLock().tryLock()) {
            return false; // pinned by a settlement under way: the next round frees it
        }
        try {
            if (this.freed) {
                return false;
            }
            this.freed = true;
            this.buffer.unmap();
        }
        finally {
            this.access.writeLock().unlock();
        }
        try {
            Files.deleteIfExists(this.file);
        }
        catch (IOException ex) {
            // Left for the next process: every record in it is settled, so it reads as empty.
        }
        return true;
    }

    /**
     * Seals it at a stop: nothing more is appended, and it is freed once what it holds is settled. What stays
     * unsettled stays on disk for the next process.
     */
    void seal() {
        reserve(this.size + RecordFormat.ALIGNMENT);
    }

    /** Deletes a segment no record was ever written to (the spare, at a stop). */
    void deleteUnused() {
        this.recordsToSettle = 0;
        freeIfSettled();
    }

}
