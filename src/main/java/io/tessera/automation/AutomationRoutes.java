package io.tessera.automation;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.core.Principal;
import io.tessera.core.Scope;
import io.tessera.http.Api;
import io.tessera.http.Routes;
import java.util.Set;

/** {@code /v1/automations}: admin scope writes, read scope reads, and the runs log of each automation. */
public final class AutomationRoutes implements Routes {
    private static final String AUTOMATIONS = "/v1/automations";
    private static final String AUTOMATION = AUTOMATIONS + "/{name}";
    private final Api api;
    private final AutomationService automations;

    public AutomationRoutes(Api api, AutomationService automations) {
        this.api = api;
        this.automations = automations;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post(AUTOMATIONS, this::create);
        r.get(AUTOMATIONS, this::list);
        r.get(AUTOMATION, this::get);
        r.patch(AUTOMATION, this::patch);
        r.delete(AUTOMATION, this::delete);
        r.get(AUTOMATION + "/runs", this::runs);
    }

    private void create(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        json(ctx, 201, automations.create(p.project(), p.actor(), api.body(ctx), api.now(ctx)));
    }

    private void list(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of("limit", "cursor"));
        json(ctx, 200, automations.list(p.project(), Api.page(ctx)));
    }

    private void get(Context ctx) {
        Principal p = api.reader(ctx);
        json(ctx, 200, automations.get(p.project(), ctx.pathParam("name")));
    }

    private void patch(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        json(ctx, 200, automations.patch(p.project(), p.actor(), ctx.pathParam("name"), api.body(ctx), api.now(ctx)));
    }

    private void delete(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        automations.delete(p.project(), p.actor(), ctx.pathParam("name"), api.now(ctx));
        ctx.status(204);
    }

    private void runs(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of("limit", "cursor", "status", "customer"));
        json(ctx, 200, automations.runs(p.project(), ctx.pathParam("name"), ctx.queryParam("status"),
                ctx.queryParam("customer"), Api.page(ctx)));
    }
}
