package io.github.cloudwatchlogging.shipping;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

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
 */
public final class SdkPutLogEventsSender implements PutLogEventsSender {

    private final CloudWatchLogsClient client;

    private final ShipperSettings settings;

    private final boolean ownsClient;

    private final UnaryOperator<String> streamNames;

    private final Object creation = new Object();

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
    }

    @Override
    public PutResult send(Batch batch) {
        PutLogEventsRequest request = batch.request(PutLogEventsRequest.class, this::request);
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
        Destination destination = batch.destination();
        return PutLogEventsRequest.builder()
            .logGroupName((destination != null) ? destination.logGroup() : this.settings.logGroup())
            .logStreamName(this.streamNames.apply((destination != null) ? destination.logStream()
                    : this.settings.logStream()))
            .logEvents(events)
            .overrideConfiguration((override) -> override.apiCallTimeout(this.settings.requestTimeout())
                .apiCallAttemptTimeout(this.settings.requestTimeout()))
            .build();
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
