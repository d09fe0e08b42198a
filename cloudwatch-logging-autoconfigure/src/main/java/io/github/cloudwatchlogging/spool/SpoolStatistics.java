package io.github.cloudwatchlogging.spool;

import org.jspecify.annotations.Nullable;

/**
 * What the spool is doing.
 *
 * @param directory where it lives
 * @param state {@code ACTIVE}; {@code DEGRADED} while it cannot write (a full disk: events ship from memory and it
 * tries again); {@code UNAVAILABLE} when it could not be opened at all (not writable, held by another process)
 * @param reason why it is not {@code ACTIVE}, else null
 * @param segments segment files on disk, the spare included
 * @param bytesOnDisk what those files take
 * @param toRecover records an earlier process left that this one has not queued yet (recovery runs at start-up;
 * what a stop leaves here stays on disk for the next start)
 * @param recovered records of an earlier process queued again at start-up
 * @param recoveredDuplicates of those, records an earlier process had handed to a sender: they may have arrived
 * already, so they may now arrive twice
 * @param corruptRecords damaged stretches skipped at start-up (a record cut short by a kill, flipped bytes)
 * @param notSpooled events shipped from memory only, because the spool could not write them
 * @param full events the spool had no room for (the overflow policy applied)
 */
public record SpoolStatistics(String directory, String state, @Nullable String reason, int segments, long bytesOnDisk,
        long toRecover, long recovered, long recoveredDuplicates, long corruptRecords, long notSpooled, long full) {
}
