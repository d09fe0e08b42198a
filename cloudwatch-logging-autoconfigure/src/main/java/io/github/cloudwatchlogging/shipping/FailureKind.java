package io.github.cloudwatchlogging.shipping;

/** What a failed PutLogEvents call means for its batch. */
enum FailureKind {

    /** The service asked us to slow down: back off, then send the same batch again. */
    THROTTLED,

    /** A 5xx, an I/O error or a timeout: back off, then send the same batch again. */
    TRANSIENT,

    /** The group or stream is missing and may not be created: back off and keep buffering. */
    RESOURCE_NOT_FOUND,

    /** Credentials missing, refused or expired: back off and keep buffering, since they may refresh. */
    AUTHORIZATION,

    /** InvalidParameterException: the batch will never be accepted as it is, so it is counted as rejected. */
    INVALID_BATCH,

    /** Anything else: back off and try again. */
    UNKNOWN;

    boolean retryable() {
        return this != INVALID_BATCH;
    }

}
