package io.tessera.system;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.db.Database;
import io.tessera.http.Api;
import io.tessera.core.Failure;
import io.tessera.core.Checks;
import io.tessera.core.Input;
import io.tessera.http.Metrics;
import io.tessera.core.Principal;
import io.tessera.http.Routes;
import io.tessera.core.Scope;
import io.tessera.job.Scheduler;
import java.time.Instant;
import java.util.Set;

/**
 * Health, metrics, the OpenAPI file and its rendering at /docs, and the test clock's advance endpoint (only with
 * TESSERA_TEST_CLOCK=true).
 */
public final class SystemRoutes implements Routes {
    private final Api api;
    private final Database db;
    private final Metrics metrics;
    private final Scheduler scheduler;

    public SystemRoutes(Api api, Database db, Metrics metrics, Scheduler scheduler) {
        this.api = api;
        this.db = db;
        this.metrics = metrics;
        this.scheduler = scheduler;
    }

    @Override
    public void register(RoutesConfig r) {
        r.get("/health", this::health);
        r.post("/v1/test-clock/advance", this::advance);
        r.get("/openapi.yaml", this::openapi);
        r.get("/docs", ApiDocs::page);
        r.get("/docs/{file}", ApiDocs::asset);
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
    }

    /** The OpenAPI reference, shipped in the jar. */
    private void openapi(Context ctx) throws java.io.IOException {
        try (var in = SystemRoutes.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) throw Failure.notFound("openapi.yaml");
            ctx.contentType("application/yaml").result(in.readAllBytes());
        }
    }

    /** {@code GET /health}: UP with the database kind, or DOWN with why. */
    public record Health(String status, String database, String detail) {
    }

    private void health(Context ctx) {
        try {
            db.dsl().fetchValue("select 1");
            json(ctx, 200, new Health("UP", db.postgres() ? "postgresql" : "h2", null));
        } catch (RuntimeException e) {
            json(ctx, 503, new Health("DOWN", null, String.valueOf(e.getMessage())));
        }
    }

    /**
     * Runs, before answering, every task of the caller's project (and of no project) due up to {@code to}, each as of
     * {@code to}. Scoped to the project so that scenarios sharing a server never run each other's work.
     */
    private void advance(Context ctx) {
        if (!api.clock().testClock()) throw Failure.notFound("the test clock (enable TESSERA_TEST_CLOCK)");
        Principal p = api.project(ctx, Scope.ADMIN);
        Input in = api.input(ctx).allow(Set.of("to"));
        if (!in.has("to")) in.fail("to", "is required");
        Instant at = Checks.instant(in, "to");
        in.check();
        int ran = scheduler.advance(p.projectId(), at);
        json(ctx, 200, new Advanced(at, ran));
    }

    /** The answer of an advance: the instant advanced to and how many tasks ran. */
    record Advanced(Instant now, int ran) {
    }
}
