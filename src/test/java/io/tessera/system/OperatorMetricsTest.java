package io.tessera.system;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Fixtures;
import io.tessera.testing.ServerPerDatabase;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** After some traffic, /metrics has the series docs/metrics.md promises operators, with sane values. */
class OperatorMetricsTest extends ServerPerDatabase {

    @Test
    void theDocumentedSeriesArePublishedWithSaneValues() {
        api().post("/v1/campaigns", universal("once", "ONCE", amount(100), Map.of("redemptions", 1)));
        assertThat(api().post("/v1/redemptions", checkout("c-1", List.of("ONCE"), 1000), Map.of("Idempotency-Key", "m-1"))
                .status()).isEqualTo(201);
        assertThat(api().post("/v1/redemptions", checkout("c-1", List.of("ONCE"), 1000), Map.of("Idempotency-Key", "m-1"))
                .status()).as("an idempotent retry").isEqualTo(201);
        assertThat(api().post("/v1/redemptions", checkout("c-2", List.of("ONCE"), 1000)).status()).isEqualTo(422);
        assertThat(api().post("/v1/validations", checkout("c-3", List.of("NOPE"), 1000)).status()).isEqualTo(200);
        assertThat(api().get("/v1/campaigns/once/stats").status()).isEqualTo(200);
        // A delivery due a minute ago that no node holds (the test clock's poller runs only immediate work): the lag.
        Instant due = Instant.now().minusSeconds(60);
        String task = "tsk_metrics_" + System.nanoTime();
        Fixtures.execute(server, "insert into tasks (id, kind, payload, due_at, immediate, status, attempts, created_at) "
                + "values (?, 'webhook.delivery', '{}', ?, false, 'PENDING', 0, ?)", task, utc(due), utc(due));
        Map<String, Double> series;
        try {
            series = scrape();
        } finally {
            Fixtures.execute(server, "delete from tasks where id = ?", task);
        }

        // Latency: histogram buckets by route template (not the raw path), so Prometheus computes percentiles.
        assertThat(series.keySet()).anyMatch(k -> k.startsWith("http_server_requests_seconds_bucket{")
                && k.contains("route=\"/v1/redemptions\"") && k.contains("status=\"201\"") && k.contains("le=\"+Inf\""));
        assertThat(series.keySet()).anyMatch(k -> k.startsWith("http_server_requests_seconds_count{")
                && k.contains("route=\"/v1/campaigns/{name}/stats\""));
        assertThat(series.keySet()).noneMatch(k -> k.contains("route=\"/v1/campaigns/once/stats\""));
        // Outcomes, counted by the service.
        assertThat(series.get("tessera_redemptions_total{result=\"redeemed\"}")).isGreaterThanOrEqualTo(1);
        assertThat(series.get("tessera_redemptions_total{result=\"replayed\"}")).isGreaterThanOrEqualTo(1);
        // The redemption's commit by phase: the ones of every transaction on both databases (queue: group commits).
        for (String phase : List.of("connection", "statements", "commit")) {
            assertThat(series.get("tessera_redemption_commit_seconds_count{phase=\"" + phase + "\"}")).as(phase)
                    .isGreaterThanOrEqualTo(1);
            assertThat(series.keySet()).as(phase).anyMatch(k -> k.startsWith("tessera_redemption_commit_seconds_bucket{")
                    && k.contains("phase=\"" + phase + "\"") && k.contains("le=\"0.005\""));
        }
        assertThat(series.get("tessera_checkout_rejections_total{operation=\"redeem\",reason=\"redemption_limit\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(series.get("tessera_checkout_rejections_total{operation=\"validate\",reason=\"code_not_found\"}"))
                .isGreaterThanOrEqualTo(1);
        // Caches: the campaigns were loaded at least once and then served from memory.
        assertThat(series.get("tessera_cache_requests_total{cache=\"campaigns\",result=\"miss\"}")).isGreaterThanOrEqualTo(1);
        assertThat(series.get("tessera_cache_requests_total{cache=\"campaigns\",result=\"hit\"}")).isGreaterThanOrEqualTo(1);
        assertThat(series).containsKey("tessera_cache_requests_total{cache=\"segments\",result=\"miss\"}");
        // Background work: the overdue delivery shows as due, with about a minute of lag.
        assertThat(series.get("tessera_scheduler_tasks{kind=\"webhook.delivery\",state=\"due\"}")).isGreaterThanOrEqualTo(1);
        assertThat(series.get("tessera_scheduler_lag_seconds{kind=\"webhook.delivery\"}")).isBetween(55.0, 600.0);
        assertThat(series).containsKeys("tessera_scheduler_tasks{kind=\"code.generate\",state=\"running\"}",
                "tessera_scheduler_tasks{kind=\"code.generate\",state=\"failed\"}", "tessera_code_generation_jobs",
                "tessera_code_generation_codes{state=\"done\"}", "tessera_code_generation_codes{state=\"total\"}");
        // The build and the process.
        assertThat(series.entrySet()).anySatisfy(e -> {
            assertThat(e.getKey()).matches("tessera_build_info\\{version=\"\\d+\\.\\d+\\.\\d+[^\"]*\"}");
            assertThat(e.getValue()).isEqualTo(1.0);
        });
        assertThat(series.get("process_uptime_seconds")).isPositive();
        // The JIT's work so far (the load generator's warm-up waits until it goes quiet).
        assertThat(series.entrySet()).anySatisfy(e -> {
            assertThat(e.getKey()).startsWith("jvm_compilation_time_ms_total{");
            assertThat(e.getValue()).isPositive();
        });
    }

    /** The scrape as series (name with labels) to value. */
    private Map<String, Double> scrape() {
        var metrics = server.client(null).get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        Map<String, Double> series = new LinkedHashMap<>();
        for (String line : metrics.body().lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return series;
    }

    private static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
