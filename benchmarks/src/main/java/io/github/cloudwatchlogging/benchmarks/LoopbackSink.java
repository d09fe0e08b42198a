package io.github.cloudwatchlogging.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

/**
 * A CloudWatch Logs stand-in on 127.0.0.1 that answers every call at once (or after a fixed delay) and counts the
 * events in PutLogEvents calls. DescribeLogGroups and DescribeLogStreams answer that the group or stream asked for
 * exists (the peers ask before they send); everything else gets an empty JSON body. {@code GET /stats} answers
 * "events requests", so that a JVM logging through it can tell when all arrived. With {@code hangPuts}, every
 * PutLogEvents call is held unanswered until the sink closes: a backlog that cannot drain. Its threads are named so
 * their CPU can be left out.
 */
final class LoopbackSink implements AutoCloseable {

    private static final byte[] TIMESTAMP = "\"timestamp\"".getBytes(StandardCharsets.US_ASCII);

    final AtomicLong events = new AtomicLong();

    final AtomicLong requests = new AtomicLong();

    final List<Thread> threads = new CopyOnWriteArrayList<>();

    private final HttpServer server;

    private final ExecutorService executor;

    private final CountDownLatch closed = new CountDownLatch(1);

    LoopbackSink(long delayMillis) throws IOException {
        this(delayMillis, false);
    }

    LoopbackSink(long delayMillis, boolean hangPuts) throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        AtomicInteger number = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(hangPuts ? 64 : 8, (task) -> {
            Thread thread = new Thread(task, "sink-" + number.incrementAndGet());
            thread.setDaemon(true);
            this.threads.add(thread);
            return thread;
        });
        this.server.setExecutor(this.executor);
        this.server.createContext("/", (exchange) -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String answer = "{}";
            if ("GET".equals(exchange.getRequestMethod()) && exchange.getRequestURI().getPath().equals("/stats")) {
                answer = this.events.get() + " " + this.requests.get();
            }
            else if (target != null && target.endsWith("PutLogEvents")) {
                if (hangPuts) {
                    awaitClose();
                }
                this.events.addAndGet(count(body));
                answer = "{\"nextSequenceToken\":\"" + this.requests.incrementAndGet() + "\"}";
            }
            else if (target != null && target.endsWith("DescribeLogGroups")) {
                String group = field(body, "logGroupNamePrefix");
                answer = "{\"logGroups\":[{\"logGroupName\":\"" + group + "\",\"arn\":\"arn:aws:logs:us-east-1:"
                        + "123456789012:log-group:" + group + ":*\",\"creationTime\":1,\"storedBytes\":0}]}";
            }
            else if (target != null && target.endsWith("DescribeLogStreams")) {
                String stream = field(body, "logStreamNamePrefix");
                answer = "{\"logStreams\":[{\"logStreamName\":\"" + stream + "\",\"creationTime\":1,"
                        + "\"uploadSequenceToken\":\"1\",\"storedBytes\":0}]}";
            }
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] bytes = answer.getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        this.server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
    }

    private void awaitClose() {
        try {
            this.closed.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** A string member of a JSON request, or empty: the names here never hold quotes or escapes. */
    private static String field(byte[] body, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"")
            .matcher(new String(body, StandardCharsets.UTF_8));
        return matcher.find() ? matcher.group(1) : "";
    }

    private static long count(byte[] body) {
        long found = 0;
        outer: for (int i = 0; i <= body.length - TIMESTAMP.length; i++) {
            for (int j = 0; j < TIMESTAMP.length; j++) {
                if (body[i + j] != TIMESTAMP[j]) {
                    continue outer;
                }
            }
            found++;
        }
        return found;
    }

    @Override
    public void close() {
        this.closed.countDown();
        this.server.stop(0);
        this.executor.shutdownNow();
    }

}
