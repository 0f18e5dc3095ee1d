package io.tessera.audit;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.core.Principal;
import io.tessera.core.ProjectContext;
import io.tessera.http.Api;
import io.tessera.http.Routes;
import java.util.Set;
import java.util.function.BiFunction;

/** {@code GET /v1/audit}: the project's audit log, newest first, with filters. */
public final class AuditRoutes implements Routes {
    private static final Set<String> QUERY = Set.of("resource", "actor", "action", "from", "to", "limit", "cursor", "type");
    private final Api api;
    private final AuditLog log;
    private final BiFunction<ProjectContext, String, String> resources;

    /** {@code resources} maps a resource filter to how entries name it (customers are named by pseudonym). */
    public AuditRoutes(Api api, AuditLog log, BiFunction<ProjectContext, String, String> resources) {
        this.api = api;
        this.log = log;
        this.resources = resources;
    }

    @Override
    public void register(RoutesConfig r) {
        r.get("/v1/audit", this::list);
    }

    private void list(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, QUERY);
        String resource = ctx.queryParam("resource");
        var filter = new AuditLog.Filter(resource == null ? null : resources.apply(p.project(), resource),
                ctx.queryParam("actor"), ctx.queryParam("action"),
                Api.instant(ctx, "from"), Api.instant(ctx, "to"), ctx.queryParam("type"));
        json(ctx, 200, log.list(p.projectId(), filter, Api.page(ctx)));
    }
}
