package io.tessera.automation;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.core.Principal;
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
        api.namedResources(r, AUTOMATIONS, automations);
        r.get(AUTOMATION + "/runs", this::runs);
    }

    private void runs(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of("limit", "cursor", "status", "customer"));
        json(ctx, 200, automations.runs(p.project(), ctx.pathParam("name"), ctx.queryParam("status"),
                ctx.queryParam("customer"), Api.page(ctx)));
    }
}
