package io.tessera.load;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * A load run's figures: one row per scenario and per floor measured, each scenario with its floor's rate and the
 * ratio of the two (null without a floor, or when the floor was not measured: no database given), and its CPU ratio.
 */
public record Report(String url, int concurrency, String pace, double warmupSeconds, double warmupMaxSeconds,
                     double durationSeconds, int rounds, String loadAverageBefore, String loadAverageAfter,
                     List<Row> rows) {

    /**
     * Latencies in milliseconds; {@code refused} are answers the scenario expects (a limit reached), not errors. A row
     * driven in an open loop has its {@code targetRate}, whether it was {@code held}, its {@code late} and
     * {@code unsent} calls and the 99th percentile of their lag from due to sent ({@link Driver.Schedule}); its
     * latencies are from each call's due time. These are null in the closed loop.
     *
     * <p>{@code cpuMs}: server, database and generator CPU per request summed (null unless each was measured);
     * {@code cpuRatio}: the floor's over the row's (null unless both were measured in full). On 2 cores shared by all
     * three, a closed loop's rate is set by that CPU, so this is what {@code ratio} would be on a quiet machine; it
     * moves much less than {@code ratio} with the other processes' load (docs/performance.md).
     *
     * <p>{@code warmupSeconds}: the row's warm-up; {@code settled}: whether the JIT compilers were quiet when its window
     * opened (false: it ran to the most allowed, still compiling; null: a fixed warm-up). {@code round}: from 1.
     */
    public record Row(String name, String kind, int round, long requests, long errors, long refused, double rate,
                      Double targetRate, Boolean held, double p50, double p95, double p99, double max, Long late,
                      Long unsent, Double sendLagP99, String floor, Double floorRate, Double ratio,
                      Double serverCpuMs, Double databaseCpuMs, Double generatorCpuMs, Double cpuMs, Double cpuRatio,
                      double warmupSeconds, Boolean settled, String firstError) {
        /** A floor's row ({@code floor} null) or a scenario's, beside its floor's row (null when not measured). */
        static Row of(String name, String kind, int round, Driver.Result r, CpuMeter.PerRequest cpu, Row floor) {
            Histogram h = r.latencies();
            Driver.Schedule s = r.schedule();
            Double floorRate = floor == null ? null : floor.rate();
            Double ratio = floorRate == null || floorRate == 0 ? null : Report.round(r.rate() / floorRate, 3);
            Double own = cpu.total(), floors = floor == null ? null : floor.cpuMs();
            Double cpuRatio = own == null || floors == null || own == 0 ? null : Report.round(floors / own, 3);
            return new Row(name, kind, round, r.requests(), r.errors(), r.refused(), Report.round(r.rate(), 1),
                    s == null ? null : Report.round(s.target(), 1), s == null ? null : s.held(r.rate()),
                    ms(h.percentile(50)), ms(h.percentile(95)), ms(h.percentile(99)), ms(h.max()),
                    s == null ? null : s.late(), s == null ? null : s.unsent(),
                    s == null ? null : ms(s.sendLag().percentile(99)), floor == null ? null : floor.name(), floorRate,
                    ratio, cpu.server(), cpu.database(), cpu.generator(), own, cpuRatio, Report.round(r.warmupSeconds(), 1),
                    r.settled(), r.firstError());
        }

        private static double ms(long micros) {
            return Report.round(micros / 1000.0, 2);
        }
    }

    /**
     * A scenario's ratios over the rounds of a run (each to the floor measured just before it in its round): the median
     * and the extremes; null where no round had one.
     */
    public record Median(String name, int rounds, Double ratio, Double ratioMin, Double ratioMax, Double cpuRatio,
                         Double cpuRatioMin, Double cpuRatioMax) {
    }

    /** Each scenario's {@link Median}, in the order the scenarios first appear. */
    @com.fasterxml.jackson.annotation.JsonProperty("medians")
    public List<Median> medians() {
        java.util.Map<String, List<Row>> byName = new java.util.LinkedHashMap<>();
        for (Row r : rows) if (r.kind().equals("scenario")) byName.computeIfAbsent(r.name(), k -> new java.util.ArrayList<>()).add(r);
        List<Median> out = new java.util.ArrayList<>();
        byName.forEach((name, of) -> {
            List<Double> ratios = of.stream().map(Row::ratio).filter(java.util.Objects::nonNull).sorted().toList();
            List<Double> cpu = of.stream().map(Row::cpuRatio).filter(java.util.Objects::nonNull).sorted().toList();
            out.add(new Median(name, of.size(), median(ratios), ratios.isEmpty() ? null : ratios.getFirst(),
                    ratios.isEmpty() ? null : ratios.getLast(), median(cpu), cpu.isEmpty() ? null : cpu.getFirst(),
                    cpu.isEmpty() ? null : cpu.getLast()));
        });
        return out;
    }

    /** Of sorted values; the mean of the middle two for an even count; null for none. */
    static Double median(List<Double> sorted) {
        if (sorted.isEmpty()) return null;
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : round((sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2, 3);
    }

    static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }

    public long errors() {
        return rows.stream().mapToLong(Row::errors).sum();
    }

    public void print(PrintStream out) {
        String warmup = warmupMaxSeconds > warmupSeconds
                ? String.format(Locale.ROOT, "warm-up %.0f s, then until the JIT compilers are quiet (at most %.0f s)",
                        warmupSeconds, warmupMaxSeconds)
                : String.format(Locale.ROOT, "warm-up %.1f s", warmupSeconds);
        out.printf(Locale.ROOT, "%s, %d clients, %s, %s, measured %.1f s%s; load average before %s, after %s%n",
                url, concurrency, pace, warmup, durationSeconds,
                rounds > 1 ? String.format(Locale.ROOT, ", %d rounds (then %.0f s of warm-up each)", rounds,
                        (double) LoadRun.REWARM.toSeconds()) : "", loadAverageBefore, loadAverageAfter);
        boolean open = rows.stream().anyMatch(r -> r.targetRate() != null);
        // The open loop's columns only where a row has them, so a closed-loop table reads as it always did.
        String format = (rounds > 1 ? "%-6s" : "%s") + "%-24s %9s %7s %8s %10s" + (open ? " %9s %5s" : "%s%s") + " %9s %9s %9s"
                + (open ? " %9s %6s %7s %8s" : "%s%s%s%s") + " %11s %9s %8s  %-24s %10s %6s %9s %9s%n";
        out.printf(Locale.ROOT, format, rounds > 1 ? "round" : "", "scenario", "requests", "errors", "refused", "req/s", open ? "target/s" : "",
                open ? "held" : "", "p50 ms", "p95 ms", "p99 ms", open ? "max ms" : "", open ? "late" : "",
                open ? "unsent" : "", open ? "lag p99" : "", "server cpu", "db cpu", "gen cpu", "floor", "floor/s",
                "ratio", "cpu ratio", "warm-up s");
        for (Row r : rows) {
            boolean paced = r.targetRate() != null;
            out.printf(Locale.ROOT, format, rounds > 1 ? Integer.toString(r.round()) : "", r.name(), r.requests(), r.errors(), r.refused(), fixed(r.rate(), 1),
                    paced ? fixed(r.targetRate(), 1) : "", paced ? (r.held() ? "yes" : "NO") : "",
                    fixed(r.p50(), 2), fixed(r.p95(), 2), fixed(r.p99(), 2), open ? fixed(r.max(), 2) : "",
                    paced ? r.late().toString() : "", paced ? r.unsent().toString() : "",
                    paced ? fixed(r.sendLagP99(), 2) : "", cpu(r.serverCpuMs()), cpu(r.databaseCpuMs()),
                    cpu(r.generatorCpuMs()),
                    r.floor() == null ? "" : r.floor(), r.floorRate() == null ? "" : fixed(r.floorRate(), 1),
                    r.ratio() == null ? "" : fixed(r.ratio(), 2), r.cpuRatio() == null ? "" : fixed(r.cpuRatio(), 2),
                    fixed(r.warmupSeconds(), 0) + (Boolean.FALSE.equals(r.settled()) ? "*" : ""));
        }
        if (rows.stream().anyMatch(r -> Boolean.FALSE.equals(r.settled()))) {
            out.println("warm-up s*: the JIT compilers were still busy when the window opened (the most allowed had"
                    + " passed): its CPU is in the row's figures; a longer --warmup-max gives a steadier figure");
        }
        out.println("server cpu, db cpu, gen cpu: CPU milliseconds per request of the server's process(es), of the"
                + " database's backends (local PostgreSQL only) and of this load generator; cpu ratio: the floor's"
                + " CPU per request over the scenario's, all three summed");
        if (open) {
            out.println("open loop: latencies from each call's due time; held = every call due was sent and the rate"
                    + " reached 98 % of the target; late = calls that waited for a free client (of " + concurrency
                    + "), unsent = due but never sent; lag p99 = due to sent, ms");
        }
        if (rounds > 1) {
            out.printf(Locale.ROOT, "over the %d rounds, each ratio to the floor measured just before it:%n", rounds);
            out.printf(Locale.ROOT, "%-24s %12s %13s %16s %13s%n", "scenario", "ratio median", "ratio min-max",
                    "cpu ratio median", "min-max");
            for (Median m : medians()) {
                out.printf(Locale.ROOT, "%-24s %12s %13s %16s %13s%n", m.name(), two(m.ratio()),
                        m.ratio() == null ? "" : two(m.ratioMin()) + "-" + two(m.ratioMax()), two(m.cpuRatio()),
                        m.cpuRatio() == null ? "" : two(m.cpuRatioMin()) + "-" + two(m.cpuRatioMax()));
            }
        }
        for (Row r : rows) {
            if (r.name().equals(Scenario.GENERATE.label))
                out.printf(Locale.ROOT, "generate: %s codes/s (%,d codes a request)%n",
                        fixed(r.rate() * Fixture.GENERATED_PER_REQUEST, 0), Fixture.GENERATED_PER_REQUEST);
        }
        for (Row r : rows) {
            if (r.firstError() != null) out.println("first error of " + r.name() + ": " + r.firstError());
        }
    }

    private static String two(Double v) {
        return v == null ? "" : fixed(v, 2);
    }

    private static String cpu(Double ms) {
        return ms == null ? "" : fixed(ms, 3);
    }

    private static String fixed(double v, int places) {
        return String.format(Locale.ROOT, "%." + places + "f", v);
    }
}
