package io.tessera.qualification;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.core.Checks;
import io.tessera.core.Failure;
import io.tessera.core.Input;
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

    private void qualify(Context ctx) {
        Principal p = api.project(ctx, Scope.VALIDATE);
        Instant now = api.now(ctx);
        Input in = api.input(ctx);
        String locale = in.string("locale", false, Checks.LOCALE, Checks.LOCALE_RULE);
        Boolean nearMiss = in.bool("nearMiss", false);
        CheckoutRequest req = CheckoutRequest.read(in, false);
        Checkout.Reads reads = checkout.reads(p.project(), req);
        Qualifications.Reads found = qualifications.reads(reads.pipeline(), p.project(), req.customerId());
        reads.pipeline().run();
        Shopper shopper = checkout.shopper(p.project(), req, reads, now);
        json(ctx, 200, qualifications.of(p.project(), req, shopper, found,
                new Qualifications.Ask(locale, nearMiss != null && nearMiss), now));
    }

    /** The customer's codes with what they are worth now. */
    private void wallet(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of("locale"));
        String locale = ctx.queryParam("locale");
        if (locale != null && !Checks.LOCALE.matcher(locale).matches())
            throw Failure.invalid("locale", "must be " + Checks.LOCALE_RULE);
        json(ctx, 200, qualifications.wallet(p.project(), ctx.pathParam("id"), locale, api.now(ctx)));
    }
}
