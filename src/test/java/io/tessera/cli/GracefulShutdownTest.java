package io.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Json;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A server process stopped with SIGTERM in the middle of concurrent redemptions answers every redemption it committed,
 * and answers 201 only for redemptions it committed. The process is a node of its own: on PostgreSQL it uses the
 * class's database; on H2 a file database of its own, since another process cannot open the class's in-memory one
 * (and the H2 claim is about the server process owning its embedded database through the stop).
 */
class GracefulShutdownTest extends ServerPerDatabase {
    private static final String ROOT = "rk_shutdown_test";
    private static final int REQUESTS = 600;
    private static final int CONCURRENCY = 32;

    @Test
    void everyCommittedRedemptionIsAnsweredAndEveryAnsweredOneIsCommitted() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("TESSERA_ROOT_KEY", ROOT, "TESSERA_SHUTDOWN_SECONDS", "20"));
        TestDatabases.Target db = database.equals(TestDatabases.H2)
                ? new TestDatabases.Target(TestDatabases.H2, "jdbc:h2:file:" + Files.createTempDirectory("tessera-drain")
                        .resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000",
                        "sa", "")
                : server.database();
        if (db.password() != null) env.put("TESSERA_DATABASE_PASSWORD", db.password());
        env.put("TESSERA_DATABASE_URL", db.url());
        env.put("TESSERA_DATABASE_USER", db.user());
        int port = ServerProcess.freePort();
        env.put("TESSERA_PORT", Integer.toString(port));

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String project;
        Set<String> answered = ConcurrentHashMap.newKeySet(); // the id of every redemption answered 201
        AtomicInteger otherAnswers = new AtomicInteger();
        try (ServerProcess process = ServerProcess.start(env, "serve")) {
            process.awaitUp(Duration.ofSeconds(90));
            JsonNode created = send(client, port, ROOT, "/v1/projects", Map.of("name", "drain-" + System.nanoTime(),
                    "currency", "USD")).join();
            project = created.at("/id").asText();
            String key = created.at("/apiKey").asText();
            send(client, port, key, "/v1/campaigns", Map.of("name", "drain", "type", "CODES", "active", true,
                    "codes", Map.of("mode", "UNIVERSAL", "code", "DRAIN"),
                    "discount", Map.of("type", "AMOUNT", "amount", 100))).join();

            Semaphore inFlight = new Semaphore(CONCURRENCY);
            CountDownLatch someAnswered = new CountDownLatch(40);
            List<CompletableFuture<Void>> calls = new java.util.ArrayList<>();
            Thread stopper = Thread.ofPlatform().start(() -> {
                try {
                    someAnswered.await();
                } catch (InterruptedException e) {
                    return;
                }
                process.terminate(); // SIGTERM with requests in flight
            });
            for (int i = 0; i < REQUESTS; i++) {
                inFlight.acquire();
                Map<String, Object> body = Map.of("customer", "c-" + i, "codes", List.of("DRAIN"),
                        "order", Map.of("currency", "USD", "items", List.of(Map.of("sku", "A", "price", 1000,
                                "quantity", 1))));
                calls.add(call(client, port, key, "/v1/redemptions", body).handle((r, failure) -> {
                    inFlight.release();
                    if (r != null && r.statusCode() == 201) {
                        answered.add(Json.parse(r.body()).at("/id").asText());
                        someAnswered.countDown();
                    } else {
                        otherAnswers.incrementAndGet(); // refused while stopping (503, connection refused or reset)
                    }
                    return null;
                }));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
            stopper.join();
            assertThat(process.awaitExit(Duration.ofSeconds(60))).as("exit code after SIGTERM").isIn(0, 143);
            String log = process.stderr();
            assertThat(log).doesNotContain("already closed").doesNotContain("\tat ").doesNotContain("Exception");
        }

        Set<String> committed = new HashSet<>();
        try (Connection c = db.connect();
             var ps = c.prepareStatement("select id from redemptions where project_id = ?")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) committed.add(rs.getString(1));
            }
        }
        assertThat(answered).as("some redemptions were answered before the stop").hasSizeGreaterThanOrEqualTo(40);
        assertThat(otherAnswers.get()).as("the stop came in the middle of the traffic").isPositive();
        assertThat(committed).as("committed redemptions = redemptions answered 201")
                .containsExactlyInAnyOrderElementsOf(answered);
    }

    private static CompletableFuture<HttpResponse<String>> call(HttpClient client, int port, String key, String path,
                                                                Object body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.text(body))).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static CompletableFuture<JsonNode> send(HttpClient client, int port, String key, String path, Object body) {
        return call(client, port, key, path, body).thenApply(r -> {
            if (r.statusCode() != 201) throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
            return Json.parse(r.body());
        });
    }
}
