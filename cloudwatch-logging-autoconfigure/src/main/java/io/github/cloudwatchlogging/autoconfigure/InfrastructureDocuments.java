package io.github.cloudwatchlogging.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.cloudwatchlogging.shipping.ShipperSettings;
import io.github.cloudwatchlogging.shipping.Subscription;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.json.JsonWriter;

/**
 * What this configuration needs around it, written from the settings the shipper runs with: the least-privilege
 * IAM policy for exactly the calls it makes, and the groups it ships to (with their retention, tags, KMS key,
 * class and subscription filter) and that policy as a CloudFormation template and as Terraform (in Terraform's
 * JSON syntax, which {@code terraform} reads from a {@code .tf.json} file like HCL).
 * <p>
 * A stream name whose placeholders are resolved only on a sender thread (instance metadata) is written with
 * {@code *} in their place; the account is {@code *} (the application does not know it), the region the one the
 * client uses, else {@code *}.
 */
public final class InfrastructureDocuments {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}");

    private final ShipperSettings main;

    private final List<ShipperSettings> all;

    private final String region;

    InfrastructureDocuments(ShipperSettings main, Map<String, ShipperSettings> routes, @Nullable String region) {
        this.main = main;
        List<ShipperSettings> settings = new ArrayList<>();
        settings.add(main);
        settings.addAll(routes.values());
        this.all = List.copyOf(settings);
        this.region = (region != null && !region.isBlank()) ? region : "*";
    }

    /** The IAM policy document: only the actions this configuration calls, on only its groups and streams. */
    public Map<String, Object> iamPolicy() {
        List<Map<String, Object>> statements = new ArrayList<>();
        statements.add(statement("PutLogEvents", List.of("logs:PutLogEvents"), streamArns()));
        if (this.main.createLogStream()) {
            statements.add(statement("CreateLogStream", List.of("logs:CreateLogStream"), groupArns()));
        }
        if (this.main.createLogGroup()) {
            statements.add(statement("CreateLogGroup", List.of("logs:CreateLogGroup"), groupArns()));
            if (this.main.retentionDays() != null) {
                statements.add(statement("PutRetentionPolicy", List.of("logs:PutRetentionPolicy"), groupArns()));
            }
            if (!this.main.tags().isEmpty()) {
                statements.add(statement("TagResource", List.of("logs:TagResource", "logs:TagLogGroup"),
                        groupArns()));
            }
            Subscription subscription = this.main.subscription();
            if (subscription != null) {
                statements.add(statement("PutSubscriptionFilter", List.of("logs:PutSubscriptionFilter"),
                        groupArns()));
                if (subscription.roleArn() != null) {
                    statements.add(statement("PassRoleToCloudWatchLogs", List.of("iam:PassRole"),
                            List.of(subscription.roleArn())));
                }
            }
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
            resources.put(id, resource("AWS::Logs::LogGroup", properties));
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
            properties.put("name", group);
            if (this.main.retentionDays() != null) {
                properties.put("retention_in_days", this.main.retentionDays());
            }
            if (this.main.kmsKeyId() != null) {
                properties.put("kms_key_id", this.main.kmsKeyId());
            }
            if (this.main.logGroupClass() != null) {
                properties.put("log_group_class", this.main.logGroupClass().name());
            }
            if (!this.main.tags().isEmpty()) {
                properties.put("tags", new LinkedHashMap<>(this.main.tags()));
            }
            groups.put(id, properties);
            Subscription subscription = this.main.subscription();
            if (subscription != null) {
                Map<String, Object> filter = new LinkedHashMap<>();
                filter.put("name", subscription.name());
                filter.put("log_group_name", "${aws_cloudwatch_log_group." + id + ".name}");
                filter.put("filter_pattern", subscription.filterPattern());
                filter.put("destination_arn", subscription.destinationArn());
                if (subscription.roleArn() != null) {
                    filter.put("role_arn", subscription.roleArn());
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
        resources.put("aws_iam_policy", Map.of("cloudwatch_logging", Map.of("name", "cloudwatch-logging",
                "description", "What cloudwatch-logging needs to ship this application's logs", "policy",
                JsonWriter.standard().writeToString(iamPolicy()))));
        return Map.of("resource", resources);
    }

    private Set<String> groups() {
        Set<String> groups = new LinkedHashSet<>();
        this.all.forEach((settings) -> groups.add(settings.logGroup()));
        return groups;
    }

    private List<String> groupArns() {
        return groups().stream().map((group) -> arn("log-group:" + group + ":*")).toList();
    }

    private List<String> streamArns() {
        Set<String> arns = new LinkedHashSet<>();
        for (ShipperSettings settings : this.all) {
            String stream = PLACEHOLDER.matcher(settings.logStream()).replaceAll("*");
            arns.add(arn("log-group:" + settings.logGroup() + ":log-stream:" + stream));
        }
        return List.copyOf(arns);
    }

    private String arn(String resource) {
        return "arn:aws:logs:" + this.region + ":*:" + resource;
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
