package io.github.cloudwatchlogging.spool;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The spool of one process (docs/SPOOL.md): its locked directory, the segments it appends to, and what an earlier
 * process left to recover.
 * <p>
 * Logging threads call {@link #append}: lock-free, but for the rare step to the next segment, which the background
 * thread has made ready. Whoever settles events uses a {@link Settlement}. A spool that cannot be used never fails
 * the application: it says why ({@link #statistics}) and {@link #append} answers {@link #NOT_SPOOLED}.
 */
public final class Spool {

    /** The event was not written: ship it from memory. */
    public static final long NOT_SPOOLED = -1;

    /** The spool is at its capacity: the overflow policy applies. */
    public static final long FULL = -2;

    private static final ThreadLocal<RecordScratch> SCRATCH = ThreadLocal.withInitial(RecordScratch::new);

    private final SpoolSettings settings;

    private final Path directory;

    private final Consumer<String> warnings;

    private final LongAdder notSpooled = new LongAdder();

    private final LongAdder full = new LongAdder();

    private final AtomicLong corrupt = new AtomicLong();

    private final int maxRecordBytes;

    private @Nullable SpoolDirectory opened;

    private @Nullable SegmentSupply supply;

    private @Nullable Recovery recovery;

    private volatile @Nullable String unavailable;

    private volatile @Nullable String writeFailure;

    private volatile boolean closed;

    private final AtomicBoolean namingFailed = new AtomicBoolean();

    private Spool(SpoolSettings settings, Consumer<String> warnings) {
        this.settings = settings;
        this.directory = settings.directory().toAbsolutePath();
        this.warnings = warnings;
        this.maxRecordBytes = settings.segmentBytes() - RecordFormat.HEADER_BYTES;
    }

    /**
     * Locks the directory, finds what an earlier process left, and makes the first segment. Never throws: a spool
     * that cannot be used says why and writes nothing.
     */
    public static Spool open(SpoolSettings settings, Consumer<String> warnings) {
        Spool spool = new Spool(settings, warnings);
        SpoolDirectory directory;
        try {
            directory = SpoolDirectory.open(spool.directory, warnings);
        }
        catch (IOException | RuntimeException ex) {
            spool.unavailable = describe(ex);
            warnings.accept("The spool at " + spool.directory + " cannot be used: " + spool.unavailable
                    + ". Events are shipped from memory only, and are lost if the process dies");
            return spool;
        }
        SegmentSupply supply = new SegmentSupply(spool.directory, settings, directory.nextNumber(), warnings);
        directory.earlierSegments().forEach(supply::adopt);
        for (Segment settled : directory.settledSegments()) {
            supply.adopt(settled);
            settled.recoveryRead(0);
        }
        spool.corrupt.addAndGet(directory.corruptRecords());
        spool.opened = directory;
        spool.supply = supply;
        spool.recovery = new Recovery(directory.earlierSegments(), directory.table(), spool::settlement,
                directory.recordsToRecover(), spool.corrupt);
        supply.start();
        supply.wantMaintenance();
        return spool;
    }

    public Path directory() {
        return this.directory;
    }

    /** Whether it could be opened and is not closed; one {@code DEGRADED} for a while is still usable. */
    public boolean isUsable() {
        return this.opened != null && !this.closed;
    }

    /** The spool's number for a destination, or -1 when it cannot name it (the spool is unusable). */
    public int destinationId(String logGroup, String logStream) {
        SpoolDirectory directory = this.opened;
        if (directory == null) {
            return -1;
        }
        try {
            return directory.table().idOf(logGroup, logStream);
        }
        catch (IOException ex) {
            // Once per spool: past the file's limit, every new name would say it again.
            if (this.namingFailed.compareAndSet(false, true)) {
                this.warnings.accept("The spool at " + this.directory + " cannot name the destination " + logGroup
                        + " / " + logStream + " (" + ex.getMessage() + "); its events, and those of any other "
                        + "destination it cannot name, are shipped from memory only");
            }
            return -1;
        }
    }

    /**
     * Writes an event; returns its position, {@link #NOT_SPOOLED} or {@link #FULL}. With {@code waitNanos} above
     * zero, a full spool is waited on that long for a segment to be freed. Never throws.
     */
    public long append(long timestamp, byte[] message, int[] destinationIds, long waitNanos) {
        SegmentSupply segments = this.supply;
        int length = RecordFormat.length(destinationIds.length, message.length);
        if (segments == null || this.closed || destinationIds.length == 0
                || destinationIds.length > RecordFormat.MAX_TARGETS
                || RecordFormat.aligned(length) > this.maxRecordBytes) {
            this.notSpooled.increment(); // unusable, or a record larger than a segment (a capacity below 8 MB)
            return NOT_SPOOLED;
        }
        if (hasRepeats(destinationIds)) {
            this.notSpooled.increment(); // the shipper never passes repeats; a record must not hold them
            return NOT_SPOOLED;
        }
        int aligned = RecordFormat.aligned(length);
        RecordScratch scratch = SCRATCH.get(); // before the reservation: nothing may fail between it and the write
        long deadline = (waitNanos > 0) ? System.nanoTime() + waitNanos : 0;
        Segment segment = segments.current();
        while (true) {
            int offset = (segment != null) ? segment.reserve(aligned) : -1;
            if (offset >= 0) {
                return written(segment, offset, length, timestamp, destinationIds, message, scratch);
            }
            Segment next = segments.roll(segment);
            if (next == null && waitNanos > 0 && !this.closed) {
                next = segments.awaitSegment(deadline); // BLOCK: a segment freed, then the next one made
            }
            if (next == null) {
                if (segments.isFull() && !this.closed) {
                    this.full.increment();
                    return FULL;
                }
                this.notSpooled.increment(); // a disk failure, or the spare is still being made
                return NOT_SPOOLED;
            }
            segment = next;
        }
    }

    private long written(Segment segment, int offset, int length, long timestamp, int[] ids, byte[] message,
            RecordScratch scratch) {
        String failure;
        try {
            if (!segment.write(offset, timestamp, ids, message, scratch)) {
                failure = "a write to " + Segment.fileName(segment.number()) + " failed";
            }
            else if (!this.settings.sync().always() || segment.force(offset, length)) {
                return (segment.number() << 32) | offset;
            }
            else {
                failure = "forcing a record of " + Segment.fileName(segment.number()) + " to disk failed";
                settleWhole((segment.number() << 32) | offset);
            }
        }
        catch (Throwable ex) {
            failure = "a write to " + Segment.fileName(segment.number()) + " failed: " + ex;
            settleWhole((segment.number() << 32) | offset);
        }
        // The event ships from memory; its slot is settled; the failure is said once.
        if (this.writeFailure == null) {
            this.writeFailure = failure;
            this.warnings.accept("The spool at " + this.directory + ": " + failure
                    + "; that event is shipped from memory only");
        }
        this.notSpooled.increment();
        return NOT_SPOOLED;
    }

    private void settleWhole(long position) {
        Settlement settlement = settlement();
        try {
            settlement.settleAll(position);
        }
        catch (Throwable ex) {
            // Left pending: the next process ships it once more, which is the at-least-once promise.
        }
        finally {
            settlement.finish();
        }
    }

    private static boolean hasRepeats(int[] ids) {
        for (int i = 1; i < ids.length; i++) {
            for (int j = 0; j < i; j++) {
                if (ids[i] == ids[j]) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A new handle to settle or mark records with; one per batch or event, on one thread. */
    public Settlement settlement() {
        SegmentSupply segments = this.supply;
        return new Settlement((segments != null) ? segments::segment : (number) -> null,
                (segments != null) ? segments::wantMaintenance : () -> {
                });
    }

    /** The numbers of the destinations that records of an earlier process still have to reach. */
    public Set<Integer> destinationsToRecover() {
        SpoolDirectory directory = this.opened;
        return (directory != null) ? Set.copyOf(directory.destinationsToRecover()) : Set.of();
    }

    /** The group and stream a number stands for; null when the destinations file does not name it. */
    public @Nullable DestinationName destination(int id) {
        SpoolDirectory directory = this.opened;
        return (directory != null) ? directory.table().name(id) : null;
    }

    /**
     * Hands every record an earlier process left unsettled to {@code sink}, oldest segment first, to the
     * destinations it had not reached yet, until the sink answers {@link RecoveryOutcome#STOP}.
     */
    public void recover(Function<RecoveredRecord, RecoveryOutcome> sink) {
        Recovery current = this.recovery;
        if (current != null) {
            current.run(sink);
        }
    }

    public SpoolStatistics statistics() {
        SegmentSupply segments = this.supply;
        Recovery current = this.recovery;
        String failure = (segments != null) ? segments.failure() : null;
        SpoolState state = (this.unavailable != null) ? SpoolState.UNAVAILABLE
                : this.closed ? SpoolState.CLOSED : (failure != null) ? SpoolState.DEGRADED : SpoolState.ACTIVE;
        String reason = (this.unavailable != null) ? this.unavailable : (failure != null) ? failure : this.writeFailure;
        return new SpoolStatistics(this.directory.toString(), state.name(), reason,
                (segments != null) ? segments.segmentsOnDisk() : 0, (segments != null) ? segments.bytesOnDisk() : 0,
                (current != null) ? current.toRecover() : 0, (current != null) ? current.recovered() : 0,
                (current != null) ? current.duplicates() : 0, this.corrupt.get(), this.notSpooled.sum(),
                this.full.sum());
    }

    /**
     * Stops appending and releases the directory. Segments with unsettled records stay on disk for the next
     * process; the others are deleted as they settle. Call it once nothing settles any more.
     */
    public void close() {
        if (this.closed) {
            return;
        }
        this.closed = true;
        SpoolDirectory opened = this.opened;
        if (opened != null) {
            opened.table().close(); // a destination opened for an event's values after the stop is not numbered
        }
        SegmentSupply segments = this.supply;
        boolean ended = segments == null
                || segments.close(this.settings.sync().interval() != null || this.settings.sync().always());
        SpoolDirectory directory = this.opened;
        if (directory != null && ended) {
            directory.release();
        }
        else if (directory != null) {
            this.warnings.accept("The spool at " + this.directory + " stays locked until the process ends: its thread "
                    + "is still at work on the disk");
        }
    }

    /** A reason a person can act on. */
    static String describe(Exception ex) {
        if (ex instanceof AccessDeniedException denied) {
            return "it is not writable (access denied: " + denied.getFile() + ")";
        }
        if (ex instanceof FileAlreadyExistsException exists) {
            return "it is not a directory (" + exists.getFile() + " is a file)";
        }
        if (ex instanceof NoSuchFileException missing) {
            return "it cannot be created (no such file or directory: " + missing.getFile() + ")";
        }
        if (ex instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason() + " (" + fs.getFile() + ")";
        }
        String message = ex.getMessage();
        return (message != null) ? message : ex.getClass().getSimpleName();
    }

}
