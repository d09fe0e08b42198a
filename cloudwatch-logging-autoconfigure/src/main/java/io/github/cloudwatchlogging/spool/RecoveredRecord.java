package io.github.cloudwatchlogging.spool;

/**
 * A record an earlier process left unsettled, to be shipped again.
 *
 * @param position where it is, for {@link Spool#settlement}
 * @param timestamp its original timestamp
 * @param message its UTF-8 message
 * @param logGroups the log group of each destination it still has to reach
 * @param logStreams the log stream of each, in the same order
 * @param destinationIds the spool's number of each, in the same order
 * @param handedOver whether the earlier process had handed it to a sender: it may arrive twice
 */
public record RecoveredRecord(long position, long timestamp, byte[] message, String[] logGroups,
        String[] logStreams, int[] destinationIds, boolean handedOver) {
}
