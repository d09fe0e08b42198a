package io.github.cloudwatchlogging.spool;

/**
 * A log group and stream, as the spool's destinations file names them.
 *
 * @param logGroup the log group
 * @param logStream the log stream
 */
public record DestinationName(String logGroup, String logStream) {

    String key() {
        return this.logGroup + '\u0000' + this.logStream;
    }

}
