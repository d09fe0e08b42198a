package io.github.cloudwatchlogging.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.cloudwatchlogging.shipping.LogShipper;
import io.github.cloudwatchlogging.shipping.PutLogEventsSender;
import io.github.cloudwatchlogging.shipping.PutResult;
import io.github.cloudwatchlogging.shipping.ShipperDiagnostics;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The indicator through its states, with a real shipper and a service that fails and recovers on command. */
class CloudWatchLoggingHealthIndicatorTests {

    private static final Duration THRESHOLD = Duration.ofMinutes(5);

    private final AtomicBoolean down = new AtomicBoolean();

    private final PutLogEventsSender service = (batch) -> {
        if (this.down.get()) {
            throw CloudWatchLogsException.builder()
                .awsErrorDetails(AwsErrorDetails.builder()
                    .errorCode("ServiceUnavailableException")
                    .errorMessage("try later")
                    .build())
                .statusCode(503)
                .build();
        }
        return PutResult.ALL_ACCEPTED;
    };

    private final LogShipper shipper = new LogShipper(ShipperSettings.builder("/health/app", "s")
        .batchDelay(Duration.ofMillis(10))
        .retryBaseDelay(Duration.ofMillis(5))
        .retryMaxDelay(Duration.ofMillis(20))
        .shutdownTimeout(Duration.ofMillis(200))
        .build(), ShipperDiagnostics.NONE);

    private Instant now = Instant.now();

    private final CloudWatchLoggingHealthIndicator indicator = new CloudWatchLoggingHealthIndicator(
            this.shipper::statistics, THRESHOLD, new Clock() {
                @Override
                public Instant instant() {
                    return CloudWatchLoggingHealthIndicatorTests.this.now;
                }

                @Override
                public java.time.ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }
            });

    @AfterEach
    void stop() {
        this.shipper.stop();
    }

    @Test
    void upWhileTheApplicationLogsNothingEvenLongAfterTheThreshold() {
        this.shipper.start(this.service);
        this.now = this.now.plus(Duration.ofDays(1));
        Health health = this.indicator.health(true);
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("state", "RUNNING")
            .containsEntry("logGroup", "/health/app")
            .doesNotContainKeys("failingSince", "lastError", "lastSuccess");
    }

    @Test
    void upWhileFailuresAreYoungerThanTheThresholdThenDownWithTheLastErrorThenUpAgainOnSuccess() {
        this.down.set(true);
        this.shipper.start(this.service);
        this.shipper.offer(System.currentTimeMillis(), "one event");
        await().atMost(Duration.ofSeconds(10)).until(() -> this.shipper.statistics().consecutiveFailures() >= 2);
        Instant failingSince = this.shipper.statistics().failingSince();
        assertThat(failingSince).isNotNull();

        this.now = failingSince.plus(THRESHOLD).minusSeconds(1);
        Health young = this.indicator.health(true);
        assertThat(young.getStatus()).isEqualTo(Status.UP);
        assertThat(young.getDetails()).containsEntry("failingSince", failingSince).containsEntry("queuedEvents", 1L);
        assertThat((String) young.getDetails().get("lastError")).startsWith("ServiceUnavailableException: try later");

        this.now = failingSince.plus(THRESHOLD).plusSeconds(1);
        Health old = this.indicator.health(true);
        assertThat(old.getStatus()).isEqualTo(Status.DOWN);
        assertThat(old.getDetails()).containsEntry("failingSince", failingSince);
        assertThat((String) old.getDetails().get("lastError")).startsWith("ServiceUnavailableException: try later");
        assertThat((Long) old.getDetails().get("consecutiveFailures")).isGreaterThanOrEqualTo(2);

        this.down.set(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> this.shipper.statistics().sent() == 1);
        Health recovered = this.indicator.health(true);
        assertThat(recovered.getStatus()).isEqualTo(Status.UP);
        assertThat(recovered.getDetails()).containsKey("lastSuccess").doesNotContainKeys("failingSince", "lastError");
    }

    @Test
    void unknownWhenTheApplicationDeclaredItsOwnAppender() {
        Health health = new CloudWatchLoggingHealthIndicator(() -> null, THRESHOLD, Clock.systemUTC()).health(true);
        assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(health.getDetails()).containsEntry("state", "NOT_INSTALLED");
    }

}
