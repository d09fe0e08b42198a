package io.github.cloudwatchlogging.autoconfigure;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.cloudwatchlogging.actuate.CloudWatchLoggingEndpoint;
import io.github.cloudwatchlogging.testsupport.MotoServer;
import io.github.cloudwatchlogging.testsupport.RunningApps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.json.JsonWriter;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.cloudwatchlogging.testsupport.RunningApps.application;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The infrastructure answers of the endpoint ({@code iam-policy}, {@code cloudformation}, {@code terraform}): what
 * they hold for a configuration, the CloudFormation template deployed to moto's CloudFormation (then the application
 * ships into the groups it made, with {@code create-log-group: false}), and the policy's actions checked by moto's
 * IAM authorization: enough, and each one needed. moto's CloudWatch Logs checks actions but not resources (it
 * authorizes every call against the resource {@code *}), so that test grants the policy's actions on {@code *};
 * the resource ARNs are checked here against the formats AWS documents.
 */
class InfrastructureApplicationTests {

    private final MotoServer moto = MotoServer.get();

    @BeforeEach
    void reset() {
        this.moto.reset();
    }

    @Test
    void thePolicyHoldsExactlyTheCallsOfTheConfiguration() {
        Map<String, Object> full = document("iam-policy", "--logging.cloudwatch.retention=7",
                "--logging.cloudwatch.tags.team=orders", "--logging.cloudwatch.routes.errors.log-group=/infra/errors",
                "--logging.cloudwatch.routes.errors.level=error",
                "--logging.cloudwatch.log-stream={app}/{instance-id}",
                "--logging.cloudwatch.subscription.destination-arn=arn:aws:firehose:us-east-1:1:deliverystream/x",
                "--logging.cloudwatch.subscription.role-arn=arn:aws:iam::1:role/cwl");
        assertThat(sids(full)).containsExactly("PutLogEvents", "CreateLogStream", "CreateLogGroup",
                "PutRetentionPolicy", "TagResource", "PutSubscriptionFilter", "PassRoleToCloudWatchLogs");
        // Every placeholder is a wildcard: {app} and {instance-id} alike differ between processes.
        assertThat(resources(full, "PutLogEvents")).containsExactly(
                "arn:aws:logs:us-east-1:*:log-group:/infra/app:log-stream:*/*",
                "arn:aws:logs:us-east-1:*:log-group:/infra/errors:log-stream:*/*");
        assertThat(resources(full, "CreateLogGroup")).containsExactly("arn:aws:logs:us-east-1:*:log-group:/infra/app:*",
                "arn:aws:logs:us-east-1:*:log-group:/infra/errors:*");
        // Tagging is authorized against the group's ARN without ":*".
        assertThat(resources(full, "TagResource")).contains("arn:aws:logs:us-east-1:*:log-group:/infra/app",
                "arn:aws:logs:us-east-1:*:log-group:/infra/app:*");
        assertThat(resources(full, "PassRoleToCloudWatchLogs")).containsExactly("arn:aws:iam::1:role/cwl");
        assertThat(statement(full, "PassRoleToCloudWatchLogs").get("Condition"))
            .isEqualTo(Map.of("StringEquals", Map.of("iam:PassedToService", "logs.amazonaws.com")));
        Map<String, Object> china = document("iam-policy", "--logging.cloudwatch.region=cn-north-1");
        assertThat(resources(china, "PutLogEvents")).allMatch((arn) -> arn.startsWith("arn:aws-cn:logs:cn-north-1:"));

        Map<String, Object> least = document("iam-policy", "--logging.cloudwatch.create-log-group=false");
        assertThat(sids(least)).containsExactly("PutLogEvents", "CreateLogStream");
        Map<String, Object> noStreams = document("iam-policy", "--logging.cloudwatch.create-log-stream=false",
                "--logging.cloudwatch.retention=7");
        assertThat(sids(noStreams)).as("a group is created only to create a stream in it")
            .containsExactly("PutLogEvents");
        Map<String, Object> nothingCreated = document("iam-policy", "--logging.cloudwatch.create-log-group=false",
                "--logging.cloudwatch.create-log-stream=false", "--logging.cloudwatch.retention=7");
        assertThat(sids(nothingCreated)).containsExactly("PutLogEvents");
    }

    @Test
    void theEndpointAnswersThemOverHttp() throws Exception {
        try (ConfigurableApplicationContext context = application(InfrastructureApplication.class,
                WebApplicationType.SERVLET)
            .run(args("--server.port=0", "--management.endpoints.web.exposure.include=cloudwatchlogging"))) {
            int port = RunningApps.port(context);
            for (String document : List.of("iam-policy", "cloudformation", "terraform")) {
                HttpResponse<String> response = RunningApps.get(port, "/actuator/cloudwatchlogging/" + document);
                assertThat(response.statusCode()).as(document).isEqualTo(200);
                assertThat(JsonParserFactory.getJsonParser().parseMap(response.body())).isNotEmpty();
            }
            assertThat(RunningApps.get(port, "/actuator/cloudwatchlogging/pulumi").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void theCloudFormationTemplateDeployedToMotoMakesTheGroupsTheApplicationThenShipsInto() throws Exception {
        Map<String, Object> template = document("cloudformation", "--logging.cloudwatch.retention=14",
                "--logging.cloudwatch.tags.team=orders", "--logging.cloudwatch.routes.errors.log-group=/infra/errors",
                "--logging.cloudwatch.routes.errors.level=error");
        this.moto.reset(); // the application that answered shipped its own start-up, creating its group
        this.moto.boto3("""
                import boto3, sys
                cfn = boto3.client('cloudformation', endpoint_url=sys.argv[1], region_name='us-east-1',
                                   aws_access_key_id='test', aws_secret_access_key='test')
                cfn.create_stack(StackName='cloudwatch-logging', TemplateBody=sys.argv[2],
                                 Capabilities=['CAPABILITY_IAM'])
                status = cfn.describe_stacks(StackName='cloudwatch-logging')['Stacks'][0]['StackStatus']
                assert status == 'CREATE_COMPLETE', status
                """, JsonWriter.standard().writeToString(template));
        try (CloudWatchLogsClient reader = this.moto.client()) {
            List<LogGroup> groups = reader.describeLogGroups((request) -> request.logGroupNamePrefix("/infra/"))
                .logGroups();
            assertThat(groups).extracting(LogGroup::logGroupName).containsExactly("/infra/app", "/infra/errors");
            assertThat(groups).allSatisfy((group) -> assertThat(group.retentionInDays()).isEqualTo(14));
        }
        try (ConfigurableApplicationContext context = application(InfrastructureApplication.class,
                WebApplicationType.NONE)
            .run(args("--logging.cloudwatch.create-log-group=false", "--logging.cloudwatch.retention=14",
                    "--logging.cloudwatch.routes.errors.log-group=/infra/errors",
                    "--logging.cloudwatch.routes.errors.level=error"))) {
            LoggerFactory.getLogger("com.example.Orders").error("into the stack's groups");
            CloudWatchLogShipping shipping = context.getBean(CloudWatchLogShipping.class);
            await().atMost(Duration.ofSeconds(15))
                .until(() -> shipping.statistics().sent() >= 1 && shipping.statistics("errors").sent() >= 1);
        }
        assertThat(this.moto.messages("/infra/errors", "infra-app")).anyMatch((m) -> m.contains("into the stack"));
    }

    @Test
    void terraformDescribesTheSameGroupsAsTheTemplate() {
        String[] settings = { "--logging.cloudwatch.retention=30", "--logging.cloudwatch.tags.team=orders",
                "--logging.cloudwatch.kms-key-id=arn:aws:kms:us-east-1:123456789012:key/k",
                "--logging.cloudwatch.routes.errors.log-group=/infra/errors",
                "--logging.cloudwatch.subscription.destination-arn=arn:aws:firehose:us-east-1:1:deliverystream/x" };
        Map<String, Object> template = document("cloudformation", settings);
        Map<String, Object> terraform = document("terraform", settings);
        Map<String, Object> cfnResources = map(template.get("Resources"));
        Map<String, Object> tfResources = map(terraform.get("resource"));
        Map<String, Object> tfGroups = map(tfResources.get("aws_cloudwatch_log_group"));
        List<String> cfnGroupNames = new ArrayList<>();
        cfnResources.values().stream().map(InfrastructureApplicationTests::map)
            .filter((resource) -> "AWS::Logs::LogGroup".equals(resource.get("Type")))
            .forEach((resource) -> {
                Map<String, Object> properties = map(resource.get("Properties"));
                cfnGroupNames.add((String) properties.get("LogGroupName"));
                Map<String, Object> tf = tfGroups.values().stream().map(InfrastructureApplicationTests::map)
                    .filter((group) -> group.get("name").equals(properties.get("LogGroupName")))
                    .findFirst()
                    .orElseThrow();
                assertThat(((Number) tf.get("retention_in_days")).intValue())
                    .isEqualTo(((Number) properties.get("RetentionInDays")).intValue());
                assertThat(tf.get("kms_key_id")).isEqualTo(properties.get("KmsKeyId"));
                assertThat(map(tf.get("tags"))).containsEntry("team", "orders");
            });
        assertThat(cfnGroupNames).containsExactly("/infra/app", "/infra/errors");
        assertThat(tfGroups).hasSize(2);
        assertThat(map(tfResources.get("aws_cloudwatch_log_subscription_filter"))).hasSize(2);
        String policy = (String) map(map(tfResources.get("aws_iam_policy")).get("cloudwatch_logging")).get("policy");
        assertThat(JsonParserFactory.getJsonParser().parseMap(policy))
            .isEqualTo(map(map(cfnResources.get("ShippingPolicy")).get("Properties")).get("PolicyDocument"));
    }

    @AfterEach
    void authorizationOff() throws Exception {
        this.moto.authorization("inf"); // whatever a test did, the next ones find moto as they expect it
    }

    @Test
    void motosIamAuthorizationAcceptsThePolicysActionsAndRefusesThemLessAnyOne() throws Exception {
        Map<String, Object> policy = document("iam-policy", "--logging.cloudwatch.retention=7");
        assertThat(sids(policy)).containsExactly("PutLogEvents", "CreateLogStream", "CreateLogGroup",
                "PutRetentionPolicy");
        this.moto.reset();
        assertThat(shipsWith(policy, null)).as("with every statement").isNull();
        assertThat(retention()).as("with every statement").isEqualTo(7);
        for (String removed : List.of("PutLogEvents", "CreateLogStream", "CreateLogGroup")) {
            this.moto.reset();
            // moto answers a refused call with 403 and no error code the SDK parses
            assertThat(shipsWith(policy, removed)).as("the failure without %s", removed).contains("Status Code: 403");
        }
        // Without it the events still go (the retention is the group's, not the events'), but the call is refused.
        this.moto.reset();
        assertThat(shipsWith(policy, "PutRetentionPolicy")).isNull();
        assertThat(retention()).as("without PutRetentionPolicy").isNull();
    }

    private Integer retention() {
        try (CloudWatchLogsClient reader = this.moto.client()) {
            return reader.describeLogGroups((request) -> request.logGroupNamePrefix("/infra/app"))
                .logGroups()
                .get(0)
                .retentionInDays();
        }
    }

    /**
     * Ships one event as an IAM user holding the policy's actions (less one statement) on every resource; returns
     * null when it was delivered, else what the last failure said.
     */
    private String shipsWith(Map<String, Object> policy, String withoutSid) throws Exception {
        List<Object> statements = new ArrayList<>();
        for (Object statement : (List<?>) policy.get("Statement")) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>(map(statement));
            if (!copy.get("Sid").equals(withoutSid)) {
                copy.put("Resource", "*");
                statements.add(copy);
            }
        }
        String keys = this.moto.boto3("""
                import boto3, sys
                iam = boto3.client('iam', endpoint_url=sys.argv[1], region_name='us-east-1',
                                   aws_access_key_id='test', aws_secret_access_key='test')
                iam.create_user(UserName='shipper')
                iam.put_user_policy(UserName='shipper', PolicyName='cloudwatch-logging', PolicyDocument=sys.argv[2])
                key = iam.create_access_key(UserName='shipper')['AccessKey']
                print(key['AccessKeyId'] + ' ' + key['SecretAccessKey'])
                """, JsonWriter.standard().writeToString(Map.of("Version", "2012-10-17", "Statement", statements)))
            .strip();
        String[] key = keys.split(" ");
        this.moto.authorization("0"); // from now on every call needs a permitted identity
        try (ConfigurableApplicationContext context = application(InfrastructureApplication.class,
                WebApplicationType.NONE)
            .run(args("--logging.cloudwatch.retention=7", "--logging.cloudwatch.shutdown-timeout=500ms",
                    "--logging.cloudwatch.credentials.access-key=" + key[0],
                    "--logging.cloudwatch.credentials.secret-key=" + key[1]))) {
            LoggerFactory.getLogger("com.example.Orders").info("as the policy allows");
            CloudWatchLogShipping shipping = context.getBean(CloudWatchLogShipping.class);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (shipping.statistics().sent() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            return (shipping.statistics().sent() > 0) ? null : String.valueOf(shipping.statistics().lastFailureMessage());
        }
        finally {
            this.moto.authorization("inf");
        }
    }


    private Map<String, Object> document(String name, String... more) {
        try (ConfigurableApplicationContext context = application(InfrastructureApplication.class,
                WebApplicationType.NONE)
            .run(args(concat(more, "--management.endpoints.web.exposure.include=cloudwatchlogging")))) {
            Map<String, Object> document = context.getBean(CloudWatchLoggingEndpoint.class).infrastructure(name);
            // Through JSON and back, as a client reads it.
            return JsonParserFactory.getJsonParser().parseMap(JsonWriter.standard().writeToString(document));
        }
    }

    private String[] args(String... more) {
        List<String> args = new ArrayList<>(List.of("--logging.cloudwatch.log-group=/infra/app",
                "--logging.cloudwatch.log-stream={app}", "--spring.application.name=infra-app",
                "--logging.cloudwatch.region=us-east-1", "--logging.cloudwatch.endpoint=" + this.moto.endpoint(),
                "--logging.cloudwatch.batch-delay=100ms", "--logging.cloudwatch.shutdown-timeout=500ms",
                "--spring.main.banner-mode=off"));
        for (String arg : more) {
            String name = arg.substring(0, arg.indexOf('=') + 1);
            args.removeIf((existing) -> existing.startsWith(name)); // a later value replaces the default
            args.add(arg);
        }
        return args.toArray(String[]::new);
    }

    private static String[] concat(String[] first, String... second) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(second));
        return all.toArray(String[]::new);
    }


    private static List<String> sids(Map<String, Object> policy) {
        return ((List<?>) policy.get("Statement")).stream().map((s) -> (String) map(s).get("Sid")).toList();
    }

    private static Map<String, Object> statement(Map<String, Object> policy, String sid) {
        return ((List<?>) policy.get("Statement")).stream()
            .map(InfrastructureApplicationTests::map)
            .filter((s) -> sid.equals(s.get("Sid")))
            .findFirst()
            .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<String> resources(Map<String, Object> policy, String sid) {
        return ((List<?>) policy.get("Statement")).stream()
            .map(InfrastructureApplicationTests::map)
            .filter((s) -> sid.equals(s.get("Sid")))
            .map((s) -> (List<String>) s.get("Resource"))
            .findFirst()
            .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class InfrastructureApplication {

    }

}
