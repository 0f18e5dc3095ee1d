package io.tessera.admin;

import io.tessera.testing.TestServer;
import io.tessera.user.Role;
import io.tessera.user.UserService;
import io.tessera.user.UserStore;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser without a browser: an HTTP client keeping the admin UI's cookies, for the plain HTTP tests. */
final class AdminSession {
    static final String PASSWORD = "correct horse battery";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private final TestServer server;
    private final HttpClient client;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String email;

    AdminSession(TestServer server) {
        this.server = server;
        this.client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    }

    /** A new user of {@code role} (emails are unique per test); returns the email. */
    static String user(TestServer server, Role role) {
        String email = role.value() + "-" + UUID.randomUUID() + "@example.com";
        new UserService(server.app().database(), new UserStore(server.app().database()))
                .create(new io.tessera.core.Actor.System("test"), email, role, PASSWORD, Instant.now());
        return email;
    }

    /** The email of the user {@link #signedIn} as. */
    String email() {
        return email;
    }

    AdminSession header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** A form post; {@code csrf} adds the token read from the last page of {@code tokenFrom}. */
    HttpResponse<String> post(String path, Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /** A form post of an already encoded body (fields repeated, as checkboxes send them). */
    HttpResponse<String> postRaw(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A multipart form post (as a browser sends a file upload): the fields, and one file as {@code fileField}. */
    HttpResponse<String> upload(String path, Map<String, String> form, String fileField, String fileName, String content) {
        String boundary = "----tessera" + UUID.randomUUID();
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"")
                .append(k).append("\"\r\n\r\n").append(v).append("\r\n"));
        body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(fileField)
                .append("\"; filename=\"").append(fileName).append("\"\r\nContent-Type: text/csv\r\n\r\n")
                .append(content).append("\r\n--").append(boundary).append("--\r\n");
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /** The CSRF token of the page at {@code path}. */
    String csrf(String path) {
        Matcher m = CSRF.matcher(get(path).body());
        if (!m.find()) throw new AssertionError("no CSRF token on " + path);
        return m.group(1);
    }

    HttpResponse<String> signIn(String email, String password) {
        String token = csrf("/admin/sign-in");
        return post("/admin/sign-in", Map.of("_csrf", token, "email", email, "password", password));
    }

    /** Signs in and switches to the project of {@code key}. */
    AdminSession signedIn(String email, String key) {
        this.email = email;
        HttpResponse<String> r = signIn(email, PASSWORD);
        if (r.statusCode() != 303) throw new AssertionError("sign-in failed: " + r.statusCode() + " " + r.body());
        String project = server.get("/v1/project", key).json().get("id").asText();
        post("/admin/project", Map.of("_csrf", csrf("/admin/dashboard"), "project", project));
        return this;
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        headers.forEach(b::header);
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create(server.url() + path);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
