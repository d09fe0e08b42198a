package io.github.cloudwatchlogging.autoconfigure;

import java.util.List;

/** Thrown at start-up when {@code logging.cloudwatch.*} holds values CloudWatch Logs would refuse. */
public class InvalidCloudWatchLoggingPropertiesException extends IllegalStateException {

    private final List<String> problems;

    public InvalidCloudWatchLoggingPropertiesException(List<String> problems) {
        super("Invalid logging.cloudwatch settings: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> getProblems() {
        return this.problems;
    }

}
