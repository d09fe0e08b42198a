package io.github.cloudwatchlogging.spool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The segments of one spool and its one background thread ({@code cloudwatch-logging-spool}). The thread does all
 * the slow work: it creates the next segment before it is needed (zero-filling it on disk), forces segments to
 * disk for an interval sync, advances settled offsets and frees settled segments. A logging thread only ever takes
 * the ready spare, in a few instructions under {@link #rolls}; it never waits on the disk.
 */
final class SegmentSupply {

    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Path directory;

    private final int segmentBytes;

    private final int maxSegments;

    private final long syncNanos;

    private final Consumer<String> warnings;

    private final ConcurrentHashMap<Long, Segment> segments = new ConcurrentHashMap<>();

    private final AtomicInteger onDisk = new AtomicInteger();

    private final AtomicLong bytesOnDisk = new AtomicLong();

    private final AtomicLong nextNumber;

    private final AtomicBoolean maintenanceWanted = new AtomicBoolean();

    private final Object rolls = new Object();

    private final Object space = new Object();

    private volatile @Nullable Segment current;

    /** Guarded by {@link #rolls}. */
    private @Nullable Segment spare;

    private volatile @Nullable String failure;

    private volatile boolean closed;

    private final Thread thread;

    SegmentSupply(Path directory, SpoolSettings settings, long firstNumber, Consumer<String> warnings) {
        this.directory = directory;
        this.segmentBytes = settings.segmentBytes();
        this.maxSegments = settings.maxSegments();
        this.syncNanos = (settings.sync().interval() != null) ? settings.sync().interval().toNanos() : 0;
        this.warnings = warnings;
        this.nextNumber = new AtomicLong(firstNumber);
        this.thread = new Thread(this::maintain, "cloudwatch-logging-spool");
        this.thread.setDaemon(true);
    }

    /** Makes the first segment here, on the caller's thread, then starts the background thread. */
    void start() {
        Segment first = create();
        synchronized (this.rolls) {
            this.current = first;
        }
        this.thread.start();
    }

    /** Counts a segment of an earlier process (its disk counts toward the capacity) and looks after freeing it. */
    void adopt(Segment segment) {
        track(segment);
    }

    @Nullable Segment current() {
        return this.current;
    }

    @Nullable Segment segment(long number) {
        return this.segments.get(number);
    }

    int segmentsOnDisk() {
        return this.onDisk.get();
    }

    long bytesOnDisk() {
        return this.bytesOnDisk.get();
    }

    boolean isFull() {
        return this.onDisk.get() >= this.maxSegments;
    }

    /** Why no segment could be created lately; null when the last one was. */
    @Nullable String failure() {
        return this.failure;
    }

    /** Takes the spare in place of a sealed segment; null when there is none (full, a disk failure, or not yet). */
    @Nullable Segment roll(@Nullable Segment sealed) {
        Segment next;
        synchronized (this.rolls) {
            Segment now = this.current;
            if (now != sealed && now != null) {
                return now; // another call rolled already
            }
            if (this.closed) {
                return null;
            }
            next = this.spare;
            this.spare = null;
            this.current = next;
        }
        wantMaintenance(); // make the next spare
        return next;
    }

    /**
     * Waits until there is a segment to write to (a segment freed, then the next one made) or the deadline passes;
     * returns it, or null at the deadline or once closed.
     */
    @Nullable Segment awaitSegment(long deadline) {
        synchronized (this.space) {
            while (!this.closed) {
                Segment now = this.current;
                if (now != null) {
                    return now;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return null;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this.space, remaining);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return null;
        }
    }

    /** Records were settled somewhere: the background thread looks for offsets to advance and segments to free. */
    void wantMaintenance() {
        if (this.maintenanceWanted.compareAndSet(false, true)) {
            LockSupport.unpark(this.thread);
        }
    }

    /**
     * Stops appending: seals the current segment, deletes the spare, stops the thread after a last round. Returns
     * false when the thread did not end in time (a disk that hangs): the directory must then stay locked, since the
     * thread may still name a segment in it.
     */
    boolean close(boolean force) {
        Segment unused;
        synchronized (this.rolls) {
            if (this.closed) {
                return true;
            }
            this.closed = true;
            Segment last = this.current;
            this.current = null;
            if (last != null) {
                last.seal();
            }
            unused = this.spare;
            this.spare = null;
        }
        synchronized (this.space) {
            this.space.notifyAll();
        }
        LockSupport.unpark(this.thread);
        try {
            this.thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        if (unused != null) {
            unused.deleteUnused();
            untrack(unused);
        }
        if (this.thread.isAlive()) {
            return false;
        }
        maintainSegments();
        if (force) {
            this.segments.values().forEach(Segment::forceAll);
        }
        return true;
    }

    private void maintain() {
        long nextSync = System.nanoTime() + this.syncNanos;
        long nextTry = System.nanoTime();
        while (!this.closed) {
            try {
                this.maintenanceWanted.set(false);
                maintainSegments();
                if (needsSpare() && System.nanoTime() - nextTry >= 0) {
                    Segment made = create(); // outside the lock: zero-filling takes a while
                    nextTry = System.nanoTime() + ((made == null) ? RETRY_NANOS : 0);
                    if (made != null) {
                        publish(made);
                    }
                }
                if (this.syncNanos > 0 && System.nanoTime() - nextSync >= 0) {
                    for (Segment segment : this.segments.values()) {
                        if (!segment.forceAll()) {
                            this.failure = "forcing " + Segment.fileName(segment.number()) + " to disk failed";
                        }
                    }
                    nextSync = System.nanoTime() + this.syncNanos;
                }
                long wait = RETRY_NANOS;
                if (this.syncNanos > 0) {
                    wait = Math.min(wait, Math.max(1, nextSync - System.nanoTime()));
                }
                if (!this.maintenanceWanted.get()) {
                    LockSupport.parkNanos(this, wait);
                }
            }
            catch (Throwable ex) {
                // The thread must outlive anything one round throws; the next round tries again.
                this.failure = "the spool's thread failed: " + ex;
                LockSupport.parkNanos(this, RETRY_NANOS);
            }
        }
    }

    private boolean needsSpare() {
        synchronized (this.rolls) {
            return !this.closed && (this.spare == null || this.current == null) && !isFull();
        }
    }

    private void publish(Segment made) {
        boolean unused;
        synchronized (this.rolls) {
            unused = this.closed;
            if (!unused) {
                if (this.current == null) {
                    this.current = made;
                }
                else {
                    this.spare = made;
                }
            }
        }
        if (unused) {
            made.deleteUnused();
            untrack(made);
        }
        synchronized (this.space) {
            this.space.notifyAll(); // a call waiting for a segment has one
        }
    }

    private void maintainSegments() {
        for (Segment segment : this.segments.values()) {
            segment.advanceSettledOffset();
            if (segment.freeIfSettled()) {
                untrack(segment);
            }
        }
    }

    /** Creates a segment, or says why it cannot and returns null. */
    private @Nullable Segment create() {
        long number = this.nextNumber.getAndIncrement();
        try {
            Segment segment = Segment.create(this.directory, number, this.segmentBytes, () -> this.closed);
            track(segment);
            if (this.failure != null) {
                this.failure = null;
                this.warnings.accept("The spool at " + this.directory + " writes again");
            }
            return segment;
        }
        catch (IOException | RuntimeException ex) {
            if (this.failure == null) {
                this.failure = "cannot create a segment of " + this.segmentBytes + " bytes: " + Spool.describe(ex);
                this.warnings.accept("The spool at " + this.directory + " " + this.failure
                        + "; events are shipped from memory only until it can (tried again every 5 s)");
            }
            return null;
        }
    }

    private void track(Segment segment) {
        this.segments.put(segment.number(), segment);
        this.onDisk.incrementAndGet();
        this.bytesOnDisk.addAndGet(segment.size());
    }

    private void untrack(Segment segment) {
        if (this.segments.remove(segment.number(), segment)) {
            this.onDisk.decrementAndGet();
            this.bytesOnDisk.addAndGet(-segment.size());
            synchronized (this.space) {
                this.space.notifyAll();
            }
        }
    }

}
