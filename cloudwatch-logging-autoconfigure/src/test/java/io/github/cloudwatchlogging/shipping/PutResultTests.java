package io.github.cloudwatchlogging.shipping;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;

import static org.assertj.core.api.Assertions.assertThat;

class PutResultTests {

    @Test
    void fromIndexesWhenNoneGivenAcceptsAll() {
        assertThat(PutResult.fromIndexes(10, null, null, null)).isEqualTo(PutResult.ALL_ACCEPTED);
    }

    @Test
    void fromIndexesCountsEachEventOnce() {
        PutResult result = PutResult.fromIndexes(10, 2, 4, 7);
        assertThat(result).isEqualTo(new PutResult(2, 3, 2));
        assertThat(result.rejected()).isEqualTo(7);
    }

    @Test
    void fromIndexesClampsOverlapsAndOutOfRange() {
        assertThat(PutResult.fromIndexes(5, 3, 2, 1)).isEqualTo(new PutResult(3, 2, 0));
        assertThat(PutResult.fromIndexes(5, 99, null, null)).isEqualTo(new PutResult(5, 0, 0));
    }

    private static AwsServiceException serviceError(String code, int status) {
        return CloudWatchLogsException.builder()
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build())
            .statusCode(status)
            .build();
    }

    @Test
    void classifiesEveryKindOfFailure() {
        assertThat(FailureClassifier.classify(serviceError("ThrottlingException", 400))).isEqualTo(FailureKind.THROTTLED);
        assertThat(FailureClassifier.classify(serviceError("ServiceUnavailableException", 503)))
            .isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureClassifier.classify(serviceError("InternalFailure", 500))).isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureClassifier.classify(serviceError("InvalidParameterException", 400)))
            .isEqualTo(FailureKind.INVALID_BATCH);
        assertThat(FailureClassifier.classify(serviceError("ResourceNotFoundException", 400)))
            .isEqualTo(FailureKind.RESOURCE_NOT_FOUND);
        assertThat(FailureClassifier.classify(serviceError("UnrecognizedClientException", 400)))
            .isEqualTo(FailureKind.AUTHORIZATION);
        assertThat(FailureClassifier.classify(serviceError("AccessDeniedException", 400)))
            .isEqualTo(FailureKind.AUTHORIZATION);
        assertThat(FailureClassifier.classify(ApiCallAttemptTimeoutException.create(1000)))
            .isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureClassifier.classify(SdkClientException.create("Unable to load credentials from any provider")))
            .isEqualTo(FailureKind.AUTHORIZATION);
        assertThat(FailureClassifier.classify(SdkClientException.create("Connection reset",
                new java.net.SocketException("reset")))).isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureClassifier.classify(new IllegalStateException("?"))).isEqualTo(FailureKind.UNKNOWN);
        assertThat(FailureKind.INVALID_BATCH.retryable()).isFalse();
        assertThat(FailureKind.THROTTLED.retryable()).isTrue();
    }

    @Test
    void backoffStaysWithinItsGrowingCeiling() {
        Backoff backoff = new Backoff(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(5));
        assertThat(backoff.ceilingNanos(0)).isEqualTo(100_000_000L);
        assertThat(backoff.ceilingNanos(3)).isEqualTo(800_000_000L);
        assertThat(backoff.ceilingNanos(40)).isEqualTo(5_000_000_000L);
        for (int i = 0; i < 1000; i++) {
            assertThat(backoff.delayNanos(2)).isBetween(0L, 400_000_000L);
        }
    }

    @Test
    void settingsNameEveryProblem() {
        org.assertj.core.api.Assertions
            .assertThatExceptionOfType(InvalidShipperSettingsException.class)
            .isThrownBy(() -> ShipperSettings.builder("aws/reserved", "a:b").retentionDays(2).maxInFlight(0).build())
            .satisfies((ex) -> assertThat(ex.problems()).hasSize(4))
            .withMessageContaining("aws/")
            .withMessageContaining("':' or '*'")
            .withMessageContaining("retention of 2 days")
            .withMessageContaining("in-flight");
    }

}
