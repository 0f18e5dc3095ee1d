package io.tessera.qualification;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.discount.Shopper;
import io.tessera.http.Api;
import io.tessera.core.Principal;
import io.tessera.http.Routes;
import java.util.Set;
import io.tessera.core.Scope;
import io.tessera.redemption.Checkout;
import io.tessera.redemption.CheckoutRequest;
import java.time.Instant;

/** {@code POST /v1/qualifications} (what a customer could get now) and {@code GET /v1/customers/{id}/wallet}. */
public final class QualificationRoutes implements Routes {
    private final Api api;
    private final Checkout checkout;
    private final Qualifications qualifications;

    public QualificationRoutes(Api api, Checkout checkout, Qualifications qualifications) {
        this.api = api;
        this.checkout = checkout;
        this.qualifications = qualifications;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post("/v1/qualifications", this::qualify);
        r.get("/v1/customers/{id}/wallet", this::wallet);
    }

    /** Everything the customer could get now, best first. */
    public record Qualified(java.util.List<Qualifications.Qualification> data) {
    }

    private void qualify(Context ctx) {
        Principal p = api.project(ctx, Scope.VALIDATE);
        Instant now = api.now(ctx);
        CheckoutRequest req = CheckoutRequest.read(api.input(ctx), false);
        Shopper shopper = checkout.shopper(p.project(), req, now);
        json(ctx, 200, new Qualified(qualifications.of(p.project(), req, shopper, now)));
    }

    /** The customer's codes with what they are worth now. */
    private void wallet(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of());
        json(ctx, 200, qualifications.wallet(p.project(), ctx.pathParam("id"), api.now(ctx)));
    }
}
