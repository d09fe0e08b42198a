package io.github.cloudwatchlogging.shipping;

/** The class of the log groups the shipper creates; fixed at creation. */
public enum LogGroupClass {

    /** All of CloudWatch Logs' features. */
    STANDARD,

    /** Half the ingestion price; no Live Tail, no metric filters, no anomaly detection (see AWS's documentation). */
    INFREQUENT_ACCESS

}
