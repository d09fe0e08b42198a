package io.github.cloudwatchlogging.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.cloudwatchlogging.alarms.ErrorAlarm;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import io.github.cloudwatchlogging.shipping.Subscription;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;

import org.springframework.boot.json.JsonWriter;

/**
 * What this configuration needs around it, written from the settings the shipper runs with: the least-privilege
 * IAM policy for exactly the calls it makes, and the groups it ships to (with their retention, tags, KMS key,
 * class and subscription filter) and that policy as a CloudFormation template and as Terraform (in Terraform's
 * JSON syntax, which {@code terraform} reads from a {@code .tf.json} file like HCL).
 * <p>
 * Every placeholder of a group or stream template is written as {@code *} (its value differs between processes,
 * days, instances or events), and a group named per event is left to the application to create; the account is
 * {@code *} (the application does not know it), the region the one the client uses, else {@code *}, and the
 * partition the region's. Written once, from the settings the shipper started with.
 */
public final class InfrastructureDocuments {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}");

    private final ShipperSettings main;

    private final List<Target> targets;

    private final @Nullable ErrorAlarm alarm;

    private final String region;

    private final String partition;

    /**
     * @param main the main destination's settings (the routes share its creation settings)
     * @param targets the group and stream template of the main destination and of each route
     * @param region the region the client uses, or null when the SDK's chain decides
     */
    InfrastructureDocuments(ShipperSettings main, List<Target> targets, @Nullable String region) {
        this(main, targets, region, null);
    }

    /** @param alarm the alarm on errors, whose two calls the policy allows too; null when off */
    InfrastructureDocuments(ShipperSettings main, List<Target> targets, @Nullable String region,
            @Nullable ErrorAlarm alarm) {
        this.alarm = alarm;
        this.main = main;
        this.targets = List.copyOf(targets);
        this.region = (region != null && !region.isBlank()) ? region : "*";
        this.partition = partition(region);
    }

    private static String partition(@Nullable String region) {
        if (region == null || region.isBlank()) {
            return "aws";
        }
        RegionMetadata metadata = Region.of(region).metadata();
        return (metadata != null) ? metadata.partition().id() : "aws";
    }

    /**
     * A destination: its group, and its stream as configured, placeholders and all.
     *
     * @param logGroup the log group
     * @param streamTemplate the log stream template
     */
    record Target(String logGroup, String streamTemplate) {
    }

    /** The IAM policy document: only the actions this configuration calls, on only its groups and streams. */
    public Map<String, Object> iamPolicy() {
        List<Map<String, Object>> statements = new ArrayList<>();
        statements.add(statement("PutLogEvents", List.of("logs:PutLogEvents"), streamArns()));
        if (this.main.createLogStream()) {
            statements.add(statement("CreateLogStream", List.of("logs:CreateLogStream"), groupArns()));
        }
        // The shipper creates a group only to create a stream in it (when PutLogEvents finds neither).
        if (this.main.createLogStream() && this.main.createLogGroup()) {
            statements.add(statement("CreateLogGroup", List.of("logs:CreateLogGroup"), groupArns()));
            if (this.main.retentionDays() != null) {
                statements.add(statement("PutRetentionPolicy", List.of("logs:PutRetentionPolicy"), groupArns()));
            }
            if (!this.main.tags().isEmpty()) {
                // Tagging authorizes against the group's ARN without the ":*" of its streams.
                Set<String> both = new LinkedHashSet<>(groupArns());
                this.targets.forEach((target) -> both.add(arn("log-group:" + wildcards(target.logGroup()))));
                statements.add(statement("TagResource", List.of("logs:TagResource", "logs:TagLogGroup"),
                        List.copyOf(both)));
            }
            Subscription subscription = this.main.subscription();
            if (subscription != null) {
                List<String> resources = new ArrayList<>(groupArns());
                if (subscription.destinationArn().contains(":logs:")) {
                    resources.add(subscription.destinationArn()); // a cross-account destination is checked too
                }
                statements.add(statement("PutSubscriptionFilter", List.of("logs:PutSubscriptionFilter"),
                        resources));
                if (subscription.roleArn() != null) {
                    Map<String, Object> passRole = statement("PassRoleToCloudWatchLogs", List.of("iam:PassRole"),
                            List.of(subscription.roleArn()));
                    passRole.put("Condition", Map.of("StringEquals", Map.of("iam:PassedToService",
                            "logs.amazonaws.com")));
                    statements.add(passRole);
                }
            }
        }
        ErrorAlarm errors = this.alarm;
        if (errors != null) {
            statements.add(statement("PutMetricFilter", List.of("logs:PutMetricFilter"),
                    List.of(arn("log-group:" + wildcards(errors.logGroup()) + ":*"))));
            // CloudWatch authorizes PutMetricAlarm against the alarm's ARN.
            statements.add(statement("PutMetricAlarm", List.of("cloudwatch:PutMetricAlarm"), List.of("arn:"
                    + this.partition + ":cloudwatch:" + this.region + ":*:alarm:" + errors.alarmName())));
        }
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("Version", "2012-10-17");
        policy.put("Statement", statements);
        return policy;
    }

    /** A CloudFormation template: each group, its subscription filter, and the policy as a managed policy. */
    public Map<String, Object> cloudFormation() {
        Map<String, Object> resources = new LinkedHashMap<>();
        int index = 0;
        for (String group : groups()) {
            String id = "LogGroup" + (index == 0 ? "" : String.valueOf(index));
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("LogGroupName", group);
            if (this.main.retentionDays() != null) {
                properties.put("RetentionInDays", this.main.retentionDays());
            }
            if (this.main.kmsKeyId() != null) {
                properties.put("KmsKeyId", this.main.kmsKeyId());
            }
            if (this.main.logGroupClass() != null) {
                properties.put("LogGroupClass", this.main.logGroupClass().name());
            }
            if (!this.main.tags().isEmpty()) {
                List<Map<String, String>> tags = new ArrayList<>();
                this.main.tags().forEach((key, value) -> tags.add(Map.of("Key", key, "Value", value)));
                properties.put("Tags", tags);
            }
            Map<String, Object> logGroup = resource("AWS::Logs::LogGroup", properties);
            // Deleting or replacing the stack must not delete the logs.
            logGroup.put("DeletionPolicy", "Retain");
            logGroup.put("UpdateReplacePolicy", "Retain");
            resources.put(id, logGroup);
            Subscription subscription = this.main.subscription();
            if (subscription != null) {
                Map<String, Object> filter = new LinkedHashMap<>();
                filter.put("LogGroupName", Map.of("Ref", id));
                filter.put("FilterName", subscription.name());
                filter.put("FilterPattern", subscription.filterPattern());
                filter.put("DestinationArn", subscription.destinationArn());
                if (subscription.roleArn() != null) {
                    filter.put("RoleArn", subscription.roleArn());
                }
                resources.put(id + "Subscription", resource("AWS::Logs::SubscriptionFilter", filter));
            }
            index++;
        }
        resources.put("ShippingPolicy", resource("AWS::IAM::ManagedPolicy",
                Map.of("Description", "What cloudwatch-logging needs to ship this application's logs",
                        "PolicyDocument", iamPolicy())));
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("AWSTemplateFormatVersion", "2010-09-09");
        template.put("Description", "Log groups of the application, as cloudwatch-logging is configured to ship");
        template.put("Resources", resources);
        return template;
    }

    /** The same as Terraform configuration, in its JSON syntax (save it as {@code cloudwatch-logging.tf.json}). */
    public Map<String, Object> terraform() {
        Map<String, Object> groups = new LinkedHashMap<>();
        Map<String, Object> filters = new LinkedHashMap<>();
        int index = 0;
        for (String group : groups()) {
            String id = "log_group" + (index == 0 ? "" : "_" + index);
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("name", literal(group));
            if (this.main.retentionDays() != null) {
                properties.put("retention_in_days", this.main.retentionDays());
            }
            if (this.main.kmsKeyId() != null) {
                properties.put("kms_key_id", literal(this.main.kmsKeyId()));
            }
            if (this.main.logGroupClass() != null) {
                properties.put("log_group_class", this.main.logGroupClass().name());
            }
            if (!this.main.tags().isEmpty()) {
                Map<String, String> tags = new LinkedHashMap<>();
                this.main.tags().forEach((key, value) -> tags.put(literal(key), literal(value)));
                properties.put("tags", tags);
            }
            groups.put(id, properties);
            Subscription subscription = this.main.subscription();
            if (subscription != null) {
                Map<String, Object> filter = new LinkedHashMap<>();
                filter.put("name", literal(subscription.name()));
                filter.put("log_group_name", "${aws_cloudwatch_log_group." + id + ".name}");
                filter.put("filter_pattern", literal(subscription.filterPattern()));
                filter.put("destination_arn", literal(subscription.destinationArn()));
                if (subscription.roleArn() != null) {
                    filter.put("role_arn", literal(subscription.roleArn()));
                }
                filters.put(id, filter);
            }
            index++;
        }
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("aws_cloudwatch_log_group", groups);
        if (!filters.isEmpty()) {
            resources.put("aws_cloudwatch_log_subscription_filter", filters);
        }
        // A name prefix, since an IAM policy's name is unique in its account and several applications may use this.
        resources.put("aws_iam_policy", Map.of("cloudwatch_logging", Map.of("name_prefix", "cloudwatch-logging-",
                "description", "What cloudwatch-logging needs to ship this application's logs", "policy",
                literal(JsonWriter.standard().writeToString(iamPolicy())))));
        return Map.of("resource", resources);
    }

    /** A string Terraform must take as it is: its template sequences escaped. */
    private static String literal(String value) {
        return value.replace("${", "$${").replace("%{", "%%{");
    }

    /** The groups named without placeholders: those a template can declare. */
    private Set<String> groups() {
        Set<String> groups = new LinkedHashSet<>();
        this.targets.stream()
            .map(Target::logGroup)
            .filter((group) -> !PLACEHOLDER.matcher(group).find())
            .forEach(groups::add);
        return groups;
    }

    private List<String> groupArns() {
        Set<String> arns = new LinkedHashSet<>();
        this.targets.forEach((target) -> arns.add(arn("log-group:" + wildcards(target.logGroup()) + ":*")));
        return List.copyOf(arns);
    }

    private List<String> streamArns() {
        Set<String> arns = new LinkedHashSet<>();
        for (Target target : this.targets) {
            arns.add(arn("log-group:" + wildcards(target.logGroup()) + ":log-stream:"
                    + wildcards(target.streamTemplate())));
        }
        return List.copyOf(arns);
    }

    private static String wildcards(String template) {
        return PLACEHOLDER.matcher(template).replaceAll("*");
    }

    private String arn(String resource) {
        return "arn:" + this.partition + ":logs:" + this.region + ":*:" + resource;
    }

    private static Map<String, Object> statement(String sid, List<String> actions, List<String> resources) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Sid", sid);
        statement.put("Effect", "Allow");
        statement.put("Action", actions);
        statement.put("Resource", resources);
        return statement;
    }

    private static Map<String, Object> resource(String type, Map<String, Object> properties) {
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("Type", type);
        resource.put("Properties", properties);
        return resource;
    }

}
