package io.github.cloudwatchlogging.shipping;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.cloudwatchlogging.spool.SpoolSettings;
import io.github.cloudwatchlogging.spool.SpoolSync;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DestinationTemplateTests {

    private static final long T0 = System.currentTimeMillis();

    @RegisterExtension
    final Shippers shippers = new Shippers();

    private static ShipperSettingsBuilder settings(String stream) {
        return Shippers.settings(Duration.ofMillis(20)).logStream(stream);
    }

    /** What a logging call does: enter the destination of the event's values, queue, exit. */
    private static boolean log(LogShipper shipper, DestinationTemplate template, Map<String, String> mdc,
            String message) {
        Destination target = template.enter(mdc::get, "INFO");
        try {
            return shipper.offer(T0, message.getBytes(StandardCharsets.UTF_8), new Destination[] { target });
        }
        finally {
            target.exit();
        }
    }

    /** "stream / message" for every event sent, in the order sent. */
    private static List<String> sent(RecordingSender sender) {
        List<String> sent = new ArrayList<>();
        for (Batch batch : sender.accepted) {
            for (LogEvent event : batch.events()) {
                sent.add(batch.destination().logStream() + " / " + new String(event.message(), StandardCharsets.UTF_8));
            }
        }
        return sent;
    }

    @Test
    void eachValueIsAStreamOfItsOwnAndAMissingOneTakesTheDefault() {
        RecordingSender sender = RecordingSender.acceptingAll();
        LogShipper shipper = this.shippers.create(settings("app/{mdc:tenant:-shared}"));
        DestinationTemplate template = shipper.mainTemplate();
        shipper.start(sender);
        log(shipper, template, Map.of("tenant", "acme"), "one");
        log(shipper, template, Map.of("tenant", "globex"), "two");
        log(shipper, template, Map.of(), "three");
        log(shipper, template, Map.of("tenant", "acme"), "four");
        assertThat(shipper.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(sent(sender)).containsExactlyInAnyOrder("app/acme / one", "app/globex / two",
                "app/shared / three", "app/acme / four");
        for (Batch batch : sender.accepted) {
            assertThat(batch.events()).allSatisfy((event) -> assertThat(batch.destination().logStream())
                .isNotEqualTo("app/{mdc:tenant:-shared}"));
        }
        assertThat(shipper.destinationsOpenForEvents()).isEqualTo(2);
        assertThat(shipper.destinations()).extracting(Destination::logStream)
            .containsExactlyInAnyOrder("app/shared", "app/acme", "app/globex");
        ShipperStatistics total = shipper.statistics();
        assertThat(total.sent()).isEqualTo(4);
        assertThat(total.logStream()).isEqualTo("app/{mdc:tenant:-shared}");
        assertThat(total.unaccounted()).isZero();
    }

    @Test
    void oneValueTooManyGoesToTheDefaultDestinationCounted() {
        RecordingSender sender = RecordingSender.acceptingAll();
        LogShipper shipper = this.shippers.create(settings("app/{mdc:tenant:-shared}").maxDestinations(2));
        DestinationTemplate template = shipper.mainTemplate();
        shipper.start(sender);
        for (String tenant : List.of("a", "b", "c", "d", "a")) {
            assertThat(log(shipper, template, Map.of("tenant", tenant), "from " + tenant)).isTrue();
        }
        assertThat(shipper.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(sent(sender)).containsExactlyInAnyOrder("app/a / from a", "app/b / from b",
                "app/shared / from c", "app/shared / from d", "app/a / from a");
        assertThat(template.overflowed()).isEqualTo(2);
        assertThat(shipper.destinationsOpenForEvents()).isEqualTo(2);
        assertThat(shipper.statistics().sent()).isEqualTo(5);
    }

    @Test
    void anIdleDestinationClosesKeepingItsFiguresAndOpensAgainWithTheNextEvent() {
        RecordingSender sender = RecordingSender.acceptingAll();
        LogShipper shipper = this.shippers.create(settings("app/{mdc:tenant:-shared}").maxDestinations(1)
            .destinationIdleTimeout(Duration.ofMillis(100)));
        DestinationTemplate template = shipper.mainTemplate();
        shipper.start(sender);
        log(shipper, template, Map.of("tenant", "a"), "a1");
        log(shipper, template, Map.of("tenant", "a"), "a2");
        assertThat(shipper.flush(Duration.ofSeconds(10)).completed()).isTrue();
        Destination first = template.enter(Map.of("tenant", "a")::get, "INFO");
        first.exit();
        // The worker checks on its own while a destination for values is open.
        await().atMost(Duration.ofSeconds(10)).until(() -> shipper.destinationsOpenForEvents() == 0);
        assertThat(first.isClosed()).isTrue();
        assertThat(shipper.destinations()).extracting(Destination::logStream).containsExactly("app/shared");
        assertThat(shipper.statistics().sent()).as("a closed destination's figures stay in its template's").isEqualTo(2);
        // Its slot goes to the next one, whose batches hold only its own events.
        log(shipper, template, Map.of("tenant", "b"), "b1");
        log(shipper, template, Map.of("tenant", "a"), "a3"); // one too many while b is open
        assertThat(shipper.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(sent(sender)).containsExactlyInAnyOrder("app/a / a1", "app/a / a2", "app/b / b1",
                "app/shared / a3");
        await().atMost(Duration.ofSeconds(10)).until(() -> shipper.destinationsOpenForEvents() == 0);
        log(shipper, template, Map.of("tenant", "a"), "a4");
        assertThat(shipper.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(sent(sender)).contains("app/a / a4");
        ShipperStatistics total = shipper.statistics();
        assertThat(total.sent()).isEqualTo(5);
        assertThat(total.logged()).isEqualTo(5);
        assertThat(total.unaccounted()).isZero();
    }

    @Test
    void aDestinationIsNotClosedWhileALoggingCallIsInItOrWhileItHoldsEvents() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingSender sender = new RecordingSender((call) -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return PutResult.ALL_ACCEPTED;
        });
        LogShipper shipper = this.shippers.create(settings("app/{mdc:tenant:-shared}")
            .destinationIdleTimeout(Duration.ofMillis(20)));
        DestinationTemplate template = shipper.mainTemplate();
        shipper.start(sender);
        Destination entered = template.enter(Map.of("tenant", "held")::get, "INFO");
        log(shipper, template, Map.of("tenant", "busy"), "in flight");
        Destination busy = template.enter(Map.of("tenant", "busy")::get, "INFO");
        busy.exit();
        Thread.sleep(300); // many idle checks of the worker, every 10 ms
        assertThat(entered.isClosed()).as("a logging call is in it").isFalse();
        assertThat(busy.isClosed()).as("its event is in flight").isFalse();
        entered.exit();
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> shipper.destinationsOpenForEvents() == 0);
        assertThat(entered.isClosed()).isTrue();
        assertThat(entered.enter()).as("a closed destination is never entered again").isFalse();
        assertThat(busy.isClosed()).isTrue();
        assertThat(shipper.statistics().sent()).isEqualTo(1);
    }

    @Test
    void theLevelNamesAStream() {
        RecordingSender sender = RecordingSender.acceptingAll();
        LogShipper shipper = this.shippers.create(settings("app/{level}"));
        DestinationTemplate template = shipper.mainTemplate();
        shipper.start(sender);
        for (String level : List.of("INFO", "ERROR")) {
            Destination target = template.enter(Map.<String, String>of()::get, level);
            shipper.offer(T0, level.toLowerCase().getBytes(StandardCharsets.UTF_8), new Destination[] { target });
            target.exit();
        }
        assertThat(shipper.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(sent(sender)).containsExactlyInAnyOrder("app/INFO / info", "app/ERROR / error");
        assertThat(shipper.mainDestination().logStream()).as("the default names every level ALL").isEqualTo("app/ALL");
    }

    @Test
    void valuesBecomeValidNamesAndLiteralTextIsCheckedWithTheSettings() {
        RecordingSender sender = RecordingSender.acceptingAll();
        LogShipper shipper = this.shippers.create(settings("app/{mdc:tenant}").logGroup("/tenants/{mdc:tenant}"));
        DestinationTemplate template = shipper.mainTemplate();
        shipper.start(sender);
        log(shipper, template, Map.of("tenant", "a b:c*d"), "odd");
        assertThat(shipper.flush(Duration.ofSeconds(10)).completed()).isTrue();
        Destination destination = sender.accepted.get(0).destination();
        assertThat(destination.logGroup()).isEqualTo("/tenants/a_b_c_d");
        assertThat(destination.logStream()).isEqualTo("app/a b_c_d");
        assertThat(ShipperSettings.logGroupNameProblem("/tenants {mdc:tenant}")).contains("letters, digits");
        assertThat(ShipperSettings.logStreamNameProblem("a:{mdc:tenant}")).contains("':'");
        assertThat(ShipperSettings.logGroupNameProblem("/tenants/{mdc:tenant:-not valid}")).isNull();
    }

    /**
     * Review finding: a tenant whose events an earlier process left in the spool, logged again before the start,
     * made the start throw (the recovered destination "led to the same stream"); without the early event, the
     * tenant's live events went to the recovered destination, pinned and counted under it.
     */
    @Test
    void aTenantWhoseEventsTheSpoolKeptShipsItsLiveEventsThroughItsOwnRoute(@TempDir Path spool) {
        ShipperSettingsBuilder settings = settings("s/{mdc:tenant:-shared}").shutdownTimeout(Duration.ofMillis(300))
            .spool(new SpoolSettings(spool, 8L * 1024 * 1024, SpoolSync.NONE));
        LogShipper first = this.shippers.create(settings);
        log(first, first.mainTemplate(), Map.of("tenant", "acme"), "left behind");
        assertThat(first.stop().leftInSpool()).isEqualTo(1);

        LogShipper second = this.shippers.create(settings);
        log(second, second.mainTemplate(), Map.of("tenant", "acme"), "before the start");
        RecordingSender sender = RecordingSender.acceptingAll();
        second.start(sender);
        await().atMost(Duration.ofSeconds(10)).until(() -> second.spoolStatistics().recovered() == 1);
        log(second, second.mainTemplate(), Map.of("tenant", "acme"), "after the start");
        assertThat(second.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(sent(sender)).containsExactlyInAnyOrder("s/acme / left behind", "s/acme / before the start",
                "s/acme / after the start");
        assertThat(second.statistics().sent()).as("live events count under their own route").isEqualTo(2);
    }

    /**
     * Review finding: a logging call that found its open destination in the middle of the worker's attempt to close
     * it (undone, since it held events) went to the default destination, counted as overflowed, when
     * max-destinations were open and a close had been attempted in the last 100 ms.
     */
    @Test
    void anOpenDestinationCaughtInAnUndoneCloseStillTakesItsEvent() throws InterruptedException {
        LogShipper shipper = this.shippers.create(settings("s/{mdc:t:-shared}").maxDestinations(1));
        shipper.start(RecordingSender.acceptingAll());
        DestinationTemplate template = shipper.mainTemplate();
        Destination x = template.enter(Map.of("t", "x")::get, "INFO");
        x.exit();
        Destination y = template.enter(Map.of("t", "y")::get, "INFO"); // one too many: a close attempt is made
        y.exit();
        assertThat(y).isSameAs(shipper.mainDestination());
        assertThat(x.tryClose()).isTrue(); // the worker's close, about to find x's events unsettled and undo it
        Object lock = destinationsOf(shipper);
        CountDownLatch closing = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            synchronized (lock) { // the worker holds the destinations' lock while it closes
                closing.countDown();
                try {
                    Thread.sleep(200);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                x.reopen();
            }
        });
        worker.start();
        assertThat(closing.await(5, TimeUnit.SECONDS)).isTrue();
        Destination again = template.enter(Map.of("t", "x")::get, "INFO");
        again.exit();
        assertThat(again).isSameAs(x);
        assertThat(template.overflowed()).isEqualTo(1);
    }

    /**
     * Cold review: a destination that closed after a failed call (its batch rejected, so nothing unsettled) left
     * "failing since" in its route's figures for good, so that health would say DOWN with every open one healthy.
     */
    @Test
    void aClosedDestinationsFailureDoesNotLeaveItsRouteFailing() {
        RecordingSender sender = new RecordingSender((call) -> {
            if (call == 1) {
                throw (CloudWatchLogsException) CloudWatchLogsException.builder()
                    .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("InvalidParameterException")
                        .errorMessage("refused for good")
                        .build())
                    .statusCode(400)
                    .build();
            }
            return PutResult.ALL_ACCEPTED;
        });
        LogShipper shipper = this.shippers.create(settings("app/{mdc:tenant:-shared}")
            .destinationIdleTimeout(Duration.ofMillis(100)));
        shipper.start(sender);
        log(shipper, shipper.mainTemplate(), Map.of("tenant", "a"), "refused");
        assertThat(shipper.flush(Duration.ofSeconds(10)).completed()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> shipper.destinationsOpenForEvents() == 0);
        ShipperStatistics total = shipper.statistics();
        assertThat(total.rejectedTotal()).isEqualTo(1);
        assertThat(total.lastFailureType()).isEqualTo("InvalidParameterException");
        assertThat(total.failingSince()).as("what a closed destination was doing ends with it").isNull();
        assertThat(total.consecutiveFailures()).isZero();
    }

    private static Object destinationsOf(LogShipper shipper) {
        try {
            java.lang.reflect.Field field = LogShipper.class.getDeclaredField("destinations");
            field.setAccessible(true);
            return field.get(shipper);
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
