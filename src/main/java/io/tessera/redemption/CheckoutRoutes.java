package io.tessera.redemption;

import static io.tessera.http.Api.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.campaign.CampaignStore;
import io.tessera.campaign.StoredCampaign;
import io.tessera.code.GuessGuard;
import io.tessera.db.Database;
import io.tessera.discount.Evaluation;
import io.tessera.discount.LimitCounters;
import io.tessera.discount.Rejection;
import io.tessera.http.Api;
import io.tessera.http.ApiException;
import io.tessera.http.Input;
import io.tessera.http.Json;
import io.tessera.http.Principal;
import io.tessera.http.Routes;
import io.tessera.http.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Validations, redemptions, rollbacks, the redemption list and campaign statistics. */
public final class CheckoutRoutes implements Routes {
    private final Api api;
    private final Database db;
    private final Checkout checkout;
    private final RedemptionStore store;
    private final CampaignStore campaigns;
    private final CounterStore counters;
    private final GuessGuard guard;

    /** With {@code guard}, callers who check too many unknown codes are refused for a while (429). */
    public CheckoutRoutes(Api api, Database db, Checkout checkout, RedemptionStore store, CampaignStore campaigns,
                          CounterStore counters, GuessGuard guard) {
        this.counters = counters;
        this.api = api;
        this.db = db;
        this.checkout = checkout;
        this.store = store;
        this.campaigns = campaigns;
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
        GuessGuard.Admission admission = guard.admit(caller(p, req, ctx), req.codes());
        List<Rejection> rejected = List.of();
        Evaluation ev;
        try {
            ev = checkout.validate(p, req, now);
            rejected = ev.rejected();
        } finally {
            admission.settle(rejected);
        }
        json(ctx, 200, EvaluationView.of(ev, req.explain()));
    }

    private void redeem(Context ctx) {
        Principal p = api.project(ctx, Scope.REDEEM);
        Instant now = api.now(ctx);
        String key = ctx.header("Idempotency-Key");
        if (key != null && (key.isBlank() || key.length() > 255))
            throw ApiException.invalid("Idempotency-Key", "must be 1-255 characters");
        CheckoutRequest req = CheckoutRequest.read(api.input(ctx), true);
        GuessGuard.Admission admission = guard.admit(caller(p, req, ctx), req.codes());
        List<Rejection> rejected = List.of();
        Checkout.Result result;
        try {
            result = checkout.redeem(p, req, key, now);
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
        Instant now = api.now(ctx);
        String id = ctx.pathParam("id");
        String reason = null;
        if (ctx.bodyAsBytes().length > 0) {
            Input in = api.input(ctx).allow(Set.of("reason"));
            reason = in.string("reason", false);
            if (reason != null && reason.length() > 1000) in.fail("reason", "at most 1000 characters");
            in.check();
        }
        String why = reason;
        RedemptionStore.Stored r = store.find(p.projectId(), id).orElseThrow(() -> ApiException.notFound("redemption " + id));
        boolean done = db.transaction(tx -> store.rollback(tx, p.projectId(), id, why, now));
        if (!done) throw ApiException.conflict("already_rolled_back", "redemption " + id + " was already rolled back");
        json(ctx, 200, view(store.find(p.projectId(), r.id()).orElseThrow()));
    }

    private void get(Context ctx) {
        Principal p = api.reader(ctx);
        String id = ctx.pathParam("id");
        json(ctx, 200, view(store.find(p.projectId(), id).orElseThrow(() -> ApiException.notFound("redemption " + id))));
    }

    private void list(Context ctx) {
        Principal p = api.reader(ctx);
        String campaignName = ctx.queryParam("campaign");
        String campaignId = null;
        if (campaignName != null) {
            var c = campaigns.find(p.projectId(), campaignName);
            if (c.isEmpty()) {
                json(ctx, 200, Api.page(List.of(), null));
                return;
            }
            campaignId = c.get().id();
        }
        String code = ctx.queryParam("code");
        var page = store.list(p.projectId(), campaignId, ctx.queryParam("customer"),
                code == null ? null : code.toUpperCase(Locale.ROOT), ctx.queryParam("cursor"), Api.limit(ctx));
        List<Map<String, Object>> data = new ArrayList<>();
        for (var r : page.rows()) data.add(view(r));
        json(ctx, 200, Api.page(data, page.nextCursor()));
    }

    static Map<String, Object> view(RedemptionStore.Stored r) {
        ObjectNode stored = (ObjectNode) Json.parse(r.response());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("status", r.status());
        m.put("customer", r.customerId());
        m.put("order", stored.get("order"));
        m.put("applied", stored.get("applied"));
        m.put("createdAt", r.createdAt());
        m.put("rolledBackAt", r.rolledBackAt());
        m.put("rollbackReason", r.rollbackReason());
        return m;
    }

    private void stats(Context ctx) {
        Principal p = api.reader(ctx);
        String name = ctx.pathParam("name");
        StoredCampaign c = campaigns.find(p.projectId(), name).orElseThrow(() -> ApiException.notFound("campaign " + name));
        RedemptionStore.CampaignStats s = store.stats(c.id());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("redemptions", s.redemptions());
        m.put("rolledBack", s.rolledBack());
        m.put("discountGiven", s.discountGiven());
        m.put("ordersValue", s.ordersValue());
        var budget = c.definition().path("limits").path("budget").path("discount");
        m.put("budgetLeft", budget.isNumber()
                ? Math.max(0, budget.longValue() - counters.used(c.id(), LimitCounters.BUDGET_DISCOUNT)) : null);
        m.put("codes", store.codeStats(c.id()));
        m.put("byDay", s.byDay());
        json(ctx, 200, m);
    }
}
