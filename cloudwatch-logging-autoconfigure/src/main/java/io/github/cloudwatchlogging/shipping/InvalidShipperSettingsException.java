package io.github.cloudwatchlogging.shipping;

import java.util.List;

/** Thrown when settings would make CloudWatch Logs refuse every call; lists every problem found. */
public class InvalidShipperSettingsException extends IllegalArgumentException {

    private final List<Problem> settingProblems;

    public InvalidShipperSettingsException(List<Problem> problems) {
        super("Invalid CloudWatch Logs shipping settings: "
                + String.join("; ", problems.stream().map(Problem::message).toList()));
        this.settingProblems = List.copyOf(problems);
    }

    /** What is wrong, one sentence a problem. */
    public List<String> problems() {
        return this.settingProblems.stream().map(Problem::message).toList();
    }

    /** What is wrong, each with the name of the {@link ShipperSettingsBuilder} setting it is about. */
    public List<Problem> settingProblems() {
        return this.settingProblems;
    }

    /**
     * One invalid setting.
     *
     * @param setting the builder method's name, for example {@code retentionDays}
     * @param message what is wrong and what to set instead
     */
    public record Problem(String setting, String message) {
    }

}
