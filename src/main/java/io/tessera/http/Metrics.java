package io.tessera.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The server's meters, scraped by Prometheus at {@code GET /metrics}: HTTP timings by route, JVM, pool. */
public final class Metrics {
    private static final String STARTED = "tessera.started";
    /**
     * Histogram buckets of the request timer ({@code http_server_requests_seconds_bucket}), so that Prometheus can
     * compute percentiles across nodes (histogram_quantile); a few fixed ones keep the series per route small.
     */
    private static final java.time.Duration[] LATENCY_BUCKETS = java.util.stream.LongStream
            .of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000).mapToObj(java.time.Duration::ofMillis)
            .toArray(java.time.Duration[]::new);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
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
        Timer.builder("http.server.requests")
                .tag("method", ctx.method().name())
                .tag("route", route)
                .tag("status", Integer.toString(ctx.statusCode()))
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry)
                .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public String scrape() {
        return registry.scrape();
    }
}
