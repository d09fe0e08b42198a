package io.github.cloudwatchlogging.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Reads the ECS task id (task metadata endpoint v4) and the EC2 instance id (IMDSv2), each with a short timeout.
 * Called only when a stream template uses them, and only from a sender thread; a value read is kept, since it
 * never changes while the process lives.
 */
class InstanceMetadata {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static final Pattern TASK_ARN = Pattern.compile("\"TaskARN\"\\s*:\\s*\"([^\"]+)\"");

    /**
     * Built on the first lookup, on a sender thread: an HTTP client starts a thread and loads some 50 classes, which
     * made start-up about 0.2 s slower when it was built with the sender, on the main thread.
     */
    private @Nullable HttpClient http;

    private final Function<String, @Nullable String> environment;

    private final String imdsEndpoint;

    InstanceMetadata() {
        // The SDK's own switch, as a system property, counts like the environment variable.
        this((name) -> "AWS_EC2_METADATA_DISABLED".equals(name) && Boolean.getBoolean("aws.disableEc2Metadata")
                ? "true" : System.getenv(name), "http://169.254.169.254");
    }

    private @Nullable String ecsTaskId;

    private @Nullable String ec2InstanceId;

    InstanceMetadata(Function<String, @Nullable String> environment, String imdsEndpoint) {
        this.environment = environment;
        this.imdsEndpoint = imdsEndpoint;
    }

    /** Senders asking at once wait for one read. */
    synchronized String ecsTaskId() {
        String id = this.ecsTaskId;
        if (id == null) {
            id = readEcsTaskId();
            this.ecsTaskId = id;
        }
        return id;
    }

    synchronized String ec2InstanceId() {
        String id = this.ec2InstanceId;
        if (id == null) {
            id = readEc2InstanceId();
            this.ec2InstanceId = id;
        }
        return id;
    }

    private String readEcsTaskId() {
        String base = this.environment.apply("ECS_CONTAINER_METADATA_URI_V4");
        if (base == null || base.isBlank()) {
            throw new IllegalStateException("{ecs-task-id} needs the ECS task metadata endpoint, but "
                    + "ECS_CONTAINER_METADATA_URI_V4 is not set: the application is not running as an ECS task");
        }
        String body = get(HttpRequest.newBuilder(URI.create(base + "/task")).timeout(TIMEOUT).GET().build());
        Matcher matcher = TASK_ARN.matcher(body);
        if (!matcher.find()) {
            throw new IllegalStateException("The ECS task metadata has no TaskARN");
        }
        String arn = matcher.group(1);
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    private String readEc2InstanceId() {
        if ("true".equalsIgnoreCase(this.environment.apply("AWS_EC2_METADATA_DISABLED"))) {
            throw new IllegalStateException("{instance-id} needs EC2 instance metadata, which is disabled "
                    + "(AWS_EC2_METADATA_DISABLED)");
        }
        String endpoint = this.imdsEndpoint;
        String token = get(HttpRequest.newBuilder(URI.create(endpoint + "/latest/api/token"))
            .timeout(TIMEOUT)
            .header("X-aws-ec2-metadata-token-ttl-seconds", "60")
            .PUT(HttpRequest.BodyPublishers.noBody())
            .build());
        return get(HttpRequest.newBuilder(URI.create(endpoint + "/latest/meta-data/instance-id"))
            .timeout(TIMEOUT)
            .header("X-aws-ec2-metadata-token", token)
            .GET()
            .build()).trim();
    }

    private synchronized HttpClient client() {
        HttpClient client = this.http;
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            this.http = client;
        }
        return client;
    }

    private String get(HttpRequest request) {
        try {
            HttpResponse<String> response = client().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(request.uri() + " answered " + response.statusCode());
            }
            return response.body();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not read " + request.uri() + ": " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + request.uri(), ex);
        }
    }

}
