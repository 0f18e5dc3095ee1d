package io.tessera.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Properties;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The server's meters, scraped by Prometheus at {@code GET /metrics}: HTTP timings by route template (with histogram
 * buckets, so percentiles are computed in Prometheus across nodes), JVM, pool, uptime and the build's version. The
 * features bind their own meters (redemptions, caches, scheduler); docs/metrics.md lists them all.
 */
public final class Metrics {
    private static final String STARTED = "tessera.started";
    /**
     * Histogram buckets of the request timer ({@code http_server_requests_seconds_bucket}), so that Prometheus can
     * compute percentiles across nodes (histogram_quantile); a few fixed ones keep the series per route small.
     */
    private static final Duration[] LATENCY_BUCKETS = java.util.stream.LongStream
            .of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000).mapToObj(Duration::ofMillis)
            .toArray(Duration[]::new);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        // jvm_compilation_time_ms_total: the JIT's work, which goes on for minutes after a start under load.
        new JvmCompilationMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("tessera.build.info", () -> 1).tag("version", version())
                .description("1, tagged with the version of the running build").strongReference(true).register(registry);
    }

    /** The build's version, filled in by Maven resource filtering; "unknown" when run from unfiltered classes. */
    static String version() {
        try (InputStream in = Metrics.class.getResourceAsStream("/tessera-build.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    void started(Context ctx) {
        ctx.attribute(STARTED, System.nanoTime());
    }

    void finished(Context ctx) {
        Long started = ctx.attribute(STARTED);
        if (started == null) return;
        var matched = ctx.endpoints().matchedHttpEndpoint();
        String route = matched == null ? "unmatched" : matched.path;
        // Found by a plain map lookup: registering (building the tags and the meter's id) on every request cost 3.5 %
        // of a validation's server CPU.
        timers.computeIfAbsent(new TimerKey(ctx.method().name(), route, ctx.statusCode()), k -> Timer
                        .builder("http.server.requests")
                        .tag("method", k.method())
                        .tag("route", k.route())
                        .tag("status", Integer.toString(k.status()))
                        // Buckets, not client-side percentiles: histogram_quantile() then aggregates them across nodes.
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry))
                .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private record TimerKey(String method, String route, int status) {
    }

    /** One timer per method, route template and status: a bounded set (routes are templates, statuses few). */
    private final java.util.concurrent.ConcurrentHashMap<TimerKey, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    public String scrape() {
        return registry.scrape();
    }
}
