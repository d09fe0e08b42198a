package io.github.cloudwatchlogging.shipping;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventNameTemplateTests {

    @Test
    void evaluatesMdcEntriesDefaultsAndTheLevel() {
        EventNameTemplate stream = EventNameTemplate.forStream("orders/{mdc:tenant:-shared}/{level}");
        assertThat(stream.evaluate(Map.of("tenant", "acme")::get, "ERROR")).isEqualTo("orders/acme/ERROR");
        assertThat(stream.evaluate(Map.<String, String>of()::get, "INFO")).isEqualTo("orders/shared/INFO");
        assertThat(stream.defaultName()).isEqualTo("orders/shared/ALL");
        assertThat(EventNameTemplate.isPerEvent("orders/{mdc:tenant}")).isTrue();
        assertThat(EventNameTemplate.isPerEvent("orders/{app}")).isFalse();
    }

    @Test
    void anEventNeverProducesANameTheServiceRefuses() {
        EventNameTemplate group = EventNameTemplate.forGroup("/tenants/{mdc:tenant}");
        assertThat(group.evaluate(Map.of("tenant", "Ac me:ü*7")::get, "INFO")).isEqualTo("/tenants/Ac_me___7");
        EventNameTemplate stream = EventNameTemplate.forStream("{mdc:tenant}");
        assertThat(stream.evaluate(Map.of("tenant", "a:b*c\u0000d")::get, "INFO")).isEqualTo("a_b_c_d");
        assertThat(stream.evaluate(Map.of("tenant", "")::get, "INFO")).isEqualTo("_");
        assertThat(stream.evaluate(Map.of("tenant", "x".repeat(600))::get, "INFO")).hasSize(512);
        assertThat(EventNameTemplate.forGroup("{mdc:t}").evaluate(Map.of("t", "aws/reserved")::get, "INFO"))
            .isEqualTo("_ws/reserved");
        for (String value : new String[] { "", ":", "*", "aws/x", "\u00e9\u00e9", "x".repeat(700) }) {
            String groupName = EventNameTemplate.forGroup("{mdc:t}").evaluate(Map.of("t", value)::get, "INFO");
            assertThat(ShipperSettings.logGroupNameProblem(groupName)).as(groupName).isNull();
            String streamName = EventNameTemplate.forStream("{mdc:t}").evaluate(Map.of("t", value)::get, "INFO");
            assertThat(ShipperSettings.logStreamNameProblem(streamName)).as(streamName).isNull();
        }
    }

}
