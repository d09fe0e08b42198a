package io.github.cloudwatchlogging.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/**
 * A moto server on 127.0.0.1 and a free port, started once per test JVM: the installed {@code moto_server}, else
 * {@code python3 -m moto.server}, else {@code moto[server]} pip-installed into a virtualenv under target/. If none
 * of those works, tests that need it fail and say what to install; they never skip.
 */
public final class MotoServer {

    private static MotoServer instance;

    private final URI endpoint;

    private final Process process;

    private MotoServer(URI endpoint, Process process) {
        this.endpoint = endpoint;
        this.process = process;
    }

    public static synchronized MotoServer get() {
        if (instance == null) {
            instance = start();
            Runtime.getRuntime().addShutdownHook(new Thread(instance.process::destroy));
        }
        return instance;
    }

    public URI endpoint() {
        return this.endpoint;
    }

    public CloudWatchLogsClient client() {
        return CloudWatchLogsClient.builder()
            .endpointOverride(this.endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build();
    }

    /** Every message in the stream, oldest first, page after page. */
    public List<String> messages(String group, String stream) {
        List<String> messages = new ArrayList<>();
        try (CloudWatchLogsClient reader = client()) {
            forEachMessage(reader, group, stream, messages::add);
        }
        return messages;
    }

    /** Hands every message in the stream to the action, oldest first, one page at a time, keeping none. */
    public static void forEachMessage(CloudWatchLogsClient reader, String group, String stream,
            Consumer<String> action) {
        String token = null;
        while (true) {
            String current = token;
            GetLogEventsResponse page = reader.getLogEvents((request) -> request.logGroupName(group)
                .logStreamName(stream)
                .startFromHead(true)
                .nextToken(current));
            if (page.events().isEmpty()) {
                return;
            }
            page.events().stream().map(OutputLogEvent::message).forEach(action);
            token = page.nextForwardToken();
        }
    }

    /**
     * Runs a Python script with boto3 (which moto's install brings) against this server: its URL is
     * {@code sys.argv[1]}, the given arguments follow. Returns what it printed; fails the test if it failed.
     */
    public String boto3(String script, String... args) {
        List<String> command = new ArrayList<>(List.of("python3", "-c", script, this.endpoint.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("boto3 script failed: " + out);
            }
            return out;
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Forgets every group and stream. */
    public void reset() {
        post("/moto-api/reset", "");
    }

    /**
     * Sets how many more calls moto serves without checking IAM authorization: "0" checks every call from now on,
     * "inf" never checks again (moto's default).
     */
    public void authorization(String initialNoAuthActions) {
        post("/moto-api/reset-auth", initialNoAuthActions);
    }

    private void post(String path, String body) {
        try {
            HttpURLConnection connection = (HttpURLConnection) this.endpoint.resolve(path).toURL().openConnection();
            connection.setRequestMethod("POST");
            connection.setRequestProperty("Content-Type", "text/plain"); // not a form: moto reads the raw body
            connection.setDoOutput(true);
            try (var out = connection.getOutputStream()) {
                out.write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            if (connection.getResponseCode() != 200) {
                throw new IllegalStateException("moto " + path + " answered " + connection.getResponseCode());
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException("moto " + path + " failed", ex);
        }
    }

    private static MotoServer start() {
        Path target = Paths.get("target").toAbsolutePath();
        List<String> tried = new ArrayList<>();
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of("moto_server"));
        commands.add(List.of("python3", "-m", "moto.server"));
        for (List<String> command : commands) {
            MotoServer server = tryStart(command, target, tried);
            if (server != null) {
                return server;
            }
        }
        List<String> venvCommand = installIntoVirtualenv(target, tried);
        if (venvCommand != null) {
            MotoServer server = tryStart(venvCommand, target, tried);
            if (server != null) {
                return server;
            }
        }
        throw new IllegalStateException("Could not start a moto server, which the CloudWatch Logs tests need. "
                + "Install Python 3 and moto: pip install 'moto[server]'. Tried: " + String.join("; ", tried));
    }

    private static MotoServer tryStart(List<String> command, Path target, List<String> tried) {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException("No free port for moto", ex);
        }
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("-H", "127.0.0.1", "-p", String.valueOf(port)));
        try {
            Files.createDirectories(target);
            File log = target.resolve("moto-server.log").toFile();
            Process process = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .start();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    tried.add(String.join(" ", full) + " exited with " + process.exitValue() + " (see " + log + ")");
                    return null;
                }
                if (answers(endpoint)) {
                    return new MotoServer(endpoint, process);
                }
                process.waitFor(100, TimeUnit.MILLISECONDS);
            }
            process.destroyForcibly();
            tried.add(String.join(" ", full) + " did not answer within 30 s");
        }
        catch (IOException ex) {
            tried.add(String.join(" ", full) + ": " + ex.getMessage());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            tried.add("interrupted");
        }
        return null;
    }

    private static List<String> installIntoVirtualenv(Path target, List<String> tried) {
        Path venv = target.resolve("moto-venv");
        Path motoServer = venv.resolve("bin/moto_server");
        try {
            if (!Files.isExecutable(motoServer)) {
                run(List.of("python3", "-m", "venv", venv.toString()), tried);
                run(List.of(venv.resolve("bin/pip").toString(), "install", "--quiet", "moto[server]"), tried);
            }
            return Files.isExecutable(motoServer) ? List.of(motoServer.toString()) : null;
        }
        catch (IOException ex) {
            tried.add("virtualenv install: " + ex.getMessage());
            return null;
        }
    }

    private static void run(List<String> command, List<String> tried) throws IOException {
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                tried.add(String.join(" ", command) + " failed");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean answers(URI endpoint) {
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            return connection.getResponseCode() < 500;
        }
        catch (IOException ex) {
            return false;
        }
    }

}
