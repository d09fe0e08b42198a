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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

/**
 * A CloudWatch Logs stand-in on 127.0.0.1 that answers every call at once (or after a fixed delay) with an empty
 * JSON body and counts the events in PutLogEvents calls. Its threads are named so their CPU can be left out.
 */
final class LoopbackSink implements AutoCloseable {

    private static final byte[] TIMESTAMP = "\"timestamp\"".getBytes(StandardCharsets.US_ASCII);

    final AtomicLong events = new AtomicLong();

    final AtomicLong requests = new AtomicLong();

    final List<Thread> threads = new CopyOnWriteArrayList<>();

    private final HttpServer server;

    private final ExecutorService executor;

    LoopbackSink(long delayMillis) throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        AtomicInteger number = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(8, (task) -> {
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
            if (target != null && target.endsWith("PutLogEvents")) {
                this.events.addAndGet(count(body));
                this.requests.incrementAndGet();
            }
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] answer = "{}".getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        this.server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
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
        this.server.stop(0);
        this.executor.shutdownNow();
    }

}
