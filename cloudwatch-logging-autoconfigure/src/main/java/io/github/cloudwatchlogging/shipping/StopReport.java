package io.github.cloudwatchlogging.shipping;

/**
 * What a stop left behind.
 *
 * @param undelivered events counted as dropped because the shutdown timeout ran out
 * @param leftInSpool events not delivered but kept in the spool, for the next process on its directory
 * @param statistics the final statistics
 */
public record StopReport(long undelivered, long leftInSpool, ShipperStatistics statistics) {

    public StopReport(long undelivered, ShipperStatistics statistics) {
        this(undelivered, 0, statistics);
    }

}
