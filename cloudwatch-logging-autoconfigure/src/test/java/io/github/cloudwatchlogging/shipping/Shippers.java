package io.github.cloudwatchlogging.shipping;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Shippers a test creates, stopped after it whatever it asserted, so that no worker or sender outlives its test.
 * Register with {@code @RegisterExtension}.
 */
final class Shippers implements AfterEachCallback {

    private final List<LogShipper> started = new ArrayList<>();

    /** Settings for tests: quick retries, and the given batch delay. */
    static ShipperSettingsBuilder settings(Duration batchDelay) {
        return ShipperSettings.builder("group", "stream")
            .batchDelay(batchDelay)
            .retryBaseDelay(Duration.ofMillis(5))
            .retryMaxDelay(Duration.ofMillis(20));
    }

    LogShipper create(ShipperSettingsBuilder builder) {
        LogShipper shipper = new LogShipper(builder.build(), ShipperDiagnostics.NONE);
        this.started.add(shipper);
        return shipper;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        this.started.forEach(LogShipper::stop);
        this.started.clear();
    }

}
