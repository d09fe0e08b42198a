package io.github.cloudwatchlogging.shipping;

/**
 * What a flush did.
 *
 * @param completed whether everything logged before the call was settled before the timeout
 * @param sent events delivered (accepted by CloudWatch Logs) while it waited
 * @param rejected events refused while it waited
 * @param remaining events still held when it returned
 */
public record FlushReport(boolean completed, long sent, long rejected, long remaining) {
}
