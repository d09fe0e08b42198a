package io.github.cloudwatchlogging.shipping;

import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

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

    /**
     * A value never brings a placeholder of its own: braces become _ (review: a tenant named "{ecs-task-id}" had the
     * sender look up ECS metadata, and fail on every retry, off ECS).
     */
    @Test
    void aValueNeverBringsAPlaceholderOfItsOwn() {
        EventNameTemplate stream = EventNameTemplate.forStream("s/{mdc:t}");
        assertThat(stream.evaluate(Map.of("t", "{ecs-task-id}")::get, "INFO")).isEqualTo("s/_ecs-task-id_");
        assertThat(EventNameTemplate.forGroup("/g/{mdc:t}").evaluate(Map.of("t", "{level}")::get, "INFO"))
            .isEqualTo("/g/_level_");
    }

    /** Random values of every kind, over several templates: every name is one the service takes. */
    @Test
    void randomValuesAlwaysMakeValidNames() {
        Pattern validGroup = Pattern.compile("[.\\-_/#A-Za-z0-9]{1,512}");
        Random random = new Random(1);
        String[] groups = { "{mdc:t}", "/x/{mdc:t}", "a{mdc:t}", "{mdc:t:-}", "{level}", "{mdc:t}{mdc:u}" };
        String[] streams = { "{mdc:t}", "s/{mdc:t:-a:b*c}", "{mdc:t}/{mdc:u}" };
        for (int i = 0; i < 20_000; i++) {
            StringBuilder value = new StringBuilder();
            int length = (random.nextInt(4) == 0) ? random.nextInt(700) : random.nextInt(8);
            for (int j = 0; j < length; j++) {
                value.append(switch (random.nextInt(5)) {
                    case 0 -> "aws/".charAt(random.nextInt(4));
                    case 1 -> (char) random.nextInt(128);
                    case 2 -> (char) random.nextInt(0x10000);
                    default -> "ws/:*{}".charAt(random.nextInt(7));
                });
            }
            Map<String, String> mdc = Map.of("t", value.toString(), "u", value.toString());
            for (String group : groups) {
                String name = EventNameTemplate.forGroup(group).evaluate(mdc::get, "INFO");
                assertThat(validGroup.matcher(name).matches() && !name.startsWith("aws/")).as(name).isTrue();
            }
            for (String stream : streams) {
                String name = EventNameTemplate.forStream(stream).evaluate(mdc::get, "INFO");
                assertThat(ShipperSettings.logStreamNameProblem(name)).as(name).isNull();
                assertThat(name).doesNotContain("{");
            }
        }
    }

}
