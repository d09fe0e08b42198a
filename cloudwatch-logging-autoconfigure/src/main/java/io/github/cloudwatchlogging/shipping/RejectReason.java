package io.github.cloudwatchlogging.shipping;

/** Why CloudWatch Logs refused an event. Refused events are counted, never retried. */
public enum RejectReason {

    /** Older than 14 days ({@code tooOldLogEventEndIndex}). */
    TOO_OLD,

    /** More than 2 hours in the future ({@code tooNewLogEventStartIndex}). */
    TOO_NEW,

    /** Older than the log group's retention ({@code expiredLogEventEndIndex}). */
    EXPIRED,

    /** The whole batch failed with InvalidParameterException (for example a disabled KMS key). */
    INVALID_PARAMETER

}
