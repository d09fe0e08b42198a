package io.github.cloudwatchlogging.shipping;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker leaves the cores to a burst only while it is one, within half the memory and half the batch delay;
 * a flush in the middle of a burst is answered at once.
 */
class BurstYieldTests {

    private static final long ADMISSION = 1_000_000;

    @RegisterExtension
    final Shippers shippers = new Shippers();

    @Test
    void yieldsToABurstOnlyWhileItGrowsFastAndHoldsLessThanHalfTheBudget() {
        BurstYield yield = new BurstYield(Shippers.settings(Duration.ofSeconds(10)).build());
        assertThat(yield.shouldYield(50_000, 1_000, ADMISSION)).as("grew by 50,000 at once").isTrue();
        assertThat(yield.shouldYield(50_010, 1_000, ADMISSION)).as("grew by 10").isFalse();
        assertThat(yield.shouldYield(150_000, ADMISSION / 2, ADMISSION)).as("half the budget taken").isFalse();
        yield.drained(0);
        assertThat(yield.shouldYield(0, 0, ADMISSION)).as("nothing waits").isFalse();
    }

    @Test
    void aBatchDelayTooShortToYieldWithinHalfOfItIsNeverYieldedTo() {
        BurstYield yield = new BurstYield(Shippers.settings(Duration.ofMillis(1)).build());
        assertThat(yield.shouldYield(50_000, 0, ADMISSION)).isFalse();
    }

    @Test
    void neverYieldsForLongerThanHalfTheBatchDelayInARow() throws Exception {
        BurstYield yield = new BurstYield(Shippers.settings(Duration.ofMillis(20)).build());
        long waiting = 0;
        long start = System.nanoTime();
        boolean stillYielding = true;
        while (stillYielding && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5)) {
            waiting += 1_000_000; // a burst that never ends
            stillYielding = yield.shouldYield(waiting, 0, ADMISSION);
            Thread.sleep(1);
        }
        assertThat(stillYielding).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(10));
    }

    @Test
    void aFlushInTheMiddleOfABurstIsAnsweredAtOnce() throws Exception {
        RecordingSender sender = RecordingSender.acceptingAll();
        LogShipper shipper = this.shippers.create(Shippers.settings(Duration.ofSeconds(30)));
        shipper.start(sender);
        Thread burst = new Thread(() -> {
            for (int i = 0; i < 100_000 && !Thread.currentThread().isInterrupted(); i++) {
                shipper.offer(System.currentTimeMillis(), "burst " + i);
            }
        });
        burst.start();
        Thread.sleep(5);
        assertThat(shipper.flush(Duration.ofSeconds(10)).completed()).isTrue();
        burst.join();
        assertThat(shipper.flush(Duration.ofSeconds(10)).completed()).isTrue();
        assertThat(sender.acceptedEvents()).isEqualTo(100_000);
    }

}
