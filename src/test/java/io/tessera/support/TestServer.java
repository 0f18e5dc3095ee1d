package io.tessera.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.Application;
import io.tessera.config.Config;
import io.tessera.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** A real Tessera server on a random port, with a small HTTP client for tests. */
public final class TestServer implements AutoCloseable {
    public static final String ROOT_KEY = "test-root-key";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Application app;
    private final String base;

    public TestServer(Config config) {
        this.app = Application.start(config, Clock.systemUTC());
        this.base = "http://127.0.0.1:" + app.port();
    }

    public static TestServer on(Backend backend) {
        return new TestServer(backend.config());
    }

    public Application app() {
        return app;
    }

    public String url() {
        return base;
    }

    /** Creates a fresh project and returns a client holding its admin key. */
    public Client newProject() {
        return newProject(Map.of());
    }

    public Client newProject(Map<String, Object> settings) {
        Map<String, Object> body = new java.util.HashMap<>(settings);
        body.putIfAbsent("name", "t-" + java.util.UUID.randomUUID().toString().substring(0, 12));
        Response r = client(ROOT_KEY).post("/v1/projects", body);
        if (r.status() != 201) throw new IllegalStateException("project creation failed: " + r);
        return client(r.json().get("apiKey").asText());
    }

    public Client client(String key) {
        return new Client(key);
    }

    @Override
    public void close() {
        app.close();
    }

    public record Response(int status, String body, Map<String, java.util.List<String>> headers) {
        public JsonNode json() {
            return Json.parse(body);
        }

        public String header(String name) {
            var v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.getFirst();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** Requests with one API key; {@code now} (if set) goes out as X-Test-Now. */
    public final class Client {
        private final String key;
        private String now;

        Client(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public Client at(String instant) {
            Client c = new Client(key);
            c.now = instant;
            return c;
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

        /** {@code body} is sent as is when it is a String, else as JSON. */
        public Response send(String method, String path, Object body, Map<String, String> headers) {
            HttpRequest.BodyPublisher pub = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : Json.text(body));
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method, pub)
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json");
            // A large body waits for "100 Continue", as careful clients do, so a 413 arrives before the upload.
            if (body instanceof String str && str.length() > 1_000_000) b.expectContinue(true);
            if (key != null) b.header("Authorization", "Bearer " + key);
            if (now != null) b.header("X-Test-Now", now);
            headers.forEach(b::header);
            try {
                HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
                return new Response(r.statusCode(), r.body(), r.headers().map());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
