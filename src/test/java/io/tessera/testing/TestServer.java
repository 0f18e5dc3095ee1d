package io.tessera.testing;

import io.tessera.Application;
import io.tessera.config.Config;
import io.tessera.http.Json;
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
        TestDatabases.Target db = TestDatabases.target(kind);
        Config config = tune.apply(Config.fromEnvironment(Map.of("TESSERA_ROOT_KEY", ROOT_KEY))
                .withDatabase(db.url(), db.user(), db.password()).withPort(0));
        TestServer server = new TestServer(config, db);
        server.app = Application.start(config, Clock.systemUTC());
        return server;
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

    public void startAgain() {
        if (app != null) throw new IllegalStateException("still running");
        app = Application.start(config, Clock.systemUTC());
    }

    /** A new project; returns its admin key. */
    public String newProject() {
        Response r = call("POST", "/v1/projects", ROOT_KEY, Map.of("name", "p-" + UUID.randomUUID(), "currency", "USD"));
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
        return sendAsync(method, path, key, body == null ? null : Json.text(body), "application/json");
    }

    public Response raw(String method, String path, String key, String body, String contentType) {
        return join(sendAsync(method, path, key, body, contentType));
    }

    private CompletableFuture<Response> sendAsync(String method, String path, String key, String body,
                                                  String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", contentType);
        if (key != null) b.header("Authorization", "Bearer " + key);
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Response(r.statusCode(), r.headers(), r.body()));
    }

    private static Response join(CompletableFuture<Response> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IOException io) throw new UncheckedIOException(io);
            throw e;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
