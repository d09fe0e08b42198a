package io.github.cloudwatchlogging.shipping;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.FrayTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Destinations opened for events' values, closed when idle, under Fray: whatever the interleaving of the logging
 * threads, the worker's idle checks (here at every round) and the closing a logging call does when too many are
 * open, every event reaches the stream its values name (or the default one, counted), once, and the figures of
 * closed destinations are kept.
 */
@ExtendWith(FrayTestExtension.class)
class DestinationFrayTest {

    private static final long T0 = System.currentTimeMillis();

    private static void log(LogShipper shipper, String tenant, String message) {
        Destination target = shipper.mainTemplate().enter(Map.of("tenant", tenant)::get, "INFO");
        try {
            shipper.offer(T0, message.getBytes(StandardCharsets.UTF_8), new Destination[] { target });
        }
        finally {
            target.exit();
        }
    }

    @FrayTest(iterations = 300)
    void aDestinationClosingWhileEventsEnterItNeitherLosesNorMisroutesOne() throws Exception {
        List<String> sent = new CopyOnWriteArrayList<>();
        // One event a batch, so that each is settled at once and its destination may close between two events;
        // an idle timeout of a nanosecond, so that the worker closes whatever it can at every round.
        LogShipper shipper = new LogShipper(ShipperSettings.builder("group", "s/{mdc:tenant:-shared}")
            .batchDelay(Duration.ofMinutes(1))
            .maxBatchEvents(1)
            .maxInFlight(2)
            .maxDestinations(1)
            .destinationIdleTimeout(Duration.ofNanos(1))
            .build(), ShipperDiagnostics.NONE);
        shipper.start((batch) -> {
            batch.events()
                .forEach((event) -> sent.add(batch.destination().logStream() + " "
                        + new String(event.message(), StandardCharsets.UTF_8)));
            return PutResult.ALL_ACCEPTED;
        });
        Thread first = new Thread(() -> {
            log(shipper, "a", "a1");
            log(shipper, "a", "a2");
        });
        Thread second = new Thread(() -> {
            log(shipper, "b", "b1");
            log(shipper, "a", "a3");
        });
        first.start();
        second.start();
        first.join();
        second.join();
        StopReport report = shipper.stop();
        assertEquals(0, report.undelivered(), report.toString());
        List<String> messages = new ArrayList<>();
        long toDefault = 0;
        for (String line : sent) {
            String[] parts = line.split(" ");
            messages.add(parts[1]);
            if (parts[0].equals("s/shared")) {
                toDefault++;
            }
            else {
                assertEquals("s/" + parts[1].charAt(0), parts[0], "an event reached another value's stream: " + sent);
            }
        }
        assertEquals(List.of("a1", "a2", "a3", "b1"), messages.stream().sorted().toList(), "each sent once: " + sent);
        assertEquals(toDefault, shipper.mainTemplate().overflowed(), "every event sent to the default is counted");
        ShipperStatistics total = shipper.statistics();
        assertEquals(4, total.sent(), total.toString());
        assertEquals(0, total.unaccounted(), total.toString());
        assertEquals(0, total.queuedBytes(), "budget given back: " + total);
        assertTrue(shipper.destinationsOpenForEvents() <= 1, "at most max-destinations open");
    }

}
