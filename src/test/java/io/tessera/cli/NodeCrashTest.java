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
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Three server processes on one PostgreSQL under concurrent redemptions of a campaign with a redemption limit, a budget
 * and a per-customer limit, every request with an Idempotency-Key; one node is killed (SIGKILL) in the middle. The
 * requests it left unanswered are retried, with their keys, on another node. Then: no limit or budget is overshot,
 * every 201 is a committed redemption and every committed redemption was answered 201, and each key has at most one
 * redemption.
 */
class NodeCrashTest extends ServerPerDatabase {
    private static final String ROOT = "rk_node_crash_test";
    private static final int NODES = 3;
    private static final int REQUESTS = 360;
    private static final int CONCURRENCY = 24;
    private static final int CUSTOMERS = 90;
    static final long AMOUNT = 100;
    private static final long BUDGET = 150 * AMOUNT; // binds before the 180 that per-customer limits would allow
    private static final int LIMIT = 170;

    @Test
    void aNodeKilledMidLoadLosesNoRedemptionAndOvershootsNothing() throws Exception {
        Assumptions.assumeTrue(database.equals(TestDatabases.POSTGRES),
                "several processes share one database only on PostgreSQL (an H2 database belongs to one process)");
        TestDatabases.Target db = server.database();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<ServerProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < NODES; i++) {
                Map<String, String> env = new HashMap<>(Map.of("TESSERA_ROOT_KEY", ROOT, "TESSERA_DATABASE_URL", db.url(),
                        "TESSERA_DATABASE_USER", db.user(), "TESSERA_PORT", Integer.toString(ServerProcess.freePort()),
                        "TESSERA_DATABASE_POOL_SIZE", "8"));
                if (db.password() != null) env.put("TESSERA_DATABASE_PASSWORD", db.password());
                nodes.add(ServerProcess.start(env, "serve"));
            }
            for (ServerProcess n : nodes) n.awaitUp(Duration.ofSeconds(180)); // a bound for a busy machine; ~5 s idle
            int first = nodes.getFirst().port;
            JsonNode project = created(call(client, first, ROOT, "/v1/projects", Map.of("name", "crash-" + System.nanoTime(),
                    "currency", "USD"), null).join());
            String key = project.at("/apiKey").asText();
            created(call(client, first, key, "/v1/campaigns", Map.of("name", "capped", "type", "CODES", "codes",
                    Map.of("mode", "UNIVERSAL", "code", "CAPPED"), "discount", Map.of("type", "AMOUNT", "amount", AMOUNT),
                    "limits", Map.of("redemptions", LIMIT, "perCustomer", 2, "budget", Map.of("discount", BUDGET))),
                    null).join());

            Map<String, String> answered = new ConcurrentHashMap<>(); // idempotency key -> redemption id answered 201
            Map<String, Map<String, Object>> unanswered = new ConcurrentHashMap<>(); // key -> body, no answer
            ServerProcess victim = nodes.get(NODES - 1);
            CountDownLatch someAnswered = new CountDownLatch(30);
            Thread killer = Thread.ofPlatform().start(() -> {
                try {
                    someAnswered.await();
                } catch (InterruptedException e) {
                    return;
                }
                victim.kill();
            });
            Semaphore inFlight = new Semaphore(CONCURRENCY);
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                inFlight.acquire();
                String idem = "k-" + i;
                Map<String, Object> body = body("c-" + (i % CUSTOMERS));
                int port = nodes.get(i % NODES).port;
                calls.add(call(client, port, key, "/v1/redemptions", body, idem).handle((r, failure) -> {
                    inFlight.release();
                    if (r == null || r.statusCode() >= 500) {
                        unanswered.put(idem, body); // no answer (killed) or unavailable: the client retries
                    } else if (r.statusCode() == 201) {
                        answered.put(idem, Json.parse(r.body()).at("/id").asText());
                        someAnswered.countDown();
                    }
                    return null;
                }));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
            killer.join();
            assertThat(unanswered).as("the kill left requests unanswered").isNotEmpty();

            // The client's retries, with the same key and body, on a node that is up.
            for (var e : unanswered.entrySet()) {
                HttpResponse<String> r = call(client, first, key, "/v1/redemptions", e.getValue(), e.getKey()).join();
                assertThat(r.statusCode()).as("retry of " + e.getKey() + ": " + r.body()).isIn(201, 422);
                if (r.statusCode() == 201) answered.put(e.getKey(), Json.parse(r.body()).at("/id").asText());
            }

            Map<String, String> committed = new HashMap<>(); // key -> id
            Map<String, Integer> perCustomer = new HashMap<>();
            long discount = 0;
            try (Connection c = db.connect(); var ps = c.prepareStatement(
                    "select idempotency_key, id, customer_id, discount from redemptions where project_id = ?")) {
                ps.setString(1, project.at("/id").asText());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        assertThat(committed.put(rs.getString(1), rs.getString(2))).as("one redemption per key").isNull();
                        perCustomer.merge(rs.getString(3), 1, Integer::sum);
                        discount += rs.getLong(4);
                    }
                }
            }
            assertThat(discount).as("budget").isLessThanOrEqualTo(BUDGET);
            assertThat(committed.size()).as("redemption limit").isLessThanOrEqualTo(LIMIT);
            assertThat(perCustomer.values()).as("per-customer limit").allMatch(n -> n <= 2);
            assertThat(committed).as("every 201 is committed, every committed redemption was answered 201")
                    .containsExactlyInAnyOrderEntriesOf(answered);
            assertThat(discount).as("the budget was used up exactly: nothing lost").isEqualTo(BUDGET);
        } finally {
            for (ServerProcess n : nodes) n.close();
        }
    }

    static Map<String, Object> body(String customer) {
        return Map.of("customer", customer, "codes", List.of("CAPPED"), "order", Map.of("currency", "USD",
                "items", List.of(Map.of("sku", "A", "price", 1000, "quantity", 1))));
    }

    static CompletableFuture<HttpResponse<String>> call(HttpClient client, int port, String key, String path,
                                                                Object body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.text(body)));
        if (key != null) request.header("Authorization", "Bearer " + key);
        if (idempotencyKey != null) request.header("Idempotency-Key", idempotencyKey);
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode created(HttpResponse<String> r) {
        if (r.statusCode() != 201) throw new AssertionError(r.uri() + " answered " + r.statusCode() + ": " + r.body());
        return Json.parse(r.body());
    }
}
