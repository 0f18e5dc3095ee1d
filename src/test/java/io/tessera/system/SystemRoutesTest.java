package io.tessera.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.config.Config;
import io.tessera.job.NewTask;
import io.tessera.job.Retry;
import io.tessera.job.Scheduler;
import io.tessera.job.TaskHandler;
import io.tessera.testing.Backend;
import io.tessera.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class SystemRoutesTest {

    @Test
    void healthMetricsAndTheApiReferenceNeedNoKey() {
        try (TestServer server = TestServer.on(Backend.H2)) {
            var anonymous = server.client(null);
            assertThat(anonymous.get("/health").json().get("status").asText()).isEqualTo("UP");
            var reference = anonymous.get("/openapi.yaml");
            assertThat(reference.status()).isEqualTo(200);
            assertThat(reference.body()).startsWith("openapi: 3.1").contains("/v1/redemptions:");
            server.newProjectClient().get("/v1/campaigns");
            var metrics = anonymous.get("/metrics").body();
            assertThat(metrics).contains("http_server_requests_seconds_count{method=\"GET\",route=\"/v1/campaigns\",status=\"200\"}")
                    .contains("hikaricp_connections_active").contains("tessera_codes_guess_refused_total");
            var unknown = anonymous.get("/v1/nothing-here");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json().get("code").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void theTestClockEndpointChecksItsInput() {
        try (TestServer server = TestServer.on(Backend.H2)) {
            var api = server.newProjectClient();
            var bad = api.post("/v1/test-clock/advance", Map.of("to", "soon"));
            assertThat(bad.status()).isEqualTo(422);
            assertThat(bad.json().get("errors").get(0).get("field").asText()).isEqualTo("to");
        }
    }

    @Test
    void advancingTheTestClockNeedsTheAdminScope() {
        try (TestServer server = TestServer.on(Backend.H2)) {
            var admin = server.newProjectClient();
            String reader = admin.post("/v1/api-keys", Map.of("name", "bi", "scopes", List.of("read"))).json()
                    .get("key").asText();
            var refused = server.client(reader).post("/v1/test-clock/advance", Map.of("to", "2031-01-01T00:00:00Z"));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(server.client(TestServer.ROOT_KEY).post("/v1/test-clock/advance",
                    Map.of("to", "2031-01-01T00:00:00Z")).status()).isEqualTo(403);
        }
    }

    @Test
    void advancingTheTestClockIsNotFoundWhenTheTestClockIsOff() {
        try (TestServer server = TestServer.start("h2", c -> Config.fromEnvironment(Map.of(
                "TESSERA_ROOT_KEY", TestServer.ROOT_KEY)).withPort(0).withDatabase(c.databaseUrl(), c.databaseUser(),
                c.databasePassword()))) {
            var api = server.newProjectClient();
            var r = api.post("/v1/test-clock/advance", Map.of("to", "2031-01-01T00:00:00Z"));
            assertThat(r.status()).isEqualTo(404);
        }
    }

    @Test
    void advancingTheTestClockRunsWhatIsDueByThenAsOfThatInstantAndSaysHowMany() {
        try (TestServer server = TestServer.on(Backend.H2)) {
            Map<String, Instant> ran = new ConcurrentHashMap<>();
            Scheduler scheduler = server.app().scheduler();
            scheduler.register("test.remind", t -> {
                ran.put(t.payload().get("name").asText(), t.now());
                return TaskHandler.Outcome.DONE;
            }, Retry.DEFAULT);
            var created = server.call("POST", "/v1/projects", TestServer.ROOT_KEY, Map.of("name", "clock"));
            String project = created.json().get("id").asText();
            var api = server.client(created.json().get("apiKey").asText());
            Instant t0 = Instant.parse("2031-01-01T00:00:00Z");
            server.app().database().transaction(tx -> {
                scheduler.enqueue(tx, NewTask.at("test.remind", project, Map.of("name", "day-7"), t0.plus(Duration.ofDays(7))), t0);
                scheduler.enqueue(tx, NewTask.at("test.remind", project, Map.of("name", "day-30"), t0.plus(Duration.ofDays(30))), t0);
                return null;
            });

            var r = api.post("/v1/test-clock/advance", Map.of("to", "2031-01-10T00:00:00Z"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("now").asText()).isEqualTo("2031-01-10T00:00:00Z");
            assertThat(r.json().get("ran").asInt()).isEqualTo(1);
            assertThat(ran).containsExactly(Map.entry("day-7", Instant.parse("2031-01-10T00:00:00Z")));

            assertThat(api.post("/v1/test-clock/advance", Map.of("to", "2031-01-10T00:00:00Z")).json().get("ran").asInt())
                    .as("what ran is not run again").isZero();
        }
    }
}
