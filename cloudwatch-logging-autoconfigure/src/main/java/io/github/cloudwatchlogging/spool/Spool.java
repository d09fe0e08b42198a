package io.github.cloudwatchlogging.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.jspecify.annotations.Nullable;

/**
 * The spool of one process: its directory locked, the segments an earlier process left to recover, and the
 * segments it appends to. See docs/SPOOL.md.
 * <p>
 * Logging threads call {@link #append} (lock-free but for the rare step to a new segment, which a background thread
 * has already created). Whoever settles events calls {@link #settlement}. A spool that cannot be used never fails
 * the application: it says why ({@link #statistics}) and {@link #append} answers {@link #NOT_SPOOLED}.
 */
public final class Spool {

    /** The event was not written: ship it from memory. */
    public static final long NOT_SPOOLED = -1;

    /** The spool is at its capacity: the overflow policy applies. */
    public static final long FULL = -2;

    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private static final ThreadLocal<CRC32C> CRC = ThreadLocal.withInitial(CRC32C::new);

    private final SpoolSettings settings;

    private final Path directory;

    private final int segmentBytes;

    private final Consumer<String> warnings;

    private final ConcurrentHashMap<Long, Segment> segments = new ConcurrentHashMap<>();

    private final List<Segment> toRecover = new ArrayList<>();

    private final Set<Integer> recoveredDestinations = new LinkedHashSet<>();

    private final AtomicInteger segmentsOnDisk = new AtomicInteger();

    private final AtomicLong bytesOnDisk = new AtomicLong();

    private final LongAdder notSpooled = new LongAdder();

    private final LongAdder full = new LongAdder();

    private final AtomicLong recovered = new AtomicLong();

    /** Records found at start-up, not yet handed to the shipper. */
    private final AtomicLong toRecoverRecords = new AtomicLong();

    private final AtomicLong recoveredDuplicates = new AtomicLong();

    private final AtomicLong corruptRecords = new AtomicLong();

    private final Object rolls = new Object();

    private final Object space = new Object();

    private volatile @Nullable Segment current;

    /** Guarded by {@link #rolls}. */
    private @Nullable Segment spare;

    /** Guarded by {@link #rolls}. */
    private long nextNumber;

    private volatile String state = "ACTIVE";

    private volatile @Nullable String reason;

    private volatile boolean closed;

    private @Nullable DestinationTable table;

    private @Nullable FileChannel lockChannel;

    private @Nullable FileLock lock;

    private @Nullable Thread maintenance;

    private Spool(SpoolSettings settings, Consumer<String> warnings) {
        this.settings = settings;
        this.directory = settings.directory().toAbsolutePath();
        this.segmentBytes = settings.segmentBytes();
        this.warnings = warnings;
    }

    /**
     * Locks the directory, finds what an earlier process left, and makes the first segment. Never throws: a spool
     * that cannot be used says why and writes nothing.
     */
    public static Spool open(SpoolSettings settings, Consumer<String> warnings) {
        Spool spool = new Spool(settings, warnings);
        try {
            spool.lockDirectory();
            spool.findEarlierSegments();
        }
        catch (IOException | RuntimeException ex) {
            spool.unavailable(ex);
            return spool;
        }
        synchronized (spool.rolls) {
            spool.current = spool.createSegment();
        }
        Thread thread = new Thread(spool::maintain, "cloudwatch-logging-spool");
        thread.setDaemon(true);
        spool.maintenance = thread;
        thread.start();
        return spool;
    }

    public Path directory() {
        return this.directory;
    }

    /** Whether it could be opened; a spool that is {@code DEGRADED} for a while is still usable. */
    public boolean isUsable() {
        return this.table != null && !this.closed;
    }

    /** The spool's number for a destination, or -1 when it cannot name it (the spool is unusable). */
    public int destinationId(String logGroup, String logStream) {
        DestinationTable destinations = this.table;
        if (destinations == null) {
            return -1;
        }
        try {
            return destinations.idOf(logGroup, logStream);
        }
        catch (IOException ex) {
            this.warnings.accept("The spool at " + this.directory + " cannot name the destination " + logGroup + " / "
                    + logStream + " (" + ex.getMessage() + "); its events are shipped from memory only");
            return -1;
        }
    }

    /**
     * Writes an event; returns its position, {@link #NOT_SPOOLED} or {@link #FULL}. With {@code waitNanos} above
     * zero, a full spool is waited on that long for a segment to be freed.
     */
    public long append(long timestamp, byte[] message, int[] destinationIds, long waitNanos) {
        if (this.closed || this.table == null || destinationIds.length == 0
                || destinationIds.length > RecordFormat.MAX_TARGETS) {
            this.notSpooled.increment();
            return NOT_SPOOLED;
        }
        int length = RecordFormat.length(destinationIds.length, message.length);
        int aligned = RecordFormat.aligned(length);
        if (aligned > this.segmentBytes - RecordFormat.HEADER_BYTES) {
            this.notSpooled.increment(); // larger than a segment: only a capacity below 8 MB can make this happen
            return NOT_SPOOLED;
        }
        long deadline = System.nanoTime() + waitNanos;
        Segment segment = this.current;
        while (true) {
            int offset = (segment != null) ? segment.reserve(aligned) : -1;
            if (offset >= 0) {
                segment.write(offset, timestamp, destinationIds, message, CRC.get());
                if (this.settings.sync().always()) {
                    segment.force(offset, length);
                }
                return (segment.number() << 32) | offset;
            }
            Segment next = roll(segment);
            if (next == null) {
                if (this.segmentsOnDisk.get() < this.settings.maxSegments() || this.closed) {
                    this.notSpooled.increment(); // a disk failure, or the spare is still being made
                    return NOT_SPOOLED;
                }
                if (!awaitSpace(deadline)) {
                    this.full.increment();
                    return FULL;
                }
            }
            segment = next;
        }
    }

    /** A new handle to settle records with; one per batch or event, on one thread. */
    public Settlement settlement() {
        return new Settlement();
    }

    /** The record is about to be sent for the first time: the next process counts it a possible duplicate. */
    public void markHandedOver(long position) {
        Segment segment = segmentOf(position);
        if (segment != null) {
            segment.markHandedOver((int) position);
        }
    }

    /** The numbers of the destinations that records of an earlier process still have to reach. */
    public Set<Integer> destinationsToRecover() {
        return Set.copyOf(this.recoveredDestinations);
    }

    /** The group and stream a number stands for; null when the destinations file does not name it. */
    public @Nullable DestinationName destination(int id) {
        DestinationTable destinations = this.table;
        return (destinations != null) ? destinations.name(id) : null;
    }

    /**
     * Hands every record an earlier process left unsettled to {@code sink}, oldest segment first, until the sink
     * answers false (the shipper is stopping: the rest stays on disk). Each record goes to the destinations it had
     * not reached yet. A segment is deleted once every record it held is settled.
     */
    public void recover(Predicate<RecoveredRecord> sink) {
        for (Segment segment : this.toRecover) {
            SegmentScanner scanner = new SegmentScanner(segment);
            int handed = 0;
            while (scanner.next()) {
                int pending = scanner.pending();
                if (pending == 0) {
                    continue;
                }
                RecoveredRecord record = read(segment, scanner, pending);
                if (record == null) {
                    this.toRecoverRecords.decrementAndGet(); // nowhere to ship it: counted corrupt
                    continue;
                }
                if (!sink.test(record)) {
                    return;
                }
                handed++;
                this.recovered.incrementAndGet();
                this.toRecoverRecords.decrementAndGet();
                if (record.handedOver()) {
                    this.recoveredDuplicates.incrementAndGet();
                }
            }
            segment.recoveryRead(handed);
        }
        this.toRecover.clear();
    }

    public SpoolStatistics statistics() {
        return new SpoolStatistics(this.directory.toString(), this.state, this.reason, this.segmentsOnDisk.get(),
                this.bytesOnDisk.get(), this.toRecoverRecords.get(), this.recovered.get(), this.recoveredDuplicates.get(),
                this.corruptRecords.get(), this.notSpooled.sum(), this.full.sum());
    }

    /**
     * Stops appending and releases the directory. Segments with unsettled records stay on disk for the next
     * process; the others are deleted as they settle.
     */
    public void close() {
        synchronized (this.rolls) {
            if (this.closed) {
                return;
            }
            this.closed = true;
            Segment last = this.current;
            this.current = null;
            if (last != null) {
                last.seal();
            }
            Segment unused = this.spare;
            this.spare = null;
            if (unused != null) {
                unused.deleteUnused();
            }
        }
        synchronized (this.space) {
            this.space.notifyAll();
        }
        Thread thread = this.maintenance;
        if (thread != null) {
            thread.interrupt();
        }
        if (this.settings.sync().interval() != null || this.settings.sync().always()) {
            this.segments.values().forEach(Segment::forceAll);
        }
        try {
            if (this.lock != null) {
                this.lock.release();
            }
            if (this.lockChannel != null) {
                this.lockChannel.close();
            }
        }
        catch (IOException ex) {
            // The lock goes with the process anyway.
        }
        if (this.table != null) {
            this.state = "CLOSED";
        }
    }

    private void lockDirectory() throws IOException {
        Files.createDirectories(this.directory);
        Path lockFile = this.directory.resolve("spool.lock");
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock acquired;
        try {
            acquired = channel.tryLock();
        }
        catch (OverlappingFileLockException ex) {
            channel.close();
            throw new IOException("another shipper in this JVM uses it");
        }
        if (acquired == null) {
            String holder = Files.readString(lockFile, StandardCharsets.UTF_8).trim();
            channel.close();
            throw new IOException("another process uses it (" + (holder.isEmpty() ? "unknown" : holder) + ")");
        }
        this.lockChannel = channel;
        this.lock = acquired;
        ProcessHandle self = ProcessHandle.current();
        String holder = "pid " + self.pid() + ", started "
                + self.info().startInstant().map(Object::toString).orElse("at an unknown time");
        channel.truncate(0);
        channel.write(java.nio.ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
        this.table = DestinationTable.read(this.directory);
    }

    private void findEarlierSegments() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(this.directory)) {
            files = listing.filter((file) -> file.getFileName().toString().matches("segment-\\d{16}")).sorted().toList();
        }
        long highest = -1;
        for (Path file : files) {
            long number = Long.parseLong(file.getFileName().toString().substring("segment-".length()));
            highest = Math.max(highest, number);
            Segment segment = Segment.openRecovered(file, number);
            if (segment == null) {
                this.warnings.accept("The spool at " + this.directory + " ignores " + file.getFileName()
                        + ": it is not a segment");
                continue;
            }
            track(segment);
            int unsettled = 0;
            SegmentScanner scanner = new SegmentScanner(segment);
            while (scanner.next()) {
                int pending = scanner.pending();
                for (int i = 0; i < scanner.targets(); i++) {
                    if ((pending & (1 << i)) != 0) {
                        this.recoveredDestinations.add(scanner.destinationId(i));
                    }
                }
                unsettled += (pending != 0) ? 1 : 0;
            }
            this.corruptRecords.addAndGet(scanner.corrupt());
            this.toRecoverRecords.addAndGet(unsettled);
            if (unsettled == 0) {
                segment.recoveryRead(0); // deleted now
            }
            else {
                this.toRecover.add(segment);
            }
        }
        this.nextNumber = highest + 1;
    }

    private @Nullable RecoveredRecord read(Segment segment, SegmentScanner scanner, int pending) {
        int targets = scanner.targets();
        int count = Integer.bitCount(pending & RecordFormat.allPending(targets));
        String[] groups = new String[count];
        String[] streams = new String[count];
        int[] ids = new int[count];
        int found = 0;
        for (int i = 0; i < targets; i++) {
            if ((pending & (1 << i)) != 0) {
                int id = scanner.destinationId(i);
                DestinationName name = destination(id);
                if (name != null) {
                    groups[found] = name.logGroup();
                    streams[found] = name.logStream();
                    ids[found++] = id;
                }
            }
        }
        long position = (segment.number() << 32) | scanner.offset();
        if (found < count) {
            // A destination the file does not name (its line was torn): that part cannot be shipped anywhere.
            this.corruptRecords.incrementAndGet();
            Settlement settlement = settlement();
            for (int i = 0; i < targets; i++) {
                int id = scanner.destinationId(i);
                if ((pending & (1 << i)) != 0 && destination(id) == null) {
                    settlement.settle(position, id);
                }
            }
            settlement.finish();
            if (found == 0) {
                return null;
            }
        }
        return new RecoveredRecord(position, scanner.timestamp(), scanner.message(),
                java.util.Arrays.copyOf(groups, found), java.util.Arrays.copyOf(streams, found),
                java.util.Arrays.copyOf(ids, found), scanner.handedOver());
    }

    /** Takes the spare in place of a sealed segment; null when there is none (full, or a disk failure). */
    private @Nullable Segment roll(@Nullable Segment sealed) {
        Thread thread;
        synchronized (this.rolls) {
            Segment now = this.current;
            if (now != sealed && now != null) {
                return now; // another call rolled already
            }
            if (this.closed) {
                return null;
            }
            this.current = this.spare;
            this.spare = null;
            thread = this.maintenance;
        }
        if (thread != null) {
            java.util.concurrent.locks.LockSupport.unpark(thread); // make the next spare
        }
        return this.current;
    }

    private boolean awaitSpace(long deadline) {
        synchronized (this.space) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0 || this.closed || this.segmentsOnDisk.get() < this.settings.maxSegments()) {
                return remaining > 0 && !this.closed;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this.space, remaining);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
            return true;
        }
    }

    /** Guarded by {@link #rolls}. Creates a segment, or says why it cannot and returns null. */
    private @Nullable Segment createSegment() {
        long number = this.nextNumber++;
        try {
            Segment segment = Segment.create(this.directory, number, this.segmentBytes);
            track(segment);
            if (this.reason != null && !this.state.equals("UNAVAILABLE")) {
                this.warnings.accept("The spool at " + this.directory + " writes again");
                this.state = "ACTIVE";
                this.reason = null;
            }
            return segment;
        }
        catch (IOException | RuntimeException ex) {
            if (!"DEGRADED".equals(this.state)) {
                this.state = "DEGRADED";
                this.reason = "cannot create a segment of " + this.segmentBytes + " bytes: " + describe(ex);
                this.warnings.accept("The spool at " + this.directory + " " + this.reason
                        + "; events are shipped from memory only until it can (tried again every 5 s)");
            }
            return null;
        }
    }

    private void track(Segment segment) {
        this.segments.put(segment.number(), segment);
        this.segmentsOnDisk.incrementAndGet();
        this.bytesOnDisk.addAndGet(segment.size());
        segment.onFreed(() -> segmentFreed(segment));
    }

    private void segmentFreed(Segment segment) {
        if (this.segments.remove(segment.number(), segment)) {
            this.segmentsOnDisk.decrementAndGet();
            this.bytesOnDisk.addAndGet(-segment.size());
            Thread thread = this.maintenance;
            if (thread != null) {
                java.util.concurrent.locks.LockSupport.unpark(thread);
            }
            synchronized (this.space) {
                this.space.notifyAll();
            }
        }
    }

    /** The background thread: keeps a spare segment ready, and forces segments to disk for an interval sync. */
    private void maintain() {
        long interval = (this.settings.sync().interval() != null) ? this.settings.sync().interval().toNanos() : 0;
        long nextSync = System.nanoTime() + interval;
        while (!this.closed) {
            synchronized (this.rolls) {
                if (!this.closed && this.spare == null
                        && this.segmentsOnDisk.get() < this.settings.maxSegments()) {
                    Segment made = createSegment();
                    if (this.current == null) {
                        this.current = made;
                    }
                    else {
                        this.spare = made;
                    }
                }
            }
            if (interval > 0 && System.nanoTime() - nextSync >= 0) {
                this.segments.values().forEach(Segment::forceAll);
                nextSync = System.nanoTime() + interval;
            }
            long wait = (interval > 0) ? Math.min(RETRY_NANOS, Math.max(0, nextSync - System.nanoTime()))
                    : RETRY_NANOS;
            java.util.concurrent.locks.LockSupport.parkNanos(this, wait);
        }
    }

    private @Nullable Segment segmentOf(long position) {
        return (position < 0) ? null : this.segments.get(position >>> 32);
    }

    private void unavailable(Exception ex) {
        this.state = "UNAVAILABLE";
        this.reason = describe(ex);
        this.table = null;
        this.warnings.accept("The spool at " + this.directory + " cannot be used: " + this.reason
                + ". Events are shipped from memory only, and are lost if the process dies");
    }

    private static String describe(Exception ex) {
        if (ex instanceof java.nio.file.AccessDeniedException denied) {
            return "it is not writable (access denied: " + denied.getFile() + ")";
        }
        if (ex instanceof java.nio.file.FileAlreadyExistsException exists) {
            return "it is not a directory (" + exists.getFile() + " is a file)";
        }
        if (ex instanceof java.nio.file.NoSuchFileException missing) {
            return "it cannot be created (no such file or directory: " + missing.getFile() + ")";
        }
        if (ex instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason() + " (" + fs.getFile() + ")";
        }
        String message = ex.getMessage();
        return (message != null) ? message : ex.getClass().getSimpleName();
    }

    /** Settles records, counting per segment, so that a segment advances its settled offset once per batch. */
    public final class Settlement {

        private @Nullable Segment segment;

        private int settled;

        private Settlement() {
        }

        /** The record at {@code position} reached, or gave up on, this destination. */
        public void settle(long position, int destinationId) {
            Segment target = segmentFor(position);
            if (target != null && target.settle((int) position, destinationId)) {
                this.settled++;
            }
        }

        /** The record will reach none of its destinations (refused before it was queued). */
        public void settleAll(long position) {
            Segment target = segmentFor(position);
            if (target != null && target.settleAll((int) position)) {
                this.settled++;
            }
        }

        public void finish() {
            if (this.segment != null && this.settled > 0) {
                this.segment.recordsSettled(this.settled);
            }
            this.segment = null;
            this.settled = 0;
        }

        private @Nullable Segment segmentFor(long position) {
            Segment target = segmentOf(position);
            if (target != this.segment) {
                finish();
                this.segment = target;
            }
            return target;
        }

    }

}
