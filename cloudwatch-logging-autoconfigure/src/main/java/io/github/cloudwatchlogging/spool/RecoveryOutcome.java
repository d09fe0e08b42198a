package io.github.cloudwatchlogging.spool;

/** What the shipper did with a record the spool recovered. */
public enum RecoveryOutcome {

    /** Queued (or refused for good, its record settled): it counts as handed over. */
    QUEUED,

    /** Not taken now, its record left unsettled: its segment stays on disk for the next process. */
    LEFT,

    /** The shipper is stopping: recovery ends, and the rest stays on disk. */
    STOP

}
