package io.github.cloudwatchlogging.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import io.github.cloudwatchlogging.autoconfigure.LogSystemAttachment.Route;
import io.github.cloudwatchlogging.autoconfigure.LogSystemAttachment.Routing;
import io.github.cloudwatchlogging.shipping.Destination;
import io.github.cloudwatchlogging.shipping.DestinationTemplate;
import io.github.cloudwatchlogging.shipping.LogShipper;
import io.github.cloudwatchlogging.shipping.PutResult;
import io.github.cloudwatchlogging.shipping.ShipperDiagnostics;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.logging.LogLevel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class RoutingTests {

    private final LogShipper shipper = new LogShipper(ShipperSettings.builder("g", "s/{mdc:a}")
        .batchDelay(Duration.ofMillis(20))
        .destinationIdleTimeout(Duration.ofMillis(50))
        .build(), ShipperDiagnostics.NONE);

    @AfterEach
    void stop() {
        this.shipper.stop();
    }

    private Routing routing(DestinationTemplate route) {
        return new Routing(this.shipper, List.of(new Route(this.shipper.mainTemplate(), LogLevel.TRACE, List.of()),
                new Route(route, LogLevel.TRACE, List.of())));
    }

    /** Two routes whose values name one stream: the event takes it once, and it is entered once. */
    @Test
    void twoRoutesLeadingToOneStreamTakeTheEventOnce() {
        DestinationTemplate route = this.shipper.addTemplate("r", "g", "s/{mdc:b:-other}");
        this.shipper.start((batch) -> PutResult.ALL_ACCEPTED);
        Destination[] targets = routing(route).targets("x", LogLevel.INFO, Map.of("a", "same", "b", "same"),
                Map::get);
        assertThat(targets).hasSize(1);
        Destination.exitAll(targets);
        await().atMost(Duration.ofSeconds(10)).until(() -> this.shipper.destinationsOpenForEvents() == 0);
    }

    /**
     * Review finding: when reading a later route's values threw, the destinations already entered stayed entered,
     * so they could never close and kept a max-destinations slot for good.
     */
    @Test
    void aThrowingValueLeavesNoDestinationEntered() {
        DestinationTemplate route = this.shipper.addTemplate("r", "g", "r/{mdc:b}");
        this.shipper.start((batch) -> PutResult.ALL_ACCEPTED);
        BiFunction<Map<String, String>, String, String> mdc = (event, key) -> {
            if (key.equals("b")) {
                throw new IllegalStateException("a context value whose toString() throws");
            }
            return event.get(key);
        };
        assertThatIllegalStateException()
            .isThrownBy(() -> routing(route).targets("x", LogLevel.INFO, Map.of("a", "acme"), mdc));
        await().atMost(Duration.ofSeconds(10)).until(() -> this.shipper.destinationsOpenForEvents() == 0);
    }

}
