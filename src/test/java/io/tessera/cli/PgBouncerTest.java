package io.tessera.cli;

import static io.tessera.cli.NodeCrashTest.body;
import static io.tessera.cli.NodeCrashTest.call;
import static io.tessera.cli.NodeCrashTest.created;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Json;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestDatabases;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Two server processes behind PgBouncer in transaction mode (docs/scaling.md): every transaction may run on another
 * server connection, so nothing may rely on session state or server-side prepared statements
 * ({@code prepareThreshold=0}). Concurrent redemptions with limits through both nodes commit exactly the limit, and
 * every 201 is committed. Skipped when no PgBouncer listens on 127.0.0.1:6432 (.ci/run starts one); another address
 * is given with TESSERA_TEST_PGBOUNCER=host:port.
 */
class PgBouncerTest extends ServerPerDatabase {
    private static final String ROOT = "rk_pgbouncer_test";
    private static final int LIMIT = 60;

    @Test
    void redemptionsWithLimitsOnTwoNodesThroughPgBouncerInTransactionMode() throws Exception {
        Assumptions.assumeTrue(database.equals(TestDatabases.POSTGRES), "PgBouncer pools PostgreSQL connections");
        TestDatabases.Target db = server.database();
        String bouncer = System.getenv().getOrDefault("TESSERA_TEST_PGBOUNCER", "127.0.0.1:6432");
        String url = db.url().replaceFirst("//[^/]+/", "//" + bouncer + "/")
                + (db.url().contains("?") ? "&" : "?") + "prepareThreshold=0";
        Assumptions.assumeTrue(reachable(url, db), "no PgBouncer at " + bouncer + " (install pgbouncer; .ci/run "
                + "starts one in transaction mode on 127.0.0.1:6432)");

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<ServerProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Map<String, String> env = new HashMap<>(Map.of("TESSERA_ROOT_KEY", ROOT, "TESSERA_DATABASE_URL", url,
                        "TESSERA_DATABASE_USER", db.user(), "TESSERA_PORT", Integer.toString(ServerProcess.freePort())));
                if (db.password() != null) env.put("TESSERA_DATABASE_PASSWORD", db.password());
                nodes.add(ServerProcess.start(env, "serve"));
            }
            for (ServerProcess n : nodes) n.awaitUp(Duration.ofSeconds(180)); // a bound for a busy machine; ~5 s idle
            JsonNode project = created(call(client, nodes.getFirst().port, ROOT, "/v1/projects",
                    Map.of("name", "bouncer-" + System.nanoTime(), "currency", "USD"), null).join());
            String key = project.at("/apiKey").asText();
            created(call(client, nodes.getFirst().port, key, "/v1/campaigns", Map.of("name", "capped", "type", "CODES",
                    "codes", Map.of("mode", "UNIVERSAL", "code", "CAPPED"),
                    "discount", Map.of("type", "AMOUNT", "amount", NodeCrashTest.AMOUNT),
                    "limits", Map.of("redemptions", LIMIT, "perCustomer", 1)), null).join());

            Set<String> answered = ConcurrentHashMap.newKeySet();
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            Semaphore inFlight = new Semaphore(16);
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int i = 0; i < 3 * LIMIT; i++) {
                inFlight.acquire();
                int port = nodes.get(i % 2).port;
                calls.add(call(client, port, key, "/v1/redemptions", body("c-" + (i % (2 * LIMIT))), "k-" + i)
                        .handle((r, failure) -> {
                            inFlight.release();
                            statuses.merge(r == null ? -1 : r.statusCode(), 1, Integer::sum);
                            if (r != null && r.statusCode() == 201) answered.add(Json.parse(r.body()).at("/id").asText());
                            return null;
                        }));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
            assertThat(statuses.keySet()).as("answers by status").containsOnly(201, 422);

            Set<String> committed = new HashSet<>();
            try (Connection c = db.connect();
                 var ps = c.prepareStatement("select id from redemptions where project_id = ?")) {
                ps.setString(1, project.at("/id").asText());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) committed.add(rs.getString(1));
                }
            }
            assertThat(committed).as("the limit, exactly, and each one answered 201").hasSize(LIMIT)
                    .containsExactlyInAnyOrderElementsOf(answered);
            for (ServerProcess n : nodes) {
                assertThat(n.stderr()).as("node log").doesNotContain("prepared statement").doesNotContain("\tat ");
            }
        } finally {
            for (ServerProcess n : nodes) n.close();
        }
    }

    private static boolean reachable(String url, TestDatabases.Target db) {
        try (Connection c = DriverManager.getConnection(url, db.user(), db.password())) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }
}
