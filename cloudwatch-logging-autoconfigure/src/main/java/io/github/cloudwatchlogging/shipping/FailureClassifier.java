package io.github.cloudwatchlogging.shipping;

import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The one place that decides what a failed call means; see cloudwatch-logs-api.md for the table it follows. */
final class FailureClassifier {

    private static final Set<String> THROTTLING_CODES = Set.of("ThrottlingException", "Throttling",
            "TooManyRequestsException", "RequestLimitExceeded", "LimitExceededException");

    private static final Set<String> AUTHORIZATION_CODES = Set.of("UnrecognizedClientException",
            "AccessDeniedException", "AccessDenied", "ExpiredTokenException", "ExpiredToken",
            "InvalidSignatureException", "IncompleteSignature", "InvalidClientTokenId", "MissingAuthenticationToken",
            "SignatureDoesNotMatch", "NotAuthorized");

    private FailureClassifier() {
    }

    static FailureKind classify(Throwable failure) {
        if (failure instanceof AwsServiceException service) {
            return classifyService(service);
        }
        if (failure instanceof ApiCallAttemptTimeoutException || failure instanceof ApiCallTimeoutException) {
            return FailureKind.TRANSIENT;
        }
        if (failure instanceof SdkClientException client) {
            String message = String.valueOf(client.getMessage());
            if (message.contains("Unable to load credentials") || message.contains("Unable to load region")) {
                return FailureKind.AUTHORIZATION;
            }
            return FailureKind.TRANSIENT;
        }
        if (failure instanceof IOException || failure.getCause() instanceof IOException) {
            return FailureKind.TRANSIENT;
        }
        return FailureKind.UNKNOWN;
    }

    /** A short name for the failure: the service's error code when it sent one, otherwise the exception type. */
    static String describeType(Throwable failure) {
        if (failure instanceof DestinationSetupException setup && setup.getCause() != null) {
            return describeType(setup.getCause()); // the service's code (InvalidParameterException), not our wrapper
        }
        if (failure instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorCode() != null) {
            return service.awsErrorDetails().errorCode();
        }
        return failure.getClass().getSimpleName();
    }

    /**
     * The failure's message, with its root cause when that says something the message does not: the SDK's message
     * for a DNS failure, for one, leaves out the host name that would not resolve.
     */
    static String describeMessage(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        Throwable root = rootCause(failure);
        String rootMessage = root.getMessage();
        if (root == failure || rootMessage == null || message.contains(rootMessage)) {
            return message;
        }
        return message + " (caused by " + root.getClass().getSimpleName() + ": " + rootMessage + ")";
    }

    /** The last cause of the chain; a chain that loops back ends where it would repeat. */
    static Throwable rootCause(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable root = failure;
        while (seen.add(root) && root.getCause() != null && !seen.contains(root.getCause())) {
            root = root.getCause();
        }
        return root;
    }

    private static FailureKind classifyService(AwsServiceException failure) {
        String code = (failure.awsErrorDetails() != null) ? failure.awsErrorDetails().errorCode() : null;
        int status = failure.statusCode();
        if ((code != null && THROTTLING_CODES.contains(code)) || failure.isThrottlingException() || status == 429) {
            return FailureKind.THROTTLED;
        }
        if ("ResourceNotFoundException".equals(code)) {
            return FailureKind.RESOURCE_NOT_FOUND;
        }
        if ("InvalidParameterException".equals(code)) {
            return FailureKind.INVALID_BATCH;
        }
        if ((code != null && AUTHORIZATION_CODES.contains(code)) || status == 401 || status == 403) {
            return FailureKind.AUTHORIZATION;
        }
        if (status >= 500 || "ServiceUnavailableException".equals(code)) {
            return FailureKind.TRANSIENT;
        }
        return FailureKind.UNKNOWN;
    }

}
