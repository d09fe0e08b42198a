package io.github.cloudwatchlogging.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.cloudwatchlogging.actuate.CloudWatchLoggingEndpoint;
import io.github.cloudwatchlogging.actuate.CloudWatchLoggingEndpoint.OpenDestination;
import io.github.cloudwatchlogging.testsupport.MotoServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static io.github.cloudwatchlogging.testsupport.RunningApps.application;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Groups and streams named per event ({mdc:KEY}, {level}), against moto: each tenant's events in a group or stream
 * of its own, created on first use with the group's retention and tags, bounded by max-destinations, closed when
 * idle, and shown on the endpoint and in the meters.
 */
@ExtendWith(OutputCaptureExtension.class)
class PerTenantApplicationTests {

    private static final Logger logger = LoggerFactory.getLogger("com.example.tenants.Billing");

    private final MotoServer moto = MotoServer.get();

    @BeforeEach
    void resetMoto() {
        this.moto.reset();
    }

    @Test
    void eachTenantsEventsReachAGroupOfItsOwnCreatedWithRetentionAndTags() {
        ConfigurableApplicationContext context = application(TenantApplication.class, WebApplicationType.NONE).run(
                args("--logging.cloudwatch.log-group=/tenants/{mdc:tenant:-shared}",
                        "--logging.cloudwatch.log-stream=app", "--logging.cloudwatch.retention=7",
                        "--logging.cloudwatch.tags.team=billing",
                        "--logging.cloudwatch.routes.errors.log-group=/errors",
                        "--logging.cloudwatch.routes.errors.log-stream={mdc:tenant:-shared}/{level}",
                        "--logging.cloudwatch.routes.errors.level=error",
                        "--management.endpoints.web.exposure.include=cloudwatchlogging"));
        try {
            log("acme", "tenant-test acme paid", false);
            log("acme", "tenant-test acme card declined", true);
            log("globex", "tenant-test globex paid", false);
            log(null, "tenant-test nobody's", false);
            log("évil tenant:1", "tenant-test odd name", false);
            CloudWatchLogShipping shipping = context.getBean(CloudWatchLogShipping.class);
            assertThat(shipping.flush(Duration.ofSeconds(15)).completed()).isTrue();

            assertThat(tenantTestMessages("/tenants/acme", "app")).containsExactly("acme paid", "acme card declined");
            assertThat(tenantTestMessages("/tenants/globex", "app")).containsExactly("globex paid");
            assertThat(tenantTestMessages("/tenants/shared", "app")).containsExactly("nobody's");
            assertThat(tenantTestMessages("/tenants/_vil_tenant_1", "app")).containsExactly("odd name");
            assertThat(tenantTestMessages("/errors", "acme/ERROR")).containsExactly("acme card declined");
            try (CloudWatchLogsClient client = this.moto.client()) {
                LogGroup acme = client.describeLogGroups((request) -> request.logGroupNamePrefix("/tenants/acme"))
                    .logGroups()
                    .get(0);
                assertThat(acme.retentionInDays()).isEqualTo(7);
                assertThat(client.listTagsForResource((request) -> request.resourceArn(acme.logGroupArn()
                    .replaceAll(":\\*$", ""))).tags()).containsEntry("team", "billing");
            }

            CloudWatchLoggingEndpoint.ShippingDescriptor status = context.getBean(CloudWatchLoggingEndpoint.class)
                .status();
            assertThat(status.logGroup()).isEqualTo("/tenants/{mdc:tenant:-shared}");
            assertThat(status.events().sent()).as("the main figures add up its destinations").isGreaterThanOrEqualTo(5);
            assertThat(status.routes().get("errors").events().sent()).isEqualTo(1);
            assertThat(status.destinations().open()).isEqualTo(4);
            assertThat(status.destinations().max()).isEqualTo(100);
            assertThat(status.destinations().overflowed()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("main", 0L, "errors", 0L));
            assertThat(status.destinations().list()).extracting(OpenDestination::route, OpenDestination::logGroup,
                    OpenDestination::logStream)
                .contains(org.assertj.core.groups.Tuple.tuple("main", "/tenants/acme", "app"),
                        org.assertj.core.groups.Tuple.tuple("errors", "/errors", "acme/ERROR"));
            assertThat(status.destinations().list()).filteredOn((open) -> open.logGroup().equals("/tenants/acme"))
                .singleElement()
                .satisfies((open) -> assertThat(open.sent()).isEqualTo(2));
            SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
            assertThat(registry.get("cloudwatch.logging.destinations.open").gauge().value()).isEqualTo(4);

            Map<String, Object> policy = shipping.infrastructure().iamPolicy();
            assertThat(policy.toString()).contains("log-group:/tenants/*:log-stream:app")
                .contains("log-group:/errors:log-stream:*/*")
                .doesNotContain("{mdc");
            // A group named per event is the application's to create; the fixed one is declared.
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) shipping.infrastructure()
                .cloudFormation()
                .get("Resources");
            assertThat(resources.values()).filteredOn((resource) -> "AWS::Logs::LogGroup".equals(resource.get("Type")))
                .extracting((resource) -> (Object) ((Map<?, ?>) resource.get("Properties")).get("LogGroupName"))
                .containsExactly("/errors");
        }
        finally {
            context.close();
        }
    }

    @Test
    void oneTenantTooManyGoesToTheDefaultStreamCountedAndAnIdleOneCloses() {
        ConfigurableApplicationContext context = application(TenantApplication.class, WebApplicationType.NONE).run(
                args("--logging.cloudwatch.log-group=/tenants", "--logging.cloudwatch.log-stream={mdc:tenant:-shared}",
                        "--logging.cloudwatch.max-destinations=1",
                        "--logging.cloudwatch.destination-idle-timeout=300ms"));
        try {
            CloudWatchLogShipping shipping = context.getBean(CloudWatchLogShipping.class);
            log("a", "tenant-test a first", false);
            log("b", "tenant-test b while a is open", false);
            assertThat(shipping.flush(Duration.ofSeconds(15)).completed()).isTrue();
            assertThat(tenantTestMessages("/tenants", "a")).containsExactly("a first");
            assertThat(tenantTestMessages("/tenants", "shared")).containsExactly("b while a is open");
            assertThat(shipping.overflowed("main")).isEqualTo(1);
            SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
            assertThat(registry.get("cloudwatch.logging.destinations.overflowed")
                .tags("route", "main")
                .functionCounter()
                .count()).isEqualTo(1);

            await().atMost(Duration.ofSeconds(10)).until(() -> shipping.destinationsOpenForEvents() == 0);
            assertThat(shipping.openDestinations().destinations()).isEmpty();
            log("b", "tenant-test b once a closed", false);
            assertThat(shipping.flush(Duration.ofSeconds(15)).completed()).isTrue();
            assertThat(tenantTestMessages("/tenants", "b")).containsExactly("b once a closed");
            assertThat(shipping.statistics().unaccounted()).isZero();
        }
        finally {
            context.close();
        }
    }

    @Test
    void invalidLiteralTextAroundAPlaceholderIsNamedByItsProperty(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application(TenantApplication.class, WebApplicationType.NONE)
            .run(args("--logging.cloudwatch.log-group=/tenants {mdc:tenant}",
                    "--logging.cloudwatch.log-stream=a:{level}")));
        assertThatException().isThrownBy(() -> application(TenantApplication.class, WebApplicationType.NONE)
            .run(args("--logging.cloudwatch.log-group=/tenants/{mdc:tenant}", "--logging.cloudwatch.max-destinations=0",
                    "--logging.cloudwatch.destination-idle-timeout=0s")));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("logging.cloudwatch.log-group: the log group name '/tenants x' must be 1 to 512 characters of "
                    + "letters, digits and . - _ / # (the text of '/tenants {mdc:tenant}' with each placeholder as x")
            .contains("logging.cloudwatch.log-stream: the template 'a:{level}'")
            .contains("logging.cloudwatch.max-destinations: at least one destination")
            .contains("logging.cloudwatch.destination-idle-timeout: the destination idle timeout must be positive");
    }

    private static void log(String tenant, String message, boolean error) {
        if (tenant != null) {
            MDC.put("tenant", tenant);
        }
        try {
            if (error) {
                logger.error(message);
            }
            else {
                logger.info(message);
            }
        }
        finally {
            MDC.remove("tenant");
        }
    }

    private String[] args(String... more) {
        List<String> args = new ArrayList<>(List.of("--logging.cloudwatch.region=us-east-1",
                "--logging.cloudwatch.endpoint=" + this.moto.endpoint(), "--logging.cloudwatch.batch-delay=100ms",
                "--spring.main.banner-mode=off"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private List<String> tenantTestMessages(String group, String stream) {
        return this.moto.messages(group, stream)
            .stream()
            .filter((message) -> message.contains("tenant-test"))
            .map((message) -> message.substring(message.indexOf("tenant-test ") + "tenant-test ".length()).strip())
            .toList();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TenantApplication {

        @Bean
        SimpleMeterRegistry simpleMeterRegistry() {
            return new SimpleMeterRegistry();
        }

    }

}
