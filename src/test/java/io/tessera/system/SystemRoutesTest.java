package io.tessera.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.config.Config;
import io.tessera.job.NewTask;
import io.tessera.job.Retry;
import io.tessera.job.TaskHandler;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

class SystemRoutesTest extends ServerPerDatabase {
    private static final Instant T0 = Instant.parse("2031-01-01T00:00:00Z");
    /** Every run of a {@code test.remind} task: "project/name" to the instants it ran as of. */
    private static final Map<String, Queue<Instant>> REMINDED = new ConcurrentHashMap<>();

    @BeforeParameterizedClassInvocation
    static void registerAReminder() {
        server.app().scheduler().register("test.remind", t -> {
            REMINDED.computeIfAbsent(t.payload().at("/project").asText() + "/" + t.payload().at("/name").asText(),
                    k -> new ConcurrentLinkedQueue<>()).add(t.now());
            return TaskHandler.Outcome.DONE;
        }, Retry.DEFAULT);
    }

    @Test
    void healthAnswersUpWithoutAKey() {
        Response health = server.client(null).get("/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().at("/status").asText()).isEqualTo("UP");
    }

    @Test
    void theApiReferenceIsServedWithoutAKey() {
        Response reference = server.client(null).get("/openapi.yaml");

        assertThat(reference.status()).isEqualTo(200);
        assertThat(reference.body()).startsWith("openapi: 3.1").contains("\n  /v1/redemptions:\n");
    }

    @Test
    void metricsAreServedWithoutAKeyAndCountRequestsByRoute() {
        assertThat(api().get("/v1/campaigns").status()).isEqualTo(200);

        Response metrics = server.client(null).get("/metrics");

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body().lines())
                .anyMatch(l -> l.startsWith("http_server_requests_seconds_count{method=\"GET\",route=\"/v1/campaigns\",status=\"200\"} "))
                .anyMatch(l -> l.startsWith("http_server_requests_seconds_bucket{") && l.contains("le=\"0.1\"")
                        && l.contains("route=\"/v1/campaigns\""))
                .anyMatch(l -> l.startsWith("hikaricp_connections_active{"))
                .anyMatch(l -> l.startsWith("tessera_codes_guess_refused_total"));
    }

    @Test
    void anUnknownPathIsANotFoundProblem() {
        Response unknown = server.client(null).get("/v1/nothing-here");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().at("/code").asText()).isEqualTo("not_found");
    }

    @Test
    void advancingTheTestClockToSomethingOtherThanAnInstantIsRefusedNamingTheField() {
        Response bad = api().post("/v1/test-clock/advance", Map.of("to", "soon"));

        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().at("/errors/0/field").asText()).isEqualTo("to");
    }

    @Test
    void aReadKeyCannotAdvanceTheTestClock() {
        Response created = api().post("/v1/api-keys", Map.of("name", "bi", "scopes", List.of("read")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);

        Response refused = server.client(created.json().at("/key").asText())
                .post("/v1/test-clock/advance", Map.of("to", "2031-01-01T00:00:00Z"));

        assertThat(refused.status()).isEqualTo(403);
    }

    @Test
    void theRootKeyCannotAdvanceTheTestClock() {
        Response refused = server.client(TestServer.ROOT_KEY)
                .post("/v1/test-clock/advance", Map.of("to", "2031-01-01T00:00:00Z"));

        assertThat(refused.status()).isEqualTo(403);
    }

    @Test
    void advancingTheTestClockIsNotFoundWhenTheTestClockIsOff() {
        try (TestServer off = TestServer.start(database, c -> c.with(Config.Setting.TEST_CLOCK, false))) {
            Response r = off.newProjectClient().post("/v1/test-clock/advance", Map.of("to", "2031-01-01T00:00:00Z"));

            assertThat(r.status()).isEqualTo(404);
        }
    }

    /** This test's project, with reminders due 7 and 30 days after {@link #T0}, enqueued at T0. */
    private String remindersOnDays7And30() {
        String project = api().get("/v1/project").json().at("/id").asText();
        var scheduler = server.app().scheduler();
        server.app().database().transaction(tx -> {
            for (int day : List.of(7, 30)) {
                scheduler.enqueue(tx, NewTask.at("test.remind", project, Map.of("project", project, "name", "day-" + day),
                        T0.plus(Duration.ofDays(day))), T0);
            }
            return null;
        });
        return project;
    }

    @Test
    void advancingTheTestClockRunsWhatIsDueByThenAsOfThatInstantAndSaysHowMany() {
        String project = remindersOnDays7And30();

        Response r = api().post("/v1/test-clock/advance", Map.of("to", "2031-01-10T00:00:00Z"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/now").asText()).isEqualTo("2031-01-10T00:00:00Z");
        assertThat(r.json().at("/ran").asInt()).isEqualTo(1);
        assertThat(REMINDED.get(project + "/day-7")).containsExactly(Instant.parse("2031-01-10T00:00:00Z"));
        assertThat(REMINDED).doesNotContainKey(project + "/day-30");
    }

    @Test
    void advancingTheTestClockAgainDoesNotRunAgainWhatRan() {
        String project = remindersOnDays7And30();
        assertThat(api().post("/v1/test-clock/advance", Map.of("to", "2031-01-10T00:00:00Z")).json().at("/ran").asInt())
                .isEqualTo(1);

        Response again = api().post("/v1/test-clock/advance", Map.of("to", "2031-01-10T00:00:00Z"));

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().at("/ran").asInt()).isZero();
        assertThat(REMINDED.get(project + "/day-7")).hasSize(1);
    }
}
