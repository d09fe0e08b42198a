package io.github.cloudwatchlogging.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.cloudwatchlogging.shipping.Destination;
import io.github.cloudwatchlogging.shipping.DestinationTemplate;
import io.github.cloudwatchlogging.shipping.EventNameTemplate;
import io.github.cloudwatchlogging.shipping.LogShipper;
import io.github.cloudwatchlogging.shipping.ShipperDiagnostics;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import io.github.cloudwatchlogging.testsupport.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The metadata placeholders, with WireMock on loopback standing in for the ECS and EC2 metadata services. */
class InstanceMetadataTests {

    private WireMockServer server;

    @BeforeEach
    void start() {
        this.server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        this.server.start();
    }

    @AfterEach
    void stop() {
        this.server.stop();
    }

    @Test
    void ecsTaskIdIsTheLastPartOfTheTaskArn() {
        this.server.stubFor(get(urlEqualTo("/v4/task")).willReturn(aResponse()
            .withBody("{\"Cluster\":\"c\",\"TaskARN\":\"arn:aws:ecs:us-east-1:123456789012:task/c/0123abcd\"}")));
        InstanceMetadata metadata = new InstanceMetadata(
                Map.of("ECS_CONTAINER_METADATA_URI_V4", this.server.baseUrl() + "/v4")::get, "http://unused");
        assertThat(LogStreamTemplate.expandMetadata("orders/{ecs-task-id}", metadata)).isEqualTo("orders/0123abcd");
    }

    @Test
    void ecsTaskIdOutsideEcsSaysSo() {
        InstanceMetadata metadata = new InstanceMetadata((name) -> null, "http://unused");
        assertThatIllegalStateException().isThrownBy(metadata::ecsTaskId)
            .withMessageContaining("ECS_CONTAINER_METADATA_URI_V4 is not set");
    }

    @Test
    void instanceIdUsesAnImdsV2Token() {
        this.server.stubFor(put(urlEqualTo("/latest/api/token")).willReturn(aResponse().withBody("token-1")));
        this.server.stubFor(get(urlEqualTo("/latest/meta-data/instance-id"))
            .withHeader("X-aws-ec2-metadata-token", equalTo("token-1"))
            .willReturn(aResponse().withBody("i-0abc")));
        InstanceMetadata metadata = new InstanceMetadata((name) -> null, this.server.baseUrl());
        assertThat(LogStreamTemplate.expandMetadata("{instance-id}/app", metadata)).isEqualTo("i-0abc/app");
    }

    @Test
    void instanceIdWhenMetadataIsDisabledSaysSo() {
        InstanceMetadata metadata = new InstanceMetadata(Map.of("AWS_EC2_METADATA_DISABLED", "true")::get,
                this.server.baseUrl());
        assertThatIllegalStateException().isThrownBy(metadata::ec2InstanceId).withMessageContaining("disabled");
    }

    /**
     * Every destination's stream has its metadata filled in on the wire, the routes' and those of events' values
     * too (before, only the main stream was: the others went out as "{ecs-task-id}" literally), and the task
     * metadata is read once.
     */
    @Test
    void everyDestinationsStreamIsExpandedOnTheWireWithTheMetadataReadOnce() {
        this.server.stubFor(get(urlEqualTo("/v4/task")).willReturn(aResponse()
            .withBody("{\"TaskARN\":\"arn:aws:ecs:us-east-1:123456789012:task/c/0123abcd\"}")));
        InstanceMetadata metadata = new InstanceMetadata(
                Map.of("ECS_CONTAINER_METADATA_URI_V4", this.server.baseUrl() + "/v4")::get, "http://unused");
        MotoServer moto = MotoServer.get();
        ShipperSettings settings = ShipperSettings.builder("/metadata/app", "orders/{ecs-task-id}")
            .batchDelay(Duration.ofMillis(20))
            .build();
        AwsConnectionSettings connection = new AwsConnectionSettings("us-east-1", moto.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        LogShipper shipper = new LogShipper(settings, ShipperDiagnostics.NONE);
        Destination audit = shipper.addDestination("audit", "/metadata/app", "audit/{ecs-task-id}");
        DestinationTemplate tenants = shipper.addTemplate("tenants", "/metadata/app",
                "tenants/{ecs-task-id}/{mdc:tenant}");
        shipper.start(connection.lazySender(settings, List.of(), metadata));
        try {
            shipper.offer(System.currentTimeMillis(), "to the main stream");
            shipper.offer(System.currentTimeMillis(), "to the audit stream".getBytes(StandardCharsets.UTF_8),
                    new Destination[] { audit });
            Destination acme = tenants.enter(Map.of("tenant", "acme")::get, "INFO");
            shipper.offer(System.currentTimeMillis(), "to acme".getBytes(StandardCharsets.UTF_8),
                    new Destination[] { acme });
            acme.exit();
            assertThat(shipper.flush(Duration.ofSeconds(15)).completed()).isTrue();
        }
        finally {
            shipper.stop();
        }
        assertThat(moto.messages("/metadata/app", "orders/0123abcd")).containsExactly("to the main stream");
        assertThat(moto.messages("/metadata/app", "audit/0123abcd")).containsExactly("to the audit stream");
        assertThat(moto.messages("/metadata/app", "tenants/0123abcd/acme")).containsExactly("to acme");
        this.server.verify(1, getRequestedFor(urlEqualTo("/v4/task")));
    }

    /** A name cut at 512 characters for an event's values stays within 512 once the metadata fills it in. */
    @Test
    void aNameFilledInWithMetadataIsCutAtTheLimit() {
        this.server.stubFor(put(urlEqualTo("/latest/api/token")).willReturn(aResponse().withBody("token-1")));
        this.server.stubFor(get(urlEqualTo("/latest/meta-data/instance-id")).willReturn(aResponse()
            .withBody("i-0123456789abcdef0")));
        InstanceMetadata metadata = new InstanceMetadata((name) -> null, this.server.baseUrl());
        String evaluated = EventNameTemplate.forStream("{instance-id}/{mdc:t}")
            .evaluate(Map.of("t", "x".repeat(600))::get, "INFO");
        assertThat(LogStreamTemplate.expandMetadataWithinLimit(evaluated, metadata)).hasSizeLessThanOrEqualTo(512)
            .startsWith("i-0123456789abcdef0/xxx");
        // Second review: a long value before the placeholder cut it ("/{insta"), so every instance shared a stream.
        String valueFirst = EventNameTemplate.forStream("{mdc:t}/{instance-id}")
            .evaluate(Map.of("t", "x".repeat(505))::get, "INFO");
        assertThat(valueFirst).endsWith("/{instance-id}");
        assertThat(LogStreamTemplate.expandMetadataWithinLimit(valueFirst, metadata)).hasSizeLessThanOrEqualTo(512)
            .endsWith("/i-0123456789abcdef0");
    }

}
