package io.tessera.order;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.core.Checks;
import io.tessera.core.Input;
import io.tessera.core.Principal;
import io.tessera.core.Scope;
import io.tessera.discount.Cart;
import io.tessera.http.Api;
import io.tessera.http.Routes;
import java.util.Set;

/** {@code POST /v1/orders} upserts an order; {@code GET /v1/orders/{id}} reads one. */
public final class OrderRoutes implements Routes {
    private final Api api;
    private final OrderService orders;

    public OrderRoutes(Api api, OrderService orders) {
        this.api = api;
        this.orders = orders;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post("/v1/orders", this::upsert);
        r.get("/v1/orders/{id}", this::get);
    }

    private void upsert(Context ctx) {
        Principal p = api.project(ctx, Scope.REDEEM);
        Input in = api.input(ctx).allow(Set.of("id", "customer", "status", "currency", "items", "shipping", "redemption"));
        String id = in.string("id", true, Checks.ID, "1-128 characters without spaces, '/', '?' or '#'");
        String customer = in.string("customer", false, Checks.ID, "a customer id");
        String status = in.string("status", true);
        if (status != null && !OrderService.STATUSES.contains(status))
            in.fail("status", "must be CREATED, PAID, CANCELLED or REFUNDED");
        Cart cart = CartInput.read(in);
        String redemption = in.string("redemption", false);
        in.check();
        OrderService.Saved saved = orders.upsert(p.project(), id, customer, status, cart, redemption, api.now(ctx));
        json(ctx, saved.created() ? 201 : 200, saved.order());
    }

    private void get(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of());
        json(ctx, 200, orders.get(p.project(), ctx.pathParam("id")));
    }
}
