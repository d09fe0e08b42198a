package io.github.cloudwatchlogging.autoconfigure;

import java.time.Duration;

import io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration;
import io.github.cloudwatchlogging.shipping.ShipperStatistics;
import io.github.cloudwatchlogging.testsupport.MotoServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class CloudWatchLoggingAutoConfigurationTests {

    private final MotoServer moto = MotoServer.get();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CloudWatchLoggingAutoConfiguration.class));

    @BeforeEach
    void resetMoto() {
        this.moto.reset();
    }

    @Test
    void runWithoutLogGroupShouldNotShip() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(CloudWatchLogShipping.class));
    }

    @Test
    void runWhenDisabledShouldNotShip() {
        this.contextRunner.withPropertyValues("logging.cloudwatch.log-group=/app", "logging.cloudwatch.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(CloudWatchLogShipping.class));
    }

    @Test
    void runWithLogGroupShouldShipWhatTheApplicationLogs() {
        this.contextRunner
            .withPropertyValues("logging.cloudwatch.log-group=/runner/app", "logging.cloudwatch.log-stream={app}-{pid}",
                    "spring.application.name=orders", "logging.cloudwatch.endpoint=" + this.moto.endpoint(),
                    "logging.cloudwatch.region=us-east-1", "logging.cloudwatch.pattern=%level %m",
                    "logging.cloudwatch.level=info")
            .run((context) -> {
                assertThat(context).hasSingleBean(CloudWatchLogShipping.class);
                CloudWatchLogShipping shipping = context.getBean(CloudWatchLogShipping.class);
                assertThat(shipping.isInstalled()).isTrue();
                LoggerFactory.getLogger("com.example.Orders").info("placed order 7");
                LoggerFactory.getLogger("com.example.Orders").debug("below the threshold");
                assertThat(shipping.flush(Duration.ofSeconds(10)).completed()).isTrue();
                ShipperStatistics statistics = shipping.statistics();
                assertThat(statistics.logStream()).isEqualTo("orders-" + ProcessHandle.current().pid());
                assertThat(statistics.sent()).isEqualTo(1);
            });
        try (CloudWatchLogsClient reader = this.moto.client()) {
            assertThat(reader.getLogEvents((r) -> r.logGroupName("/runner/app")
                .logStreamName("orders-" + ProcessHandle.current().pid())
                .startFromHead(true)).events()).extracting(OutputLogEvent::message).containsExactly("INFO placed order 7");
        }
        assertThat(CloudWatchLoggingInstallation.current()).as("closing the context stops the shipper").isNull();
    }

    @Test
    void runWithInvalidValuesShouldFailNamingEachProperty() {
        this.contextRunner
            .withPropertyValues("logging.cloudwatch.log-group=aws/reserved", "logging.cloudwatch.log-stream=a:{pid}",
                    "logging.cloudwatch.retention=2", "logging.cloudwatch.max-in-flight=0")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .isInstanceOf(InvalidCloudWatchLoggingPropertiesException.class)
                    .hasMessageContaining("logging.cloudwatch.log-group")
                    .hasMessageContaining("logging.cloudwatch.log-stream");
            });
        this.contextRunner
            .withPropertyValues("logging.cloudwatch.log-group=/fine", "logging.cloudwatch.retention=2",
                    "logging.cloudwatch.max-in-flight=0")
            .run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                .hasMessageContaining("logging.cloudwatch.retention: retention of 2 days")
                .hasMessageContaining("logging.cloudwatch.max-in-flight"));
    }

    @Test
    void failureAnalyzerSaysWhatToChange() {
        InvalidCloudWatchLoggingPropertiesException failure = new InvalidCloudWatchLoggingPropertiesException(
                java.util.List.of("logging.cloudwatch.retention: retention of 2 days is not allowed"));
        var analysis = new InvalidCloudWatchLoggingPropertiesFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).contains("- logging.cloudwatch.retention: retention of 2 days");
        assertThat(analysis.getAction()).contains("logging.cloudwatch.enabled=false");
    }

    @Test
    void streamTemplateWithColonAfterExpansionIsRefused() {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.application.name", "a:b");
        CloudWatchLoggingProperties properties = new CloudWatchLoggingProperties();
        properties.setLogGroup("/g");
        properties.setLogStream("{app}");
        org.assertj.core.api.Assertions
            .assertThatExceptionOfType(InvalidCloudWatchLoggingPropertiesException.class)
            .isThrownBy(() -> CloudWatchLoggingSettings.create(properties, environment))
            .withMessageContaining("expands to 'a:b'");
    }

    @Test
    void propertiesComeFirstThenSpringCloudAwsBeansThenItsProperties() {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.cloud.aws.region.static", "eu-west-3")
            .withProperty("spring.cloud.aws.endpoint", "http://127.0.0.1:1")
            .withProperty("spring.cloud.aws.credentials.access-key", "from-env")
            .withProperty("spring.cloud.aws.credentials.secret-key", "secret");
        CloudWatchLoggingProperties properties = new CloudWatchLoggingProperties();
        AwsConnectionSettings fromEnvironment = AwsConnectionSettings.fromEnvironment(properties, environment);
        assertThat(fromEnvironment.region()).isEqualTo("eu-west-3");
        assertThat(fromEnvironment.endpoint()).hasToString("http://127.0.0.1:1");
        assertThat(fromEnvironment.credentials().resolveCredentials().accessKeyId()).isEqualTo("from-env");
        assertThat(fromEnvironment.toString()).doesNotContain("from-env").doesNotContain("secret");

        AwsRegionProvider regionBean = () -> Region.AP_SOUTH_1;
        var credentialsBean = StaticCredentialsProvider.create(AwsBasicCredentials.create("from-bean", "s"));
        AwsConnectionSettings fromBeans = AwsConnectionSettings.of(properties, environment, credentialsBean, regionBean);
        assertThat(fromBeans.region()).isEqualTo("ap-south-1");
        assertThat(fromBeans.credentials().resolveCredentials().accessKeyId()).isEqualTo("from-bean");

        properties.setRegion("us-west-2");
        properties.getCredentials().setAccessKey("from-properties");
        properties.getCredentials().setSecretKey("s");
        AwsConnectionSettings fromProperties = AwsConnectionSettings.of(properties, environment, credentialsBean,
                regionBean);
        assertThat(fromProperties.region()).isEqualTo("us-west-2");
        assertThat(fromProperties.credentials().resolveCredentials().accessKeyId()).isEqualTo("from-properties");
    }

    @Test
    void runWithSpringCloudAwsShouldUseItsBeans() {
        this.contextRunner
            .withConfiguration(AutoConfigurations.of(CredentialsProviderAutoConfiguration.class,
                    RegionProviderAutoConfiguration.class))
            .withPropertyValues("logging.cloudwatch.log-group=/cloud-aws/app", "logging.cloudwatch.log-stream=s",
                    "spring.cloud.aws.region.static=us-east-1", "spring.cloud.aws.credentials.access-key=ak",
                    "spring.cloud.aws.credentials.secret-key=sk", "spring.cloud.aws.endpoint=" + this.moto.endpoint())
            .run((context) -> {
                assertThat(context).hasSingleBean(software.amazon.awssdk.auth.credentials.AwsCredentialsProvider.class);
                CloudWatchLogShipping shipping = context.getBean(CloudWatchLogShipping.class);
                LoggerFactory.getLogger("com.example").info("through spring cloud aws");
                assertThat(shipping.flush(Duration.ofSeconds(10)).sent()).isEqualTo(1);
            });
    }

}
