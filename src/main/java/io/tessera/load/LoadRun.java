package io.tessera.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One load run: sets up its project ({@link Fixture}), then for each scenario measures its floor (once per run) and
 * the scenario itself, with the same number of clients, each for the warm-up and then the measured duration.
 */
public final class LoadRun {
    /**
     * What to run; {@code databaseUrl} null = no PostgreSQL floor (the redemption ratios are then left out). In an open
     * loop ({@code pace} not {@link Pace.Closed}), {@code concurrency} is the most calls in flight. Each row warms up
     * for at least {@code warmup}, then until the JIT compilers are quiet, for at most {@code warmupMax} in all (not
     * above {@code warmup}: exactly {@code warmup}). {@code rounds}: how many times the whole run's floors and
     * scenarios are measured, one after the other (the rounds after the first warm up for {@link #REWARM} only).
     */
    public record Options(String url, String key, String databaseUrl, String databaseUser, String databasePassword,
                          List<Scenario> scenarios, int concurrency, Duration warmup, Duration warmupMax,
                          Duration duration, Pace pace, int rounds) {
        public Options {
            if (warmupMax.compareTo(warmup) < 0) warmupMax = warmup;
        }
    }

    /**
     * The warm-up of a round after the first: the JIT has compiled what the run sends, the connections are open; a
     * few seconds let each kind of request reach its pace before its window.
     */
    static final Duration REWARM = Duration.ofSeconds(5);

    /** How often a warm-up past its least asks whether the compilers are quiet. */
    private static final Duration JIT_CHECK = Duration.ofSeconds(10);

    /**
     * How a scenario is driven: a closed loop (the rate is what the server gives: its capacity), or an open loop at a
     * fixed rate, given or a fraction of the scenario's floor (the latencies at that rate). Floors always run closed:
     * they are capacities. Under {@link OfFloor}, a scenario without a measured floor (or with one that answered
     * nothing) runs closed.
     */
    public sealed interface Pace {
        record Closed() implements Pace {
        }

        record Fixed(double perSecond) implements Pace {
        }

        record OfFloor(double fraction) implements Pace {
        }

        /** For the report's heading. */
        default String describe() {
            return switch (this) {
                case Closed c -> "closed loop";
                case Fixed f -> "open loop at " + Report.round(f.perSecond(), 1) + " req/s";
                case OfFloor f -> "open loop at " + f.fraction() + " x each scenario's floor";
            };
        }
    }

    /** Told what runs next, as it starts (a full run takes minutes). */
    public interface Progress {
        void starting(String what);
    }

    private final Options options;
    private final Progress progress;
    private final Http http;
    private final CpuMeter cpu;
    private final Map<Scenario.Floor, Report.Row> floors = new EnumMap<>(Scenario.Floor.class);

    public LoadRun(Options options, Progress progress) {
        this.options = options;
        this.progress = progress;
        this.http = new Http(options.url());
        this.cpu = new CpuMeter(http, options.databaseUrl(), options.databaseUser(), options.databasePassword());
    }

    /** Runs everything; throws {@link IllegalStateException} when the run cannot set itself up. */
    public Report run() throws IOException, InterruptedException, SQLException {
        String before = loadAverage();
        String runId = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Fixture fixture;
        try {
            progress.starting("setting up the project (" + Fixture.AUTOMATIC + " automatic promotions, 4 code campaigns)");
            fixture = Fixture.create(http, options.key(), runId);
        } catch (IOException | RuntimeException e) {
            http.close();
            throw e;
        }
        List<Report.Row> rows = new ArrayList<>();
        PgFloor pg = options.databaseUrl() == null ? null
                : new PgFloor(options.databaseUrl(), options.databaseUser(), options.databasePassword());
        try {
            for (int round = 1; round <= options.rounds(); round++) {
                // Each round measures its floors again, just before the scenarios compared with them: on a shared
                // machine the pace of everything moves over minutes, so each ratio is of two windows close together.
                floors.clear();
                for (Scenario s : options.scenarios()) rows.add(scenario(s, round, fixture, pg, rows));
            }
        } finally {
            try {
                if (pg != null) pg.close();
                fixture.close(http);
            } finally {
                http.close();
            }
        }
        return new Report(options.url(), options.concurrency(), options.pace().describe(), seconds(options.warmup()),
                seconds(options.warmupMax()), seconds(options.duration()), options.rounds(), before, loadAverage(), rows);
    }

    /** One scenario's row of a round, after its floor's (measured first if this round has not yet). */
    private Report.Row scenario(Scenario s, int round, Fixture fixture, PgFloor pg, List<Report.Row> rows)
            throws SQLException, InterruptedException {
        Report.Row floor = s.floor == null ? null : floor(s.floor, pg, rows, round);
        CpuMeter.Measured window = cpu.window(true);
        Double rate = switch (options.pace()) {
            case Pace.Closed c -> null;
            case Pace.Fixed f -> f.perSecond();
            case Pace.OfFloor f -> floor == null || floor.rate() == 0 ? null
                    : Report.round(f.fraction() * floor.rate(), 1);
        };
        progress.starting(s.label + (rate == null ? " (closed loop)" : " at " + rate + " req/s")
                + of(round));
        Driver.Result r = rate == null
                ? Driver.run(options.concurrency(), warmup(true, round), options.duration(),
                        i -> client(s, fixture, round, i), window)
                : Driver.runAtRate(rate, options.concurrency(), warmup(true, round), options.duration(),
                        i -> client(s, fixture, round, i), window);
        return Report.Row.of(s.label, "scenario", round, r, window.perRequest(r.requests()), floor);
    }

    private String of(int round) {
        return options.rounds() == 1 ? "" : ", round " + round + " of " + options.rounds();
    }

    /** A floor, measured the first time a scenario needs it (its row goes in the report then); null without PG. */
    private Report.Row floor(Scenario.Floor floor, PgFloor pg, List<Report.Row> rows, int round)
            throws SQLException, InterruptedException {
        if (floors.containsKey(floor)) return floors.get(floor);
        if (floor == Scenario.Floor.HEALTH || pg != null) progress.starting("floor " + floor.label + of(round));
        CpuMeter.Measured window = cpu.window(floor == Scenario.Floor.HEALTH);
        Driver.Result r = switch (floor) {
            case HEALTH -> Driver.run(options.concurrency(), warmup(true, round), options.duration(),
                    i -> () -> expect(http.send("GET", "/health", null, null), 200, 200), window);
            case PG_DISTINCT, PG_HOT -> pg == null ? null : pg.run(floor == Scenario.Floor.PG_HOT,
                    options.concurrency(), warmup(false, round), options.duration(), window);
        };
        Report.Row row = r == null ? null
                : Report.Row.of(floor.label, "floor", round, r, window.perRequest(r.requests()), null);
        floors.put(floor, row);
        if (row != null) rows.add(row);
        return row;
    }

    /**
     * A row's warm-up in {@code round}; {@code server}: the server's compilers count too (not for the PostgreSQL floor).
     */
    private Driver.Warmup warmup(boolean server, int round) {
        if (round > 1) return Driver.Warmup.fixed(REWARM.compareTo(options.warmup()) < 0 ? REWARM : options.warmup());
        return new Driver.Warmup(options.warmup(), options.warmupMax(), JIT_CHECK, cpu.jit(server));
    }

    /**
     * Client {@code index} of a scenario in {@code round}: every request of a checkout scenario is a customer (and an
     * idempotency key) not seen before in the run.
     */
    private Driver.Client client(Scenario s, Fixture f, int round, int index) {
        String prefix = "ld" + f.run + "-" + round + "-" + s.label + "-" + index + "-";
        long[] n = {0};
        return switch (s) {
            case VALIDATE -> () -> {
                Http.Response r = http.send("POST", "/v1/validations", f.key,
                        Checkout.body(prefix + n[0]++, f.code, false));
                Driver.Call call = expect(r, 200, 200);
                // The code must apply, or the run measures something else than a checkout with a code.
                return call.outcome() == Driver.Outcome.OK && !r.body().contains("\"valid\":true")
                        ? Driver.Call.error("the code did not apply: " + r.body()) : call;
            };
            case QUALIFY -> () -> expect(http.send("POST", "/v1/qualifications", f.key,
                    Checkout.body(prefix + n[0]++, null, true)), 200, 200);
            case REDEEM_DISTINCT, REDEEM_HOT, REDEEM_UNIQUE -> () -> {
                long i = n[0]++;
                String code = switch (s) {
                    case REDEEM_HOT -> f.hotCode;
                    case REDEEM_UNIQUE -> f.uniqueCodes.get((int) ((index * 7919L + i) % f.uniqueCodes.size()));
                    default -> f.onceCode;
                };
                String id = prefix + i;
                Http.Response r = http.send("POST", "/v1/redemptions", f.key, Checkout.body(id, code, false),
                        "Idempotency-Key", id);
                // A limit's refusal is an answer, not a failure: counted apart.
                if (r.statusCode() == 422 && r.body().contains("redemption_rejected")) return Driver.Call.REFUSED;
                return expect(r, 201, 201);
            };
            case GENERATE -> () -> expect(http.send("POST", "/v1/campaigns/" + f.generation + "/codes", f.key,
                    Map.of("count", Fixture.GENERATED_PER_REQUEST)), 201, 202);
        };
    }

    private static Driver.Call expect(Http.Response r, int status, int orStatus) {
        if (r.statusCode() == status || r.statusCode() == orStatus) return Driver.Call.OK;
        String body = r.body();
        return Driver.Call.error(r.method() + " " + r.path() + " answered " + r.statusCode() + ": "
                + (body.length() > 300 ? body.substring(0, 300) : body));
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    /** The machine's load average (1, 5, 15 minutes), where the system tells it. */
    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
