package io.tessera.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.testing.Response;
import io.tessera.testing.TestDatabases;
import io.tessera.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stop drains: a request in flight for longer than Jetty's one-second shutdown idle timeout still commits and is
 * answered, and an idle keep-alive connection does not hold the stop for the whole stop timeout. PostgreSQL only: the
 * slow request is made slow by a table lock the test holds, which H2 has no statement for.
 */
class StopDrainTest {
    private static TestServer main;

    @BeforeAll
    static void start() {
        main = TestServer.start(TestDatabases.POSTGRES);
    }

    @AfterAll
    static void stop() {
        main.close();
    }

    @Test
    void aRequestSlowerThanTheShutdownIdleTimeoutIsAnsweredAndTheStopWaitsForIt() throws Exception {
        TestServer node = main.anotherNode();
        String key = main.newProject();
        assertThat(main.client(key).post("/v1/campaigns", Map.of("name", "drain", "type", "CODES", "active", true,
                "codes", Map.of("mode", "UNIVERSAL", "code", "DRAIN"),
                "discount", Map.of("type", "AMOUNT", "amount", 100))).status()).isEqualTo(201);
        CompletableFuture<Response> redemption;
        Thread closer;
        try (Connection lock = main.connect()) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("lock table redemptions in exclusive mode");
            redemption = node.callAsync("POST", "/v1/redemptions", key, Map.of("customer", "c-1",
                    "codes", List.of("DRAIN"), "order", Map.of("currency", "USD",
                            "items", List.of(Map.of("sku", "A", "price", 1000, "quantity", 1)))));
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingOnLocks(lock) > 0);
            closer = Thread.ofPlatform().start(node::close);
            // Held past Jetty's shutdown idle timeout (1 s): the stop must not cut the connection meanwhile.
            await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(closer::isAlive);
            lock.rollback();
        }
        closer.join(Duration.ofSeconds(30));
        assertThat(closer.isAlive()).as("the stop returned").isFalse();
        Response answer = redemption.get();
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        try (Connection c = main.connect();
             var ps = c.prepareStatement("select count(*) from redemptions where id = ?")) {
            ps.setString(1, answer.json().at("/id").asText());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("the answered redemption is committed").isEqualTo(1);
            }
        }
    }

    @Test
    void anIdleKeepAliveConnectionDoesNotHoldTheStop() throws Exception {
        TestServer node = main.anotherNode();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(node.url() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200); // the client now keeps that connection open, idle
        long started = System.nanoTime();
        node.close();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        // The stop timeout is 20 s; without closing idle connections once drained the stop would take all of it.
        assertThat(took).isLessThan(Duration.ofSeconds(10));
    }

    private static int waitingOnLocks(Connection c) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(
                "select count(*) from pg_locks where not granted and relation = 'redemptions'::regclass")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
