package io.github.cloudwatchlogging.shipping;

/** Where a shipper is in its life. */
public enum ShipperState {

    /** Accepting and buffering events; nothing is sent until it is started. */
    BUFFERING,

    /** Sending. */
    RUNNING,

    /** Refusing new events and delivering what it holds. */
    STOPPING,

    /** Done; everything it held was delivered or counted as dropped. */
    STOPPED

}
