package io.github.cloudwatchlogging.shipping;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The type of every thread the shipper runs on. Adapters drop events logged on such a thread, so nothing the
 * shipper, the SDK or the HTTP client logs while sending can feed back into the queue.
 */
public final class ShipperThread extends Thread {

    private ShipperThread(Runnable task, String name) {
        super(task, name);
        setDaemon(true);
    }

    public static boolean isCurrent() {
        return Thread.currentThread() instanceof ShipperThread;
    }

    public static ThreadFactory factory(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return (task) -> new ShipperThread(task, prefix + "-" + number.incrementAndGet());
    }

    public static ShipperThread named(Runnable task, String name) {
        return new ShipperThread(task, name);
    }

}
