package io.github.cloudwatchlogging.spool;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Hands what an earlier process left to the shipper, oldest segment first, and counts it. A segment is given to
 * the maintenance thread to free only once recovery read all of it and every record it handed over is settled;
 * a segment with a record the shipper could not take now stays on disk for the next process.
 */
final class Recovery {

    private final List<Segment> segments;

    private final DestinationTable table;

    private final Supplier<Settlement> settlements;

    private final AtomicLong toRecover;

    private final AtomicLong recovered = new AtomicLong();

    private final AtomicLong duplicates = new AtomicLong();

    private final AtomicLong corrupt;

    Recovery(List<Segment> segments, DestinationTable table, Supplier<Settlement> settlements, long toRecover,
            AtomicLong corrupt) {
        this.segments = List.copyOf(segments);
        this.table = table;
        this.settlements = settlements;
        this.toRecover = new AtomicLong(toRecover);
        this.corrupt = corrupt;
    }

    long toRecover() {
        return this.toRecover.get();
    }

    long recovered() {
        return this.recovered.get();
    }

    long duplicates() {
        return this.duplicates.get();
    }

    /** Hands every unsettled record to {@code sink} until it answers {@link RecoveryOutcome#STOP}. */
    void run(Function<RecoveredRecord, RecoveryOutcome> sink) {
        for (Segment segment : this.segments) {
            SegmentScanner scanner = new SegmentScanner(segment);
            int handed = 0;
            boolean keep = false;
            while (scanner.next()) {
                int pending = scanner.pending();
                if (pending == 0) {
                    continue;
                }
                this.toRecover.decrementAndGet();
                RecoveredRecord record = read(segment, scanner, pending);
                if (record == null) {
                    handed++; // settled here: nowhere to ship it
                    continue;
                }
                RecoveryOutcome outcome = sink.apply(record);
                if (outcome == RecoveryOutcome.STOP) {
                    this.toRecover.incrementAndGet();
                    return; // the rest of it, and the segments after it, stay on disk
                }
                if (outcome == RecoveryOutcome.LEFT) {
                    this.toRecover.incrementAndGet(); // still to recover, by a later process
                    keep = true;
                    continue;
                }
                handed++;
                this.recovered.incrementAndGet();
                if (record.handedOver()) {
                    this.duplicates.incrementAndGet();
                }
            }
            if (!keep) {
                segment.recoveryRead(handed);
            }
        }
    }

    /**
     * The record, for the destinations it has not reached and the destinations file names. Destinations it does
     * not name (a line lost with a torn write) are settled here and counted corrupt; null when none is left.
     */
    private @Nullable RecoveredRecord read(Segment segment, SegmentScanner scanner, int pending) {
        int targets = scanner.targets();
        int count = Integer.bitCount(pending);
        String[] groups = new String[count];
        String[] streams = new String[count];
        int[] ids = new int[count];
        int found = 0;
        long position = (segment.number() << 32) | scanner.offset();
        Settlement unknown = this.settlements.get();
        boolean anyUnknown = false;
        try {
            for (int i = 0; i < targets; i++) {
                int id = scanner.destinationId(i);
                if ((pending & (1 << i)) == 0 || contains(ids, found, id)) {
                    continue; // settled, or an old record that names it twice: shipped once
                }
                DestinationName name = this.table.name(id);
                if (name != null) {
                    groups[found] = name.logGroup();
                    streams[found] = name.logStream();
                    ids[found++] = id;
                }
                else {
                    anyUnknown = true;
                    unknown.settle(position, id);
                }
            }
        }
        finally {
            unknown.finish();
        }
        if (anyUnknown) {
            this.corrupt.incrementAndGet();
        }
        if (found == 0) {
            return null;
        }
        return new RecoveredRecord(position, scanner.timestamp(), scanner.message(), Arrays.copyOf(groups, found),
                Arrays.copyOf(streams, found), Arrays.copyOf(ids, found), scanner.handedOver());
    }

    private static boolean contains(int[] ids, int count, int id) {
        for (int i = 0; i < count; i++) {
            if (ids[i] == id) {
                return true;
            }
        }
        return false;
    }

}
