package io.tessera.redemption;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.code.GuessGuard;
import io.tessera.discount.Rejection;
import io.tessera.http.Api;
import io.tessera.core.Failure;
import io.tessera.core.Input;
import io.tessera.core.Principal;
import io.tessera.http.Routes;
import io.tessera.core.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Validations, redemptions, rollbacks, the redemption list and campaign statistics. */
public final class CheckoutRoutes implements Routes {
    private final Api api;
    private final Checkout checkout;
    private final RedemptionService redemptions;
    private final GuessGuard guard;

    /** With {@code guard}, callers who check too many unknown codes are refused for a while (429). */
    public CheckoutRoutes(Api api, Checkout checkout, RedemptionService redemptions, GuessGuard guard) {
        this.api = api;
        this.checkout = checkout;
        this.redemptions = redemptions;
        this.guard = guard;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post("/v1/validations", this::validate);
        r.post("/v1/redemptions", this::redeem);
        r.get("/v1/redemptions", this::list);
        r.get("/v1/redemptions/{id}", this::get);
        r.post("/v1/redemptions/{id}/rollback", this::rollback);
        r.get("/v1/campaigns/{name}/stats", this::stats);
    }

    private void validate(Context ctx) {
        Principal p = api.project(ctx, Scope.VALIDATE);
        Instant now = api.now(ctx);
        CheckoutRequest req = CheckoutRequest.read(api.input(ctx), true);
        Checkout.Reads reads = checkout.reads(p.project(), req);
        GuessGuard.Admission admission = guard.admit(caller(p, req, ctx), req.codes(), reads.pipeline());
        List<Rejection> rejected = List.of();
        Checked checked;
        try {
            checked = checkout.validate(p.project(), req, reads.with(admission.codes()), now);
            rejected = checked.engine().rejected();
        } finally {
            admission.settle(rejected);
        }
        ctx.status(200).contentType("application/json").result(EvaluationView.json(checked, req.explain()));
    }

    private void redeem(Context ctx) {
        Principal p = api.project(ctx, Scope.REDEEM);
        Instant now = api.now(ctx);
        String key = ctx.header("Idempotency-Key");
        if (key != null && (key.isBlank() || key.length() > 255))
            throw Failure.invalid("Idempotency-Key", "must be 1-255 characters");
        CheckoutRequest req = CheckoutRequest.read(api.input(ctx), true);
        Checkout.Reads reads = checkout.reads(p.project(), req);
        GuessGuard.Admission admission = guard.admit(caller(p, req, ctx), req.codes(), reads.pipeline());
        List<Rejection> rejected = List.of();
        Checkout.Result result;
        try {
            result = checkout.redeem(p.project(), req, reads.with(admission.codes()), key, now);
        } catch (RedemptionRejected e) {
            rejected = e.rejected();
            throw e;
        } finally {
            admission.settle(rejected);
        }
        ctx.status(result.status()).contentType("application/json").result(result.body());
    }

    /** Guessing is counted per customer for server keys, per address for browser (validate-only) keys. */
    private static GuessGuard.Caller caller(Principal p, CheckoutRequest req, Context ctx) {
        return GuessGuard.Caller.of(p.projectId(), p.keyId(), p.may(Scope.REDEEM), req.customerId(), ctx.ip());
    }

    private void rollback(Context ctx) {
        Principal p = api.project(ctx, Scope.REDEEM);
        String reason = null;
        if (ctx.bodyAsBytes().length > 0) {
            Input in = api.input(ctx).allow(Set.of("reason"));
            reason = in.string("reason", false);
            if (reason != null && reason.length() > 1000) in.fail("reason", "at most 1000 characters");
            in.check();
        }
        json(ctx, 200, redemptions.rollback(p.project(), p.actor(), ctx.pathParam("id"), reason, api.now(ctx)));
    }

    private void get(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of());
        json(ctx, 200, redemptions.get(p.project(), ctx.pathParam("id")));
    }

    private void list(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of("campaign", "customer", "code", "order", "limit", "cursor"));
        String code = ctx.queryParam("code");
        var filter = new RedemptionService.Filter(ctx.queryParam("campaign"), ctx.queryParam("customer"),
                code == null ? null : code.toUpperCase(Locale.ROOT), ctx.queryParam("order"));
        json(ctx, 200, redemptions.list(p.project(), filter, Api.page(ctx)));
    }

    private void stats(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of());
        json(ctx, 200, redemptions.stats(p.project(), ctx.pathParam("name")));
    }
}
