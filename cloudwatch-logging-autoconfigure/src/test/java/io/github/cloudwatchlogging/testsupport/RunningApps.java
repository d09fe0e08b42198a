package io.github.cloudwatchlogging.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/** Starting real applications in tests and talking to them over loopback HTTP. */
public final class RunningApps {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RunningApps() {
    }

    /** An application that leaves closing to the test, as a JVM shutdown hook would at exit. */
    public static SpringApplication application(Class<?> source, WebApplicationType type) {
        SpringApplication application = new SpringApplication(source);
        application.setWebApplicationType(type);
        application.setRegisterShutdownHook(false);
        return application;
    }

    /** An endpoint on loopback that refuses connections: a port that was free, closed again. */
    public static String unreachableEndpoint() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    public static HttpResponse<String> get(int port, String path) {
        return send(HttpRequest.newBuilder(uri(port, path)).GET());
    }

    public static HttpResponse<String> post(int port, String path) {
        return send(HttpRequest.newBuilder(uri(port, path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * CPU time, in milliseconds, that the starter's own threads (named {@code cloudwatch-logging-*}) use over the
     * given window: a thread that spins uses about all of it, one that waits uses next to none.
     */
    public static long shipperCpuMillisOver(Duration window) throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] ids = Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter((thread) -> thread.getName().startsWith("cloudwatch-logging"))
            .mapToLong(Thread::getId)
            .toArray();
        long before = 0;
        for (long id : ids) {
            before += Math.max(0, threads.getThreadCpuTime(id));
        }
        Thread.sleep(window.toMillis());
        long after = 0;
        for (long id : ids) {
            after += Math.max(0, threads.getThreadCpuTime(id));
        }
        return Duration.ofNanos(after - before).toMillis();
    }

}
