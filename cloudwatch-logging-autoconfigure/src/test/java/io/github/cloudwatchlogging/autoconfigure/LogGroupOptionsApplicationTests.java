package io.github.cloudwatchlogging.autoconfigure;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import io.github.cloudwatchlogging.testsupport.MotoServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogGroupRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.SubscriptionFilter;

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
 * The options of the groups the starter creates, against moto: a KMS key, the log group class, and a subscription
 * filter to a Firehose delivery stream, through which the application's events reach S3 (moto delivers a
 * subscription's events to Firehose, and Firehose to S3; its Firehose takes them to S3 only, not to an HTTP
 * endpoint). The Firehose stream and the bucket are made with boto3, which moto's install brings.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogGroupOptionsApplicationTests {

    static final List<CreateLogGroupRequest> creations = new CopyOnWriteArrayList<>();

    private final MotoServer moto = MotoServer.get();

    @BeforeEach
    void reset() {
        this.moto.reset();
        creations.clear();
    }

    @Test
    void theGroupIsCreatedWithItsKeyAndClassAndItsEventsFlowThroughFirehoseToS3() throws Exception {
        String firehoseArn = this.moto.boto3("""
                import boto3, sys
                kw = dict(endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test',
                          aws_secret_access_key='test')
                boto3.client('s3', **kw).create_bucket(Bucket='forwarded-logs')
                arn = boto3.client('firehose', **kw).create_delivery_stream(
                    DeliveryStreamName='app-logs',
                    ExtendedS3DestinationConfiguration={
                        'RoleARN': 'arn:aws:iam::123456789012:role/firehose',
                        'BucketARN': 'arn:aws:s3:::forwarded-logs'})['DeliveryStreamARN']
                print(arn)
                """).strip();
        String key = "arn:aws:kms:us-east-1:123456789012:key/0f2b4c0e-1111-2222-3333-444455556666";
        try (ConfigurableApplicationContext context = application(OptionsApplication.class,
                WebApplicationType.NONE)
            .run("--logging.cloudwatch.log-group=/options/app", "--logging.cloudwatch.log-stream=s",
                    "--logging.cloudwatch.region=us-east-1", "--logging.cloudwatch.endpoint=" + this.moto.endpoint(),
                    "--logging.cloudwatch.batch-delay=100ms", "--logging.cloudwatch.kms-key-id=" + key,
                    "--logging.cloudwatch.log-group-class=infrequent-access",
                    "--logging.cloudwatch.subscription.destination-arn=" + firehoseArn,
                    "--logging.cloudwatch.subscription.role-arn=arn:aws:iam::123456789012:role/cwl-to-firehose",
                    "--logging.cloudwatch.subscription.filter-pattern=forwarded",
                    "--spring.main.banner-mode=off")) {
            LoggerFactory.getLogger("com.example.Orders").info("forwarded order 7");
            LoggerFactory.getLogger("com.example.Orders").info("kept here only");
            CloudWatchLogShipping shipping = context.getBean(CloudWatchLogShipping.class);
            await().atMost(Duration.ofSeconds(15)).until(() -> shipping.statistics().sent() >= 2);
        }
        assertThat(creations).singleElement().satisfies((request) -> {
            assertThat(request.kmsKeyId()).isEqualTo(key);
            assertThat(request.logGroupClassAsString()).isEqualTo("INFREQUENT_ACCESS");
        });
        try (CloudWatchLogsClient reader = this.moto.client()) {
            LogGroup group = reader.describeLogGroups((request) -> request.logGroupNamePrefix("/options/app"))
                .logGroups()
                .get(0);
            assertThat(group.kmsKeyId()).isEqualTo(key);
            List<SubscriptionFilter> filters = reader
                .describeSubscriptionFilters((request) -> request.logGroupName("/options/app"))
                .subscriptionFilters();
            assertThat(filters).singleElement().satisfies((filter) -> {
                assertThat(filter.filterName()).isEqualTo("cloudwatch-logging");
                assertThat(filter.destinationArn()).isEqualTo(firehoseArn);
                assertThat(filter.filterPattern()).isEqualTo("forwarded");
            });
        }
        // What reached S3 through the subscription and Firehose: gzipped CloudWatch Logs subscription messages.
        String objects = this.moto.boto3("""
                import boto3, sys, base64
                s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test',
                                  aws_secret_access_key='test')
                for item in s3.list_objects_v2(Bucket='forwarded-logs').get('Contents', []):
                    print(base64.b64encode(s3.get_object(Bucket='forwarded-logs', Key=item['Key'])['Body'].read()).decode())
                """);
        StringBuilder forwarded = new StringBuilder();
        for (String object : objects.strip().split("\n")) {
            if (!object.isBlank()) {
                forwarded.append(gunzip(Base64.getDecoder().decode(object.strip())));
            }
        }
        assertThat(forwarded.toString()).contains("\"logGroup\":\"/options/app\"")
            .contains("\"subscriptionFilters\":[\"cloudwatch-logging\"]")
            .contains("forwarded order 7");
    }

    @Test
    void anUnknownSubscriptionDestinationNeverCostsTheEvents(CapturedOutput output) {
        try (ConfigurableApplicationContext context = application(OptionsApplication.class,
                WebApplicationType.NONE)
            .run("--logging.cloudwatch.log-group=/options/missing", "--logging.cloudwatch.log-stream=s",
                    "--logging.cloudwatch.region=us-east-1", "--logging.cloudwatch.endpoint=" + this.moto.endpoint(),
                    "--logging.cloudwatch.batch-delay=100ms",
                    "--logging.cloudwatch.subscription.destination-arn="
                            + "arn:aws:firehose:us-east-1:123456789012:deliverystream/missing",
                    "--spring.main.banner-mode=off")) {
            LoggerFactory.getLogger("com.example.Orders").info("shipped all the same");
            CloudWatchLogShipping shipping = context.getBean(CloudWatchLogShipping.class);
            await().atMost(Duration.ofSeconds(15)).until(() -> shipping.statistics().sent() >= 1);
            assertThat(shipping.statistics().rejectedTotal()).isZero();
        }
        assertThat(output).contains("the subscription filter 'cloudwatch-logging' to "
                + "arn:aws:firehose:us-east-1:123456789012:deliverystream/missing could not be put on /options/missing");
        assertThat(this.moto.messages("/options/missing", "s")).anyMatch((m) -> m.contains("shipped all the same"));
    }

    @Test
    void invalidGroupOptionsAreNamedByTheirProperty(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application(OptionsApplication.class, WebApplicationType.NONE)
            .run("--logging.cloudwatch.log-group=/options/app", "--logging.cloudwatch.region=us-east-1",
                    "--logging.cloudwatch.endpoint=" + this.moto.endpoint(), "--logging.cloudwatch.kms-key-id=alias/x",
                    "--logging.cloudwatch.subscription.destination-arn=my-stream",
                    "--logging.cloudwatch.subscription.name=a:b", "--spring.main.banner-mode=off"));
        assertThat(output).contains("logging.cloudwatch.kms-key-id: CreateLogGroup takes the key's ARN")
            .contains("logging.cloudwatch.subscription.destination-arn: the subscription's destination is an ARN")
            .contains("logging.cloudwatch.subscription.name: a subscription filter's name is 1-512 characters");
    }


    private static String gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class OptionsApplication {

        @Bean
        CloudWatchLogsClientCustomizer recordGroupCreations() {
            return (builder) -> builder.overrideConfiguration((override) -> override
                .addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        if (context.request() instanceof CreateLogGroupRequest request) {
                            creations.add(request);
                        }
                    }
                }));
        }

    }

}
