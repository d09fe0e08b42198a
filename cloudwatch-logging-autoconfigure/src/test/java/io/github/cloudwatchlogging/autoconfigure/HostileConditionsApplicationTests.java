package io.github.cloudwatchlogging.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.github.cloudwatchlogging.shipping.ShipperStatistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.github.cloudwatchlogging.testsupport.RunningApps.application;
import static io.github.cloudwatchlogging.testsupport.RunningApps.get;
import static io.github.cloudwatchlogging.testsupport.RunningApps.port;
import static io.github.cloudwatchlogging.testsupport.RunningApps.post;
import static io.github.cloudwatchlogging.testsupport.RunningApps.shipperCpuMillisOver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Broken configuration and misbehaving endpoints, each in a real application: it starts and serves, the console
 * is unaffected, the endpoint names the problem, no shipper thread spins, and no credential given in the
 * properties shows anywhere the starter writes.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileConditionsApplicationTests {

    /** Shaped like real AWS keys, so that a leak would look like one. */
    private static final String ACCESS_KEY = "AKIAIOSFODNN7HOSTILE";

    private static final String SECRET_KEY = "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";

    private static final String JSON = "application/x-amz-json-1.1";

    private final AuthorizationEcho echo = new AuthorizationEcho();

    private WireMockServer server;

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    @BeforeEach
    void startServer() {
        this.server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().extensions(this.echo));
        this.server.start();
    }

    @AfterEach
    void stop() {
        this.contexts.forEach(ConfigurableApplicationContext::close);
        this.server.stop();
    }

    static Stream<Arguments> hostileEndpoints() {
        Consumer<WireMockServer> garbage = (server) -> server.stubFor(any(anyUrl())
            .willReturn(aResponse().withStatus(200).withHeader("Content-Type", JSON).withBody("\u0000{{not json")));
        Consumer<WireMockServer> htmlOk = (server) -> server.stubFor(any(anyUrl())
            .willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html")
                .withBody("<html><body><h1>Welcome to the hotel wifi</h1></body></html>")));
        Consumer<WireMockServer> htmlBadGateway = (server) -> server.stubFor(any(anyUrl())
            .willReturn(aResponse().withStatus(502)
                .withHeader("Content-Type", "text/html")
                .withBody("<html><body><h1>502 Bad Gateway</h1></body></html>")));
        Consumer<WireMockServer> kmsDisabled = (server) -> server.stubFor(any(anyUrl())
            .willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", JSON)
                .withBody("{\"__type\":\"InvalidParameterException\",\"message\":\"The KMS key "
                        + "arn:aws:kms:us-east-1:123456789012:key/1234abcd is disabled\"}")));
        return Stream.of(Arguments.of("garbage JSON", garbage, "SdkClientException", null),
                Arguments.of("an HTML page answered 200", htmlOk, "SdkClientException", null),
                Arguments.of("an HTML 502 from a proxy", htmlBadGateway, "CloudWatchLogsException", "502"),
                Arguments.of("a disabled KMS key", kmsDisabled, "InvalidParameterException", "KMS key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileEndpoints")
    void aMisbehavingEndpoint(String name, Consumer<WireMockServer> stub, String type, String detail,
            CapturedOutput output) throws Exception {
        stub.accept(this.server);
        ConfigurableApplicationContext context = start("--logging.cloudwatch.endpoint=" + this.server.baseUrl());
        assertServesAndNamesTheProblem(context, name, type, detail, output);
        if (type.equals("InvalidParameterException")) {
            String json = get(port(context), "/actuator/cloudwatchlogging").body();
            assertThat(json).as("a batch the service refuses as a whole is counted, not retried")
                .containsPattern("\"INVALID_PARAMETER\":[1-9]");
        }
    }

    @Test
    void aHostThatDoesNotResolve(CapturedOutput output) throws Exception {
        // .invalid never resolves (RFC 6761).
        ConfigurableApplicationContext context = start("--logging.cloudwatch.endpoint=http://cloudwatch-logs.invalid");
        assertServesAndNamesTheProblem(context, "DNS failure", "SdkClientException", "cloudwatch-logs.invalid",
                output);
    }

    @Test
    void anUnknownRegionIsRefusedWithoutContactingAnyone(CapturedOutput output) throws Exception {
        ConfigurableApplicationContext context = start("--logging.cloudwatch.region=xx-nowhere-7");
        assertServesAndNamesTheProblem(context, "unknown region", "IllegalArgumentException",
                "Unknown AWS region 'xx-nowhere-7'", output);
    }

    @Test
    void credentialsEchoedBackByTheServiceNeverShowAnywhere(CapturedOutput output) throws Exception {
        this.server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers("authorization-echo")));
        ConfigurableApplicationContext context = start("--logging.cloudwatch.endpoint=" + this.server.baseUrl(),
                "--logging.cloudwatch.credentials.access-key=" + ACCESS_KEY,
                "--logging.cloudwatch.credentials.secret-key=" + SECRET_KEY,
                "--management.endpoints.web.exposure.include=health,cloudwatchlogging,configprops,env");
        int port = port(context);
        assertServesAndNamesTheProblem(context, "echoed credentials", "IncompleteSignatureException", "******",
                output);
        assertThat(this.echo.echoed).as("the service really echoed the key id").isPositive();
        List<String> seen = new ArrayList<>();
        seen.add(get(port, "/actuator/cloudwatchlogging").body());
        seen.add(get(port, "/actuator/configprops").body());
        seen.add(get(port, "/actuator/env").body());
        context.close();
        seen.add(output.getAll());
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        for (Status status : logback.getStatusManager().getCopyOfStatusList()) {
            seen.add(status.getMessage());
            if (status.getThrowable() != null) {
                seen.add(String.valueOf(status.getThrowable()));
            }
        }
        assertThat(output.getErr()).contains("log events could not be delivered").contains("******");
        assertThat(seen).allSatisfy((text) -> assertThat(text).doesNotContain(ACCESS_KEY).doesNotContain(SECRET_KEY));
    }

    @Test
    void invalidCredentialPropertiesAreExplainedWithoutShowingThem(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("--logging.cloudwatch.credentials.access-key=" + ACCESS_KEY));
        assertThat(output).contains("logging.cloudwatch.credentials: set both access-key and secret-key")
            .doesNotContain(ACCESS_KEY);
    }

    @Test
    void theEndpointIsNotOnHttpUnlessIncludedAndItsWriteOperationFollowsBootsAccessRules() {
        ConfigurableApplicationContext notExposed = application(TestApplication.class, WebApplicationType.SERVLET)
            .run(baseArgs("--logging.cloudwatch.endpoint=" + this.server.baseUrl()).toArray(String[]::new));
        this.contexts.add(notExposed);
        assertThat(get(port(notExposed), "/actuator/cloudwatchlogging").statusCode()).isEqualTo(404);
        notExposed.close();

        ConfigurableApplicationContext readOnly = start("--logging.cloudwatch.endpoint=" + this.server.baseUrl(),
                "--management.endpoint.cloudwatchlogging.access=read-only");
        assertThat(get(port(readOnly), "/actuator/cloudwatchlogging").statusCode()).isEqualTo(200);
        assertThat(post(port(readOnly), "/actuator/cloudwatchlogging").statusCode()).isBetween(400, 499);
        readOnly.close();

        this.server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", JSON)
            .withBody("{}")));
        ConfigurableApplicationContext unrestricted = start("--logging.cloudwatch.endpoint=" + this.server.baseUrl());
        assertThat(post(port(unrestricted), "/actuator/cloudwatchlogging").statusCode()).isEqualTo(200);
    }

    private ConfigurableApplicationContext start(String... more) {
        List<String> args = baseArgs(more);
        if (Stream.of(more).noneMatch((arg) -> arg.startsWith("--management.endpoints.web.exposure.include="))) {
            args.add("--management.endpoints.web.exposure.include=health,cloudwatchlogging");
        }
        ConfigurableApplicationContext context = application(TestApplication.class, WebApplicationType.SERVLET)
            .run(args.toArray(String[]::new));
        this.contexts.add(context);
        return context;
    }

    private static List<String> baseArgs(String... more) {
        List<String> args = new ArrayList<>(List.of("--logging.cloudwatch.log-group=/it/hostile",
                "--logging.cloudwatch.log-stream=app", "--logging.cloudwatch.batch-delay=100ms",
                "--logging.cloudwatch.request-timeout=2s", "--logging.cloudwatch.shutdown-timeout=1s",
                "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
        if (Stream.of(more).noneMatch((arg) -> arg.startsWith("--logging.cloudwatch.region="))) {
            args.add("--logging.cloudwatch.region=us-east-1");
        }
        args.addAll(List.of(more));
        return args;
    }

    private void assertServesAndNamesTheProblem(ConfigurableApplicationContext context, String name, String type,
            String detail, CapturedOutput output) throws Exception {
        int port = port(context);
        org.slf4j.Logger logger = LoggerFactory.getLogger("com.example.Hostile");
        for (int i = 0; i < 50; i++) {
            logger.info("hostile check {} line {}", name, i);
        }
        await().atMost(Duration.ofSeconds(20))
            .until(() -> get(port, "/actuator/cloudwatchlogging").body().contains("\"lastFailure\":{"));
        String json = get(port, "/actuator/cloudwatchlogging").body();
        assertThat(json).as(name).contains("\"type\":\"" + type + "\"");
        if (detail != null) {
            assertThat(json).as(name).contains(detail);
        }
        assertThat(get(port, "/actuator/health").statusCode()).isEqualTo(200);
        assertThat(output.getOut()).contains("hostile check " + name + " line 49");
        // Failing must cost next to nothing: backoff waits, it never spins. A spinning thread would use ~3,000 ms.
        long cpu = shipperCpuMillisOver(Duration.ofSeconds(3));
        System.out.println("[figure] shipper CPU in 3 s of failing (" + name + "): " + cpu + " ms");
        assertThat(cpu).as("CPU ms the shipper threads used in 3 s of failing (%s)", name).isLessThan(300);
        ShipperStatistics stats = context.getBean(CloudWatchLogShipping.class).statistics();
        assertThat(stats).isNotNull();
        assertThat(stats.sent()).isZero();
    }

    /**
     * Answers like the service does for a malformed signature, quoting the Authorization header it got: and with
     * it the access key id.
     */
    static final class AuthorizationEcho implements ResponseDefinitionTransformerV2 {

        volatile int echoed;

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            String authorization = String.valueOf(serveEvent.getRequest().getHeader("Authorization"));
            if (authorization.contains(ACCESS_KEY)) {
                this.echoed++;
            }
            return com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition()
                .withStatus(400)
                .withHeader("Content-Type", JSON)
                .withBody("{\"__type\":\"IncompleteSignatureException\",\"message\":\"Authorization header "
                        + "requires 'SignedHeaders' parameter. Authorization=" + authorization.replace("\"", "'")
                        + "\"}")
                .build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return "authorization-echo";
        }

    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TestApplication {

    }

}
