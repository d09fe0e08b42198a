package io.github.cloudwatchlogging.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Ours beside the peers, in one run: every appender through every scenario (see {@link PeerRun}), each in a fresh
 * JVM of its own against a fresh loopback sink in this one, so that the sink's CPU is never the appender's. Prints
 * a Markdown table of the medians over the rounds and each of issue 15's targets as a ratio, met or not.
 * {@code --quick} runs every appender and scenario once, briefly (CI); {@code --rounds N} sets the rounds (2);
 * {@code --only APPENDER:SCENARIO} runs that pair alone, and the JVM options in the environment variable
 * {@code PEER_JVM_OPTIONS} go to every appender's JVM (a profiler's, say).
 */
public final class PeerComparison {

    static final List<String> APPENDERS = List.of("ours", "pjer", "kdgregory", "asyncAppender", "logbackAlone");

    static final List<String> SCENARIOS = List.of("steady", "burst1", "burst4", "burst16", "heap", "endToEnd");

    /** Results by appender, then scenario, then key: one value per round. */
    private final Map<String, Map<String, Map<String, List<Double>>>> results = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        List<String> arguments = Arrays.asList(args);
        boolean quick = arguments.contains("--quick");
        int rounds = quick ? 1 : 2;
        int roundsAt = arguments.indexOf("--rounds");
        if (roundsAt >= 0) {
            rounds = Integer.parseInt(arguments.get(roundsAt + 1));
        }
        PeerComparison comparison = new PeerComparison();
        int onlyAt = arguments.indexOf("--only");
        if (onlyAt >= 0) {
            String[] pair = arguments.get(onlyAt + 1).split(":");
            comparison.runOnce(pair[0], pair[1], quick);
            return;
        }
        for (int round = 0; round < rounds; round++) {
            for (String scenario : SCENARIOS) {
                for (String appender : APPENDERS) {
                    if ((appender.equals("asyncAppender") || appender.equals("logbackAlone")) && (scenario.equals("heap") || scenario.equals("endToEnd"))) {
                        continue; // it sends nothing: no backlog to hold, nothing to deliver
                    }
                    comparison.runOnce(appender, scenario, quick);
                }
            }
        }
        comparison.print(rounds, quick);
    }

    private void runOnce(String appender, String scenario, boolean quick) throws Exception {
        try (LoopbackSink sink = new LoopbackSink(0, scenario.equals("heap"))) {
            List<String> command = new ArrayList<>(List.of(
                    System.getProperty("java.home") + File.separator + "bin" + File.separator + "java", "-Xmx1g"));
            String options = System.getenv("PEER_JVM_OPTIONS");
            if (options != null && !options.isBlank()) {
                command.addAll(Arrays.asList(options.trim().split("\\s+")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), PeerRun.class.getName(), appender,
                    scenario, sink.endpoint().toString()));
            if (quick) {
                command.add("--quick");
            }
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("AWS_ACCESS_KEY_ID", "bench");
            builder.environment().put("AWS_SECRET_ACCESS_KEY", "bench");
            builder.environment().put("AWS_REGION", "us-east-1");
            builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
            Process process = builder.start();
            List<String> output = new ArrayList<>();
            String result = null;
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith("RESULT ")) {
                        result = line.substring("RESULT ".length());
                    }
                }
            }
            if (!process.waitFor(10, TimeUnit.MINUTES) || result == null || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(appender + " " + scenario + " reported nothing:\n"
                        + String.join("\n", output));
            }
            Map<String, Double> values = new HashMap<>();
            for (String pair : result.split(" ")) {
                String[] keyValue = pair.split("=", 2);
                values.put(keyValue[0], Double.parseDouble(keyValue[1]));
            }
            if (values.get("errors") > 0) {
                throw new IllegalStateException(appender + " " + scenario + " reported Logback errors; its figures "
                        + "are void:\n" + String.join("\n", output));
            }
            output.stream().filter((line) -> line.startsWith("thread cpu")).forEach(System.err::println);
            System.err.println(appender + " " + scenario + ": " + result);
            values.forEach((key, value) -> this.results.computeIfAbsent(appender, (a) -> new LinkedHashMap<>())
                .computeIfAbsent(scenario, (s) -> new LinkedHashMap<>())
                .computeIfAbsent(key, (k) -> new ArrayList<>())
                .add(value));
        }
    }

    /** The median over the rounds, or NaN when the appender did not run the scenario. */
    double value(String appender, String scenario, String key) {
        List<Double> values = this.results.getOrDefault(appender, Map.of())
            .getOrDefault(scenario, Map.of())
            .get(key);
        if (values == null || values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private void print(int rounds, boolean quick) {
        System.out.printf("## Ours beside the peers (%s, %d round(s), medians)%n%n", LocalDate.now(), rounds);
        System.out.printf("Machine: %d cores, %s, %s %s, every appender in its own JVM (-Xmx1g). %s%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                quick ? "Quick run: figures not meaningful." : "");
        System.out.println("| figure | ours | pjer 1.6.0 | kdgregory 3.0.1 | AsyncAppender -> no-op "
                + "| Logback alone (no-op appender) |");
        System.out.println("|---|---|---|---|---|---|");
        row("steady 10,000/s, 4 threads: median call", "steady", "medianNs", 1e-3, "%.2f us");
        row("same: p99", "steady", "p99Ns", 1e-3, "%.2f us");
        row("same: delivered of logged", "steady", null, 0, null);
        for (String burst : List.of("burst1", "burst4", "burst16")) {
            String threads = burst.substring("burst".length());
            row("burst, " + threads + " thread(s): wall time per event", burst, "wallNsPerEvent", 1, "%.0f ns");
            row("same: median call", burst, "medianNs", 1e-3, "%.2f us");
            row("same: delivered of logged", burst, null, 0, null);
        }
        row("heap retained by a 200,000-event backlog", "heap", "heapBytes", 1e-6, "%.1f MB");
        row("end to end, healthy burst", "endToEnd", "eventsPerSecond", 1, "%,.0f events/s");
        row("same: CPU per delivered event", "endToEnd", "cpuNsPerEvent", 1e-3, "%.2f us");
        row("same: delivered of logged", "endToEnd", null, 0, null);
        System.out.println();
        System.out.println("| target (issue 15) | ratio | met |");
        System.out.println("|---|---|---|");
        target("steady median <= 0.5 x pjer's", "steady", "medianNs", "pjer", 0.5, true);
        target("steady p99 <= 0.5 x pjer's", "steady", "p99Ns", "pjer", 0.5, true);
        for (String burst : List.of("burst1", "burst4")) {
            target(burst + " wall time per event <= kdgregory's", burst, "wallNsPerEvent", "kdgregory", 1, true);
            target(burst + " median call <= kdgregory's", burst, "medianNs", "kdgregory", 1, true);
        }
        target("burst16 median call <= 2 x AsyncAppender's (meant for a many-core machine)", "burst16", "medianNs",
                "asyncAppender", 2, true);
        target("heap for the backlog <= 0.5 x kdgregory's", "heap", "heapBytes", "kdgregory", 0.5, true);
        target("end to end >= 5 x kdgregory's", "endToEnd", "eventsPerSecond", "kdgregory", 5, false);
        target("CPU per delivered event <= 0.5 x kdgregory's", "endToEnd", "cpuNsPerEvent", "kdgregory", 0.5, true);
    }

    private void row(String figure, String scenario, String key, double scale, String format) {
        StringBuilder line = new StringBuilder("| " + figure + " |");
        for (String appender : APPENDERS) {
            String cell;
            if (key == null) {
                double logged = value(appender, scenario, "logged");
                double delivered = value(appender, scenario, "delivered");
                cell = Double.isNaN(logged) ? "n/a"
                        : String.format(Locale.ROOT, "%.1f %%", 100 * delivered / Math.max(1, logged));
            }
            else {
                double value = value(appender, scenario, key);
                cell = Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, format, value * scale);
            }
            line.append(' ').append(cell).append(" |");
        }
        System.out.println(line);
    }

    /** Ours over the peer's figure, against the bound: at most it when {@code atMost}, else at least it. */
    private void target(String name, String scenario, String key, String peer, double bound, boolean atMost) {
        double ratio = value("ours", scenario, key) / value(peer, scenario, key);
        boolean met = atMost ? ratio <= bound : ratio >= bound;
        if (scenario.startsWith("burst")) {
            met &= value("ours", scenario, "delivered") >= value("ours", scenario, "logged");
        }
        System.out.printf(Locale.ROOT, "| %s | %.2f | %s |%n", name, ratio, met ? "yes" : "**no**");
    }

}
