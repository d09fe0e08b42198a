package io.github.cloudwatchlogging.alarms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.github.cloudwatchlogging.autoconfigure.CloudWatchLogShipping;
import io.github.cloudwatchlogging.testsupport.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.MetricFilter;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.github.cloudwatchlogging.testsupport.RunningApps.application;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The alarm on bursts of errors against moto: the metric filter put on the main group, its pattern matching the
 * events at ERROR and no other, as each format writes them (read back from moto, evaluated by
 * {@link FilterPatterns}), and the alarm as sent to CloudWatch, with its threshold, period and actions (read by
 * WireMock: moto 5.2.1 does not speak the CBOR protocol of the SDK's CloudWatch client).
 */
@ExtendWith(OutputCaptureExtension.class)
class ErrorAlarmApplicationTests {

    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts";

    private final MotoServer moto = MotoServer.get();

    /**
     * CloudWatch: the SDK's client speaks Smithy RPC v2 CBOR, which moto 5.2.1 does not (it answers 404), so WireMock
     * takes the call and the test reads what was sent.
     */
    private WireMockServer cloudWatch;

    @BeforeEach
    void reset() {
        this.moto.reset();
        this.cloudWatch = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        this.cloudWatch.start();
        this.cloudWatch.stubFor(post(urlMatching("/service/GraniteServiceVersion20100801/operation/.*"))
            .willReturn(aResponse().withStatus(200)
                .withHeader("smithy-protocol", "rpc-v2-cbor")
                .withHeader("Content-Type", "application/cbor")
                .withBody(new byte[] { (byte) 0xA0 }))); // an empty map
    }

    @AfterEach
    void stop() {
        this.cloudWatch.stop();
    }

    private String[] args(String format, String... more) {
        List<String> args = new ArrayList<>(List.of("--spring.application.name=orders",
                "--logging.cloudwatch.log-group=/alarms/" + format, "--logging.cloudwatch.log-stream=app",
                "--logging.cloudwatch.format=" + format, "--logging.cloudwatch.region=us-east-1",
                "--logging.cloudwatch.endpoint=" + this.moto.endpoint(), "--logging.cloudwatch.batch-delay=100ms",
                "--logging.cloudwatch.alarms.endpoint=" + this.cloudWatch.baseUrl(),
                "--logging.cloudwatch.alarms.errors.threshold=10", "--logging.cloudwatch.alarms.errors.period=1m",
                "--logging.cloudwatch.alarms.errors.evaluation-periods=2",
                "--logging.cloudwatch.alarms.errors.actions=" + TOPIC, "--spring.main.banner-mode=off",
                "--logging.cloudwatch.credentials.access-key=alarm-test-key",
                "--logging.cloudwatch.credentials.secret-key=alarm-test-secret"));
        for (String override : more) {
            String key = override.substring(0, override.indexOf('=') + 1);
            args.removeIf((arg) -> arg.startsWith(key)); // a property given twice would bind as "a,b"
            args.add(override);
        }
        return args.toArray(String[]::new);
    }

    @ParameterizedTest
    @ValueSource(strings = { "pattern", "ecs", "logstash", "gelf" })
    void theFilterCountsTheEventsAtErrorOfEachFormatAndTheAlarmWatchesIt(String format) throws Exception {
        ConfigurableApplicationContext context = application(AlarmApplication.class, WebApplicationType.NONE)
            .run(args(format));
        String group = "/alarms/" + format;
        try {
            LoggerFactory.getLogger("com.example.Orders").info("alarm-test all is well");
            LoggerFactory.getLogger("com.example.Orders").error("alarm-test payment failed");
            LoggerFactory.getLogger("com.example.Orders").warn("alarm-test an ERROR word in a warning");
            CloudWatchLogShipping shipping = context.getBean(CloudWatchLogShipping.class);
            assertThat(shipping.flush(Duration.ofSeconds(15)).completed()).isTrue();
            await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(shipping.errorAlarmState()).startsWith("CREATED"));
        }
        finally {
            context.close();
        }
        MetricFilter filter;
        try (CloudWatchLogsClient logs = this.moto.client()) {
            List<MetricFilter> filters = logs.describeMetricFilters((request) -> request.logGroupName(group))
                .metricFilters();
            assertThat(filters).singleElement().satisfies((only) -> {
                assertThat(only.filterName()).isEqualTo(ErrorAlarm.FILTER_NAME);
                assertThat(only.metricTransformations()).singleElement().satisfies((metric) -> {
                    assertThat(metric.metricName()).isEqualTo(ErrorAlarm.METRIC_NAME);
                    assertThat(metric.metricNamespace()).isEqualTo("orders");
                    assertThat(metric.metricValue()).isEqualTo("1");
                });
            });
            filter = filters.get(0);
        }
        List<String> messages = this.moto.messages(group, "app")
            .stream()
            .filter((message) -> message.contains("alarm-test"))
            .toList();
        assertThat(messages).hasSize(3);
        assertThat(messages).filteredOn((message) -> FilterPatterns.matches(filter.filterPattern(), message))
            .as("the events the filter counts, with %s, of %s", filter.filterPattern(), messages)
            .singleElement()
            .asString()
            .contains("alarm-test payment failed");
        List<LoggedRequest> alarms = this.cloudWatch
            .findAll(postRequestedFor(urlMatching(".*/operation/PutMetricAlarm")));
        assertThat(alarms).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> alarm = (Map<String, Object>) Cbor.read(alarms.get(0).getBody());
        assertThat(alarm).containsEntry("AlarmName", "cloudwatch-logging errors in " + group)
            .containsEntry("MetricName", ErrorAlarm.METRIC_NAME)
            .containsEntry("Namespace", "orders")
            .containsEntry("Statistic", "Sum")
            .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold")
            .hasEntrySatisfying("Threshold", (threshold) -> assertThat(((Number) threshold).doubleValue()).isEqualTo(10))
            .containsEntry("Period", 60L)
            .containsEntry("EvaluationPeriods", 2L)
            .containsEntry("AlarmActions", List.of(TOPIC))
            .containsEntry("TreatMissingData", "notBreaching");
        assertThat(alarms.get(0).getHeader("Authorization")).as("signed with the logs' credentials")
            .contains("Credential=alarm-test-key/");
    }

    @Test
    void thePolicyAllowsTheTwoCallsAndInvalidSettingsAreNamed(CapturedOutput output) {
        ConfigurableApplicationContext context = application(AlarmApplication.class, WebApplicationType.NONE)
            .run(args("pattern"));
        try {
            String policy = context.getBean(CloudWatchLogShipping.class).infrastructure().iamPolicy().toString();
            assertThat(policy).contains("logs:PutMetricFilter")
                .contains("cloudwatch:PutMetricAlarm")
                .contains("arn:aws:cloudwatch:us-east-1:*:alarm:cloudwatch-logging errors in /alarms/pattern");
        }
        finally {
            context.close();
        }
        assertThatException().isThrownBy(() -> application(AlarmApplication.class, WebApplicationType.NONE)
            .run(args("pattern", "--logging.cloudwatch.alarms.errors.period=45s",
                    "--logging.cloudwatch.alarms.errors.threshold=0")));
        assertThatException().isThrownBy(() -> application(AlarmApplication.class, WebApplicationType.NONE)
            .run(args("pattern", "--logging.cloudwatch.log-group=/alarms/{mdc:tenant}",
                    "--logging.cloudwatch.metrics.namespace={app}/{hostname}")));
        assertThat(output).contains("logging.cloudwatch.alarms.errors.period: a whole number of minutes")
            .contains("logging.cloudwatch.alarms.errors.threshold: at least one error per period")
            .contains("logging.cloudwatch.alarms.errors.threshold: the alarm counts the errors of one group")
            .contains("logging.cloudwatch.metrics.namespace: the alarm's one filter and alarm per group need one "
                    + "namespace for every instance");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class AlarmApplication {

    }

}
