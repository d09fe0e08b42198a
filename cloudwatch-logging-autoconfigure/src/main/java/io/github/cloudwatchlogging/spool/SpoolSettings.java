package io.github.cloudwatchlogging.spool;

import java.nio.file.Path;

/**
 * Where the spool lives and how much disk it may use.
 *
 * @param directory the directory, created if missing; one process at a time
 * @param capacityBytes the disk its segments may take in all, spare segment included
 * @param sync what is forced to disk
 */
public record SpoolSettings(Path directory, long capacityBytes, SpoolSync sync) {

    public static final long DEFAULT_CAPACITY_BYTES = 256L * 1024 * 1024;

    static final int MIN_SEGMENT_BYTES = 1024 * 1024;

    static final int MAX_SEGMENT_BYTES = 64 * 1024 * 1024;

    public SpoolSettings {
        if (capacityBytes < 2L * MIN_SEGMENT_BYTES) {
            throw new IllegalArgumentException(
                    "The spool's capacity must be at least 2MB (two segments), not " + capacityBytes + " bytes");
        }
    }

    /** An eighth of the capacity, from 1 MB to 64 MB, in whole pages. */
    int segmentBytes() {
        long size = Math.max(MIN_SEGMENT_BYTES, Math.min(MAX_SEGMENT_BYTES, this.capacityBytes / 8));
        return (int) (size & ~4095L);
    }

    /** How many segments the capacity holds. */
    int maxSegments() {
        return (int) Math.max(2, this.capacityBytes / segmentBytes());
    }

}
