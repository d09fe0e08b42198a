package io.github.cloudwatchlogging.shipping;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Sends batches with the AWS SDK's synchronous client. A missing group or stream is created (when allowed) and the
 * same batch is sent again; creation happens only then, so normal operation makes no Describe or Create calls.
 * <p>
 * With a client built by {@link CloudWatchLogsClients}, the body of each call is written from the events' bytes
 * into a buffer its sending thread reuses ({@link PutLogEventsBody}) and handed to the SDK by
 * {@link PutLogEventsBodyInterceptor}; with any other client the SDK marshals the events as usual.
 */
public final class SdkPutLogEventsSender implements PutLogEventsSender {

    private final CloudWatchLogsClient client;

    private final ShipperSettings settings;

    private final boolean ownsClient;

    private final UnaryOperator<String> streamNames;

    private final Object creation = new Object();

    /** Whether the client carries {@link PutLogEventsBodyInterceptor}, so that this writes the bodies itself. */
    private final boolean writesBody;

    /** One body buffer per sending thread, reused for every call it makes. */
    private final ThreadLocal<PutLogEventsBody> bodies = ThreadLocal.withInitial(PutLogEventsBody::new);

    /**
     * @param client the client; build it with the SDK's retries off ({@code maxAttempts(1)}), since the shipper
     * retries itself
     * @param ownsClient whether {@link #close()} closes the client
     */
    public SdkPutLogEventsSender(CloudWatchLogsClient client, ShipperSettings settings, boolean ownsClient) {
        this(client, settings, ownsClient, UnaryOperator.identity());
    }

    /**
     * @param streamNames what a destination's stream name becomes on the wire: the instance metadata placeholders
     * of its template filled in
     */
    public SdkPutLogEventsSender(CloudWatchLogsClient client, ShipperSettings settings, boolean ownsClient,
            UnaryOperator<String> streamNames) {
        this.client = client;
        this.settings = settings;
        this.ownsClient = ownsClient;
        this.streamNames = streamNames;
        this.writesBody = carriesBodyInterceptor(client);
    }

    private static boolean carriesBodyInterceptor(CloudWatchLogsClient client) {
        try {
            return client.serviceClientConfiguration()
                .overrideConfiguration()
                .executionInterceptors()
                .stream()
                .anyMatch(PutLogEventsBodyInterceptor.class::isInstance);
        }
        catch (RuntimeException ex) {
            return false; // a client that cannot say (a test double): the SDK marshals
        }
    }

    /** Whether this writes the bodies of its calls itself; for tests. */
    boolean writesBody() {
        return this.writesBody;
    }

    @Override
    public PutResult send(Batch batch) {
        if (!this.writesBody) {
            return send(batch, batch.request(PutLogEventsRequest.class, this::request));
        }
        // Written for every attempt into this thread's buffer: a retry may run on another thread.
        PutLogEventsBody body = this.bodies.get();
        String group = logGroup(batch);
        String stream = logStream(batch);
        try {
            body.write(group, stream, batch.eventArray());
            return send(batch, PutLogEventsRequest.builder()
                .logGroupName(group)
                .logStreamName(stream)
                .overrideConfiguration((override) -> timeouts(override)
                    .putExecutionAttribute(PutLogEventsBodyInterceptor.BODY, body))
                .build());
        }
        finally {
            body.release();
        }
    }

    private PutResult send(Batch batch, PutLogEventsRequest request) {
        PutLogEventsResponse response;
        try {
            response = this.client.putLogEvents(request);
        }
        catch (ResourceNotFoundException ex) {
            if (!this.settings.createLogStream()) {
                throw ex;
            }
            try {
                createDestination(request.logGroupName(), request.logStreamName());
            }
            catch (AwsServiceException failed) {
                if (FailureClassifier.classify(failed).retryable()) {
                    throw failed;
                }
                // Refused for the group's settings (a KMS key it cannot use), not for the batch: keep and retry it.
                throw new DestinationSetupException("Creating " + request.logGroupName() + " / "
                        + request.logStreamName(), failed);
            }
            response = this.client.putLogEvents(request);
        }
        RejectedLogEventsInfo rejected = response.rejectedLogEventsInfo();
        if (rejected == null) {
            return PutResult.ALL_ACCEPTED;
        }
        return PutResult.fromIndexes(batch.size(), rejected.tooOldLogEventEndIndex(),
                rejected.expiredLogEventEndIndex(), rejected.tooNewLogEventStartIndex());
    }

    @Override
    public void close() {
        if (this.ownsClient) {
            this.client.close();
        }
    }

    /** Built once per batch: a retry sends the same request (see {@link Batch#request}). */
    private PutLogEventsRequest request(Batch batch) {
        List<InputLogEvent> events = new ArrayList<>(batch.size());
        for (LogEvent event : batch.events()) {
            events.add(InputLogEvent.builder()
                .timestamp(event.timestamp())
                .message(new String(event.message(), StandardCharsets.UTF_8))
                .build());
        }
        return PutLogEventsRequest.builder()
            .logGroupName(logGroup(batch))
            .logStreamName(logStream(batch))
            .logEvents(events)
            .overrideConfiguration(this::timeouts)
            .build();
    }

    private AwsRequestOverrideConfiguration.Builder timeouts(AwsRequestOverrideConfiguration.Builder override) {
        return override.apiCallTimeout(this.settings.requestTimeout())
            .apiCallAttemptTimeout(this.settings.requestTimeout());
    }

    private String logGroup(Batch batch) {
        Destination destination = batch.destination();
        return (destination != null) ? destination.logGroup() : this.settings.logGroup();
    }

    private String logStream(Batch batch) {
        Destination destination = batch.destination();
        return this.streamNames.apply((destination != null) ? destination.logStream() : this.settings.logStream());
    }

    /** Creates the stream, and the group first when the stream cannot be created without it. */
    private void createDestination(String group, String stream) {
        synchronized (this.creation) {
            try {
                createStream(group, stream);
            }
            catch (ResourceNotFoundException ex) {
                if (!this.settings.createLogGroup()) {
                    throw ex;
                }
                createGroup(group);
                createStream(group, stream);
            }
        }
    }

    private void createStream(String group, String stream) {
        try {
            this.client.createLogStream((request) -> request.logGroupName(group)
                .logStreamName(stream)
                .overrideConfiguration((override) -> override.apiCallTimeout(this.settings.requestTimeout())));
        }
        catch (ResourceAlreadyExistsException ex) {
            // Another sender or another instance of the application created it first.
        }
    }

    private void createGroup(String group) {
        try {
            this.client.createLogGroup((request) -> {
                request.logGroupName(group)
                    .overrideConfiguration((override) -> override.apiCallTimeout(this.settings.requestTimeout()));
                if (!this.settings.tags().isEmpty()) {
                    request.tags(this.settings.tags());
                }
                if (this.settings.kmsKeyId() != null) {
                    request.kmsKeyId(this.settings.kmsKeyId());
                }
                if (this.settings.logGroupClass() != null) {
                    request.logGroupClass(this.settings.logGroupClass().name());
                }
            });
        }
        catch (ResourceAlreadyExistsException ex) {
            return; // someone else created it, and its retention is theirs to set
        }
        // Each of these on its own: the group exists now, so a failure here would never be tried again, and must
        // not keep the other from being applied (the events ship either way).
        Integer retention = this.settings.retentionDays();
        if (retention != null) {
            try {
                this.client.putRetentionPolicy((request) -> request.logGroupName(group)
                    .retentionInDays(retention)
                    .overrideConfiguration((override) -> override.apiCallTimeout(this.settings.requestTimeout())));
            }
            catch (SdkException ex) {
                System.err.println("cloudwatch-logging: the retention of " + retention + " days could not be set on "
                        + group + ": " + ex.getMessage() + "; its events are shipped and kept as the group says");
            }
        }
        Subscription subscription = this.settings.subscription();
        if (subscription != null) {
            // Only on a group this created: a group someone else made is theirs to subscribe. Putting it again
            // (a group deleted and created anew) replaces it.
            try {
                this.client.putSubscriptionFilter((request) -> request.logGroupName(group)
                    .filterName(subscription.name())
                    .filterPattern(subscription.filterPattern())
                    .destinationArn(subscription.destinationArn())
                    .roleArn(subscription.roleArn())
                    .overrideConfiguration((override) -> override.apiCallTimeout(this.settings.requestTimeout())));
            }
            catch (SdkException ex) {
                // The group's events still ship; only their forwarding is missing, which must not cost the batch.
                System.err.println("cloudwatch-logging: the subscription filter '" + subscription.name() + "' to "
                        + subscription.destinationArn() + " could not be put on " + group + ": " + ex.getMessage()
                        + "; its events are shipped but not forwarded");
            }
        }
    }

}
