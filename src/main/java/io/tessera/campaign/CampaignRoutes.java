package io.tessera.campaign;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.core.Principal;
import io.tessera.core.Scope;
import io.tessera.http.Api;
import io.tessera.http.Routes;
import java.util.Set;

/** {@code /v1/campaigns}: create, list, read, patch (JSON merge patch), archive. */
public final class CampaignRoutes implements Routes {
    private final Api api;
    private final CampaignService campaigns;

    public CampaignRoutes(Api api, CampaignService campaigns) {
        this.api = api;
        this.campaigns = campaigns;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post("/v1/campaigns", this::create);
        r.get("/v1/campaigns", this::list);
        r.get("/v1/campaigns/{name}", this::get);
        r.patch("/v1/campaigns/{name}", this::patch);
        r.delete("/v1/campaigns/{name}", this::archive);
    }

    private void create(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        Campaign c = campaigns.create(p.project(), p.actor(), api.body(ctx), api.now(ctx));
        json(ctx, 201, CampaignView.of(c));
    }

    private void list(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of("limit", "cursor", "archived"));
        Boolean filter = Api.archived(ctx);
        json(ctx, 200, campaigns.list(p.project(), filter, Api.page(ctx)).map(CampaignView::of));
    }

    private void get(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of());
        json(ctx, 200, CampaignView.of(campaigns.get(p.project(), ctx.pathParam("name"))));
    }

    private void patch(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        Campaign c = campaigns.patch(p.project(), p.actor(), ctx.pathParam("name"), api.body(ctx), api.now(ctx));
        json(ctx, 200, CampaignView.of(c));
    }

    private void archive(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        json(ctx, 200, CampaignView.of(campaigns.archive(p.project(), p.actor(), ctx.pathParam("name"), api.now(ctx))));
    }
}
