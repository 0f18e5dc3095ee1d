package io.tessera.webhook;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.core.Principal;
import io.tessera.core.Scope;
import io.tessera.http.Api;
import io.tessera.http.Routes;
import java.util.Set;

/**
 * {@code /v1/webhooks}: configuration (admin writes, read scope reads), the delivery log (read scope), and sending
 * again ({@code .../deliveries/{id}/retry}, {@code .../recover}; admin).
 */
public final class WebhookRoutes implements Routes {
    private static final String WEBHOOKS = "/v1/webhooks";
    private static final String WEBHOOK = WEBHOOKS + "/{name}";
    private static final String DELIVERIES = WEBHOOK + "/deliveries";
    private final Api api;
    private final Webhooks webhooks;

    public WebhookRoutes(Api api, Webhooks webhooks) {
        this.api = api;
        this.webhooks = webhooks;
    }

    @Override
    public void register(RoutesConfig r) {
        api.namedResources(r, WEBHOOKS, webhooks);
        r.get(DELIVERIES, this::deliveries);
        r.get(DELIVERIES + "/{id}", this::delivery);
        r.post(DELIVERIES + "/{id}/retry", this::retry);
        r.post(WEBHOOK + "/recover", this::recover);
    }

    private void deliveries(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of("limit", "cursor", "status"));
        json(ctx, 200, webhooks.deliveries(p.project(), ctx.pathParam("name"), ctx.queryParam("status"),
                Api.page(ctx)));
    }

    private void delivery(Context ctx) {
        Principal p = api.reader(ctx);
        json(ctx, 200, webhooks.delivery(p.project(), ctx.pathParam("name"), ctx.pathParam("id")));
    }

    private void retry(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        json(ctx, 202, webhooks.retry(p.project(), ctx.pathParam("name"), ctx.pathParam("id"), api.now(ctx)));
    }

    private void recover(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        json(ctx, 202, webhooks.recover(p.project(), ctx.pathParam("name"), api.body(ctx), api.now(ctx)));
    }
}
