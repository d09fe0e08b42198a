package io.github.cloudwatchlogging.spool;

/** Where a spool is. */
public enum SpoolState {

    /** Every accepted event is written to it. */
    ACTIVE,

    /** It cannot write for now (a full disk, a failed write): events ship from memory, and it tries again. */
    DEGRADED,

    /** It could not be opened (not writable, held by another process): events ship from memory only. */
    UNAVAILABLE,

    /** Its shipper stopped. */
    CLOSED

}
