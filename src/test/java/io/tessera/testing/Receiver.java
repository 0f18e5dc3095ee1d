package io.tessera.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** A real webhook receiver on 127.0.0.1: records every call and answers with a chosen status (or not in time). */
public final class Receiver implements AutoCloseable {
    /** One call: its headers (lower-case names) and body as received. */
    public record Call(Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final List<Call> calls = new ArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile int status = 200;
    private volatile Duration delay = Duration.ZERO;

    public Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst()));
            synchronized (calls) {
                calls.add(new Call(headers, new String(body, StandardCharsets.UTF_8)));
            }
            try {
                // Answers late when asked to (a receiver that times out); a close ends the wait.
                if (!delay.isZero()) closing.await(delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    public Receiver answering(int newStatus) {
        status = newStatus;
        return this;
    }

    public Receiver answeringAfter(Duration wait) {
        delay = wait;
        return this;
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Waits (up to 20 s) until the calls received satisfy {@code done}; returns them. */
    public List<Call> await(Predicate<List<Call>> done) {
        return Awaitility.await("the receiver's calls").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(10)).until(this::calls, done);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
