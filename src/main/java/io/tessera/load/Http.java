package io.tessera.load;

import io.tessera.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One HTTP/1.1 client with keep-alive connections (the JDK pools them), shared by every load client. Given several
 * nodes (comma-separated), each request goes to the next one, round robin, as a load balancer would send it.
 */
final class Http implements AutoCloseable {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String[] bases;
    private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

    Http(String urls) {
        this.bases = java.util.Arrays.stream(urls.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(u -> u.replaceAll("/+$", "")).toArray(String[]::new);
        if (bases.length == 0) throw new IllegalArgumentException("no server URL given");
    }

    HttpResponse<String> send(String method, String path, String key, Object body, String... headers)
            throws IOException, InterruptedException {
        String base = bases[Math.floorMod(next.getAndIncrement(), bases.length)];
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (key != null) request.header("Authorization", "Bearer " + key);
        if (headers.length > 0) request.headers(headers);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            byte[] bytes = body instanceof byte[] b ? b : Json.bytes(body);
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET path} on every node, in the order given (for figures each node keeps, such as /metrics). */
    java.util.List<HttpResponse<String>> getEach(String path) throws IOException, InterruptedException {
        java.util.List<HttpResponse<String>> answers = new java.util.ArrayList<>();
        for (String base : bases) {
            answers.add(client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        return answers;
    }

    /** A setup call that must succeed: anything but the expected status stops the run, saying why. */
    HttpResponse<String> expect(int status, String method, String path, String key, Object body)
            throws IOException, InterruptedException {
        HttpResponse<String> r = send(method, path, key, body);
        if (r.statusCode() != status)
            throw new SetupFailed(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        return r;
    }

    @Override
    public void close() {
        client.close();
    }

    /** The load run cannot set itself up (a wrong key, a server that refuses the fixtures). */
    static final class SetupFailed extends IllegalStateException {
        SetupFailed(String message) {
            super(message);
        }
    }
}
