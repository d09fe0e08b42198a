package io.github.cloudwatchlogging.autoconfigure;

import java.util.stream.Collectors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains invalid {@code logging.cloudwatch.*} values and what to set instead. */
class InvalidCloudWatchLoggingPropertiesFailureAnalyzer
        extends AbstractFailureAnalyzer<InvalidCloudWatchLoggingPropertiesException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidCloudWatchLoggingPropertiesException cause) {
        String description = "Shipping logs to CloudWatch Logs is configured with values the service would refuse:"
                + System.lineSeparator()
                + cause.getProblems().stream().map((problem) -> "    - " + problem)
                    .collect(Collectors.joining(System.lineSeparator()));
        String action = "Correct the logging.cloudwatch.* properties listed above, or set "
                + "logging.cloudwatch.enabled=false to turn shipping off.";
        return new FailureAnalysis(description, action, cause);
    }

}
