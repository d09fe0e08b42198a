package io.github.cloudwatchlogging.shipping;

/**
 * Creating a log group or stream failed. Whatever the service answered (an InvalidParameterException for a KMS key
 * it cannot use, say), the batch itself is not at fault: it is kept and sent again after a backoff, as for any
 * failure the configuration or the account may mend, never counted as rejected.
 */
final class DestinationSetupException extends RuntimeException {

    DestinationSetupException(String what, RuntimeException cause) {
        super(what + " failed: " + cause.getMessage(), cause);
    }

}
