package io.tessera.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.Main;
import io.tessera.core.Json;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestDatabases;
import io.tessera.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code tessera load}, run in this JVM against the class's server, briefly (a warm-up of a second: the machine may
 * be loaded and the first calls slow) and with two clients: the figures are
 * not the point here, the run's sanity is (every scenario answered as expected, each ratio to its floor computed).
 */
class LoadGeneratorTest extends ServerPerDatabase {

    private record Run(int exitCode, String printed) {
        JsonNode report() {
            return Json.parse(printed);
        }

        JsonNode row(String name) {
            for (JsonNode r : report().get("rows")) if (r.get("name").asText().equals(name)) return r;
            throw new AssertionError("no row " + name + " in " + printed);
        }
    }

    private Run load(String key, String scenario) {
        return load(key, scenario, "--duration", "1s", "--concurrency", "2");
    }

    private Run load(String key, String scenario, String... more) {
        List<String> args = new ArrayList<>(List.of("load", "--url", server.url(), "--key", key, "--scenario", scenario,
                "--warmup", "1s", "--json"));
        args.addAll(List.of(more));
        // A fixed warm-up unless the test says otherwise: here the server's JIT, in this JVM, is rarely quiet.
        if (!args.contains("--warmup-max")) args.addAll(List.of("--warmup-max", "1s"));
        TestDatabases.Target db = server.database();
        // The transaction floor is PostgreSQL's: on H2 there is none to measure.
        if (db.kind().equals(TestDatabases.POSTGRES)) {
            args.addAll(List.of("--database-url", db.url(), "--database-user", db.user()));
            if (db.password() != null) args.addAll(List.of("--database-password", db.password()));
        }
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            int code = Main.run(args.toArray(String[]::new));
            return new Run(code, printed.toString(StandardCharsets.UTF_8).trim());
        } finally {
            System.setOut(out);
        }
    }

    @Test
    void everyScenarioRunsWithoutErrorsAndIsComparedWithItsFloor() {
        Run run = load(TestServer.ROOT_KEY, "all");

        assertThat(run.exitCode()).as(run.printed()).isZero();
        for (String s : List.of("validate", "qualify", "redeem-distinct", "redeem-hot", "redeem-unique", "generate",
                "health")) {
            JsonNode row = run.row(s);
            assertThat(row.get("requests").asLong()).as(s).isPositive();
            assertThat(row.get("errors").asLong()).as(s + ": " + row.get("firstError")).isZero();
            assertThat(row.get("p99").asDouble()).as(s).isPositive().isGreaterThanOrEqualTo(row.get("p50").asDouble());
            // The server's CPU over the window, from its /metrics (here the test's own process, which hosts it).
            assertThat(row.get("serverCpuMs").asDouble()).as(s).isPositive();
            // The generator's own CPU: here the same process again, counted in ticks of 10 ms, so it may round to 0.
            assertThat(row.get("generatorCpuMs").isNumber()).as(s).isTrue();
        }
        // No limit is reached: the hot code's total is far away, and each customer redeems the limited code once.
        assertThat(run.row("redeem-hot").get("refused").asLong()).isZero();
        assertThat(run.row("redeem-distinct").get("refused").asLong()).isZero();
        JsonNode validate = run.row("validate");
        assertThat(validate.get("floor").asText()).isEqualTo("health");
        assertThat(validate.get("ratio").asDouble()).isCloseTo(
                validate.get("rate").asDouble() / run.row("health").get("rate").asDouble(), org.assertj.core.data.Offset.offset(0.01));
        assertThat(run.row("generate").get("ratio").isNull()).isTrue();
        if (database.equals(TestDatabases.POSTGRES)) {
            assertThat(run.row("pg-transaction").get("requests").asLong()).isPositive();
            assertThat(run.row("pg-transaction-hot-row").get("errors").asLong()).isZero();
            assertThat(run.row("redeem-distinct").get("ratio").asDouble()).isPositive();
            assertThat(run.row("redeem-hot").get("ratio").asDouble()).isPositive();
            // The database's backends, read from /proc: PostgreSQL runs on this machine in tests.
            for (String s : List.of("redeem-distinct", "redeem-hot", "pg-transaction", "pg-transaction-hot-row")) {
                assertThat(run.row(s).get("databaseCpuMs").asDouble()).as(s).isPositive();
            }
            assertThat(run.row("pg-transaction").get("serverCpuMs").isNull()).as("a floor without the server").isTrue();
            // The CPU ratio: the floor's CPU per request (server, database and generator summed; the PostgreSQL floor
            // has no server) over the scenario's.
            JsonNode floor = run.row("pg-transaction");
            assertThat(floor.get("cpuMs").asDouble()).isCloseTo(floor.get("databaseCpuMs").asDouble()
                    + floor.get("generatorCpuMs").asDouble(), org.assertj.core.data.Offset.offset(0.002));
            for (String s : List.of("validate", "redeem-distinct")) {
                JsonNode row = run.row(s);
                assertThat(row.get("cpuMs").asDouble()).as(s).isCloseTo(row.get("serverCpuMs").asDouble()
                        + row.get("databaseCpuMs").asDouble() + row.get("generatorCpuMs").asDouble(),
                        org.assertj.core.data.Offset.offset(0.002));
                JsonNode itsFloor = run.row(row.get("floor").asText());
                assertThat(row.get("cpuRatio").asDouble()).as(s).isCloseTo(
                        itsFloor.get("cpuMs").asDouble() / row.get("cpuMs").asDouble(), org.assertj.core.data.Offset.offset(0.001));
            }
        } else {
            // Without the database's CPU (H2 lives in the server's process, unmeasured apart) there is no CPU ratio.
            assertThat(run.row("validate").get("cpuRatio").isNull()).isTrue();
            assertThat(run.row("redeem-hot").get("databaseCpuMs").isNull()).isTrue();
            assertThat(run.row("redeem-hot").get("ratio").isNull()).isTrue();
        }
    }

    @Test
    void eachRowWarmsUpUntilTheCompilersAreQuietOrItsMostAndSaysWhich() {
        Run run = load(key, "validate", "--duration", "1s", "--concurrency", "2", "--warmup-max", "3s");

        assertThat(run.exitCode()).as(run.printed()).isZero();
        assertThat(run.report().get("warmupMaxSeconds").asDouble()).isEqualTo(3.0);
        for (String s : List.of("health", "validate")) {
            JsonNode row = run.row(s);
            assertThat(row.get("settled").isBoolean()).as(s).isTrue();
            assertThat(row.get("warmupSeconds").asDouble()).as(s).isGreaterThanOrEqualTo(1.0);
            // Still compiling when the most had passed: the whole of it was waited.
            if (!row.get("settled").asBoolean()) assertThat(row.get("warmupSeconds").asDouble()).as(s).isGreaterThanOrEqualTo(3.0);
        }
        // A fixed warm-up says nothing of the compilers.
        assertThat(load(key, "validate").row("validate").get("settled").isNull()).isTrue();
    }

    @Test
    void inRoundsEachScenarioIsComparedWithItsFloorMeasuredAgainInItsRoundAndTheMedianIsGiven() {
        double replayed = replayed();
        Run run = load(key, "validate,redeem-distinct", "--duration", "1s", "--concurrency", "2", "--rounds", "2");

        assertThat(run.exitCode()).as(run.printed()).isZero();
        JsonNode report = run.report();
        assertThat(report.get("rounds").asInt()).isEqualTo(2);
        List<String> rows = new ArrayList<>();
        for (JsonNode r : report.get("rows")) rows.add(r.get("round").asInt() + " " + r.get("name").asText());
        // Each round: the floors again, each just before the first scenario compared with it.
        List<String> expected = database.equals(TestDatabases.POSTGRES)
                ? List.of("1 health", "1 validate", "1 pg-transaction", "1 redeem-distinct",
                        "2 health", "2 validate", "2 pg-transaction", "2 redeem-distinct")
                : List.of("1 health", "1 validate", "1 redeem-distinct", "2 health", "2 validate", "2 redeem-distinct");
        assertThat(rows).containsExactlyElementsOf(expected);
        JsonNode validate = report.get("medians").get(0);
        assertThat(validate.get("name").asText()).isEqualTo("validate");
        assertThat(validate.get("rounds").asInt()).isEqualTo(2);
        double first = 0, second = 0;
        for (JsonNode r : report.get("rows")) {
            if (!r.get("name").asText().equals("validate")) continue;
            if (r.get("round").asInt() == 1) first = r.get("ratio").asDouble();
            else second = r.get("ratio").asDouble();
        }
        assertThat(validate.get("ratio").asDouble()).isCloseTo((first + second) / 2, org.assertj.core.data.Offset.offset(0.001));
        assertThat(validate.get("ratioMin").asDouble()).isEqualTo(Math.min(first, second));
        assertThat(validate.get("ratioMax").asDouble()).isEqualTo(Math.max(first, second));
        // Every round's customers and idempotency keys are new: none of the second round's redemptions is a replay.
        assertThat(run.row("redeem-distinct").get("refused").asLong()).isZero();
        assertThat(replayed()).isEqualTo(replayed);
    }

    /** The server's count of redemptions answered as idempotent replays. */
    private double replayed() {
        for (String line : server.client(null).get("/metrics").body().lines().toList()) {
            if (line.startsWith("tessera_redemptions_total{result=\"replayed\"}"))
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return 0;
    }

    @Test
    void withAProjectKeyItRunsInThatProjectAndArchivesWhatItCreated() {
        Run run = load(key, "validate");

        assertThat(run.exitCode()).as(run.printed()).isZero();
        assertThat(run.row("validate").get("requests").asLong()).isPositive();
        assertThat(api().get("/v1/campaigns?archived=false").json().get("data")).isEmpty();
        assertThat(api().get("/v1/campaigns?archived=true").json().get("data")).isNotEmpty();
    }

    @Test
    void atAFixedRateTheScenarioIsSentOnScheduleAndReportsHowItHeldTheRate() {
        // 5 calls a second with up to 8 in flight: held unless a call takes more than a second and a half.
        Run run = load(key, "validate", "--rate", "5", "--duration", "2s", "--concurrency", "8");

        assertThat(run.exitCode()).as(run.printed()).isZero();
        assertThat(run.report().get("pace").asText()).isEqualTo("open loop at 5.0 req/s");
        JsonNode validate = run.row("validate");
        assertThat(validate.get("targetRate").asDouble()).isEqualTo(5.0);
        // Every call due in the 2 s window was sent and answered.
        assertThat(validate.get("requests").asLong()).isEqualTo(10);
        assertThat(validate.get("unsent").asLong()).isZero();
        assertThat(validate.get("held").asBoolean()).isTrue();
        assertThat(validate.get("rate").asDouble()).isEqualTo(5.0);
        assertThat(validate.get("late").asLong()).isNotNegative();
        assertThat(validate.get("sendLagP99").isNumber()).isTrue();
        assertThat(validate.get("p99").asDouble()).isPositive().isGreaterThanOrEqualTo(validate.get("p50").asDouble());
        assertThat(validate.get("max").asDouble()).isGreaterThanOrEqualTo(validate.get("p99").asDouble());
        assertThat(validate.get("serverCpuMs").asDouble()).isPositive();
        // The floor is a capacity: always measured in the closed loop.
        assertThat(run.row("health").get("targetRate").isNull()).isTrue();
        assertThat(run.row("health").get("held").isNull()).isTrue();
    }

    @Test
    void atAFractionOfItsFloorEachScenarioIsDrivenAtThatShareOfTheFloorMeasuredInTheRun() {
        Run run = load(key, "validate,generate", "--rate-of-floor", "0.01", "--duration", "1s", "--concurrency", "2");

        assertThat(run.exitCode()).as(run.printed()).isZero();
        JsonNode validate = run.row("validate");
        assertThat(validate.get("targetRate").asDouble())
                .isEqualTo(Report.round(0.01 * run.row("health").get("rate").asDouble(), 1));
        assertThat(validate.get("held").isBoolean()).isTrue();
        assertThat(validate.get("requests").asLong() + validate.get("unsent").asLong()).isPositive();
        // Bulk generation has no floor: it runs in the closed loop.
        assertThat(run.row("generate").get("targetRate").isNull()).isTrue();
        assertThat(run.row("generate").get("requests").asLong()).isPositive();
    }

    @Test
    void aRateAndAFractionOfTheFloorTogetherAreRefused() {
        Run run = load(key, "validate", "--rate", "5", "--rate-of-floor", "0.5");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(api().get("/v1/campaigns").json().get("data")).isEmpty();
    }

    @Test
    void anUnknownScenarioIsRefusedBeforeAnythingIsCreated() {
        Run run = load(key, "checkout");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(load(key, "validate", "--rounds", "0").exitCode()).isEqualTo(2);
        assertThat(api().get("/v1/campaigns").json().get("data")).isEmpty();
    }
}
