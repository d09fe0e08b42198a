package io.github.cloudwatchlogging.shipping;

import java.util.List;

/** Thrown when settings would make CloudWatch Logs refuse every call; lists every problem found. */
public class InvalidShipperSettingsException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidShipperSettingsException(List<String> problems) {
        super("Invalid CloudWatch Logs shipping settings: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return this.problems;
    }

}
