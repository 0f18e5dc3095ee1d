package io.tessera.testing;

import io.tessera.Application;
import io.tessera.config.Config;
import io.tessera.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/** A real server on a random port over H2 or PostgreSQL, and an HTTP client speaking to it. */
public final class TestServer implements AutoCloseable {
    public static final String ROOT_KEY = "tsr_test_root_key";
    private final Config config;
    private final TestDatabases.Target database;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Application app;

    private TestServer(Config config, TestDatabases.Target database) {
        this.config = config;
        this.database = database;
    }

    public static TestServer start(String kind) {
        return start(kind, c -> c);
    }

    public static TestServer start(String kind, UnaryOperator<Config> tune) {
        Config config = tune.apply(TestDatabases.config(kind));
        TestServer server = new TestServer(config, new TestDatabases.Target(kind, config.databaseUrl(),
                config.databaseUser(), config.databasePassword()));
        server.app = Application.start(config, Clock.systemUTC());
        return server;
    }

    /** Another node on this server's database (same configuration), for behaviour across nodes. */
    public TestServer anotherNode() {
        return anotherNode(c -> c);
    }

    /** Another node on this server's database with its own settings (pool size, cache refresh, ...). */
    public TestServer anotherNode(UnaryOperator<Config> tune) {
        Config tuned = tune.apply(config);
        if (!tuned.databaseUrl().equals(config.databaseUrl()))
            throw new IllegalArgumentException("another node must use the same database");
        TestServer node = new TestServer(tuned, database);
        node.app = Application.start(tuned, Clock.systemUTC());
        return node;
    }

    public String url() {
        return "http://127.0.0.1:" + app.port();
    }

    /** A new project, with a client holding its admin key. */
    public Client newProjectClient() {
        return newProjectClient(Map.of());
    }

    /** A new project with these settings (timezone, currency, ...), with a client holding its admin key. */
    public Client newProjectClient(Map<String, Object> settings) {
        Map<String, Object> body = new java.util.HashMap<>(settings);
        body.putIfAbsent("name", "t-" + hexId().substring(0, 12));
        Response r = call("POST", "/v1/projects", ROOT_KEY, body);
        if (r.status() != 201) throw new IllegalStateException("project creation failed: " + r);
        return client(r.json().get("apiKey").asText());
    }

    public Client client(String key) {
        return new Client(key, null);
    }

    /** Requests with one API key; {@code now} (if set) goes out as X-Test-Now. */
    public final class Client {
        private final String key;
        private final String now;

        private Client(String key, String now) {
            this.key = key;
            this.now = now;
        }

        public String key() {
            return key;
        }

        public Client at(String instant) {
            return new Client(key, instant);
        }

        public Response get(String path) {
            return send("GET", path, null, Map.of());
        }

        public Response post(String path, Object body) {
            return send("POST", path, body, Map.of());
        }

        public Response post(String path, Object body, Map<String, String> headers) {
            return send("POST", path, body, headers);
        }

        public Response put(String path, Object body) {
            return send("PUT", path, body, Map.of());
        }

        public Response patch(String path, Object body) {
            return send("PATCH", path, body, Map.of());
        }

        public Response delete(String path) {
            return send("DELETE", path, null, Map.of());
        }

        /** {@code body} is sent as is when it is a String (in UTF-8) or bytes, else as JSON. */
        public Response send(String method, String path, Object body, Map<String, String> headers) {
            Map<String, String> all = new java.util.HashMap<>(headers);
            if (now != null) all.put("X-Test-Now", now);
            byte[] bytes = body == null ? null : body instanceof byte[] raw ? raw
                    : utf8(body instanceof String str ? str : Json.text(body));
            return join(sendAsync(method, path, key, bytes, "application/json", all));
        }
    }

    public Application app() {
        return app;
    }

    public TestDatabases.Target database() {
        return database;
    }

    public Connection connect() {
        try {
            return database.connect();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server (as a shutdown would); {@link #startAgain()} starts a new one on the same database. */
    public void stop() {
        if (app != null) app.close();
        app = null;
    }

    public boolean running() {
        return app != null;
    }

    public void startAgain() {
        if (app != null) throw new IllegalStateException("still running");
        app = Application.start(config, Clock.systemUTC());
    }

    /**
     * A random id of hex digits for test projects' names: a UUID's dashes could spell an id a test looks for
     * (ErasureTest's "c-1" in "…6c-1…").
     */
    private static String hexId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** A new project; returns its admin key. */
    public String newProject() {
        Response r = call("POST", "/v1/projects", ROOT_KEY, Map.of("name", "p-" + hexId(), "currency", "USD"));
        if (r.status() != 201) throw new IllegalStateException("project creation failed: " + r);
        return r.json().get("apiKey").asText();
    }

    public Response get(String path, String key) {
        return call("GET", path, key, null);
    }

    public Response post(String path, String key, Object body) {
        return call("POST", path, key, body);
    }

    public Response patch(String path, String key, Object body) {
        return call("PATCH", path, key, body);
    }

    public Response call(String method, String path, String key, Object body) {
        return join(callAsync(method, path, key, body));
    }

    public CompletableFuture<Response> callAsync(String method, String path, String key, Object body) {
        return sendAsync(method, path, key, body == null ? null : utf8(Json.text(body)), "application/json", Map.of());
    }

    public Response raw(String method, String path, String key, String body, String contentType) {
        return join(sendAsync(method, path, key, body == null ? null : utf8(body), contentType, Map.of()));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private CompletableFuture<Response> sendAsync(String method, String path, String key, byte[] body,
                                                  String contentType, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) b.header("Content-Type", contentType);
        if (key != null) b.header("Authorization", "Bearer " + key);
        // A large body waits for "100 Continue", as careful clients do, so a 413 arrives before the upload.
        if (body != null && body.length > 1_000_000) b.expectContinue(true);
        headers.forEach(b::header);
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            OpenApiCheck.check(method, r.uri(), r.statusCode(), r.headers(), r.body());
            return new Response(r.statusCode(), r.headers(), r.body());
        });
    }

    private static Response join(CompletableFuture<Response> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IOException io) throw new UncheckedIOException(io);
            if (e.getCause() instanceof AssertionError mismatch) throw mismatch; // OpenApiCheck
            throw e;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
