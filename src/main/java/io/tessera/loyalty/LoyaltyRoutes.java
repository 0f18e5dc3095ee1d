package io.tessera.loyalty;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.core.Checks;
import io.tessera.core.Input;
import io.tessera.core.Principal;
import io.tessera.core.Scope;
import io.tessera.http.Api;
import io.tessera.http.Routes;
import java.util.Set;

/**
 * {@code /v1/loyalty/{program}/members}: a member at the request's instant, its ledger, the members list, manual
 * adjustments (admin) and transfers (redeem).
 */
public final class LoyaltyRoutes implements Routes {
    private static final String MEMBERS = "/v1/loyalty/{program}/members";
    private static final String MEMBER = MEMBERS + "/{customer}";
    private final Api api;
    private final LoyaltyService loyalty;

    public LoyaltyRoutes(Api api, LoyaltyService loyalty) {
        this.api = api;
        this.loyalty = loyalty;
    }

    @Override
    public void register(RoutesConfig r) {
        r.get(MEMBERS, this::members);
        r.get(MEMBER, this::member);
        r.get(MEMBER + "/transactions", this::transactions);
        r.post(MEMBER + "/transactions", this::adjust);
        r.post(MEMBER + "/transfers", this::transfer);
    }

    private void members(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of("limit", "cursor", "tier"));
        json(ctx, 200, loyalty.members(p.project(), ctx.pathParam("program"), ctx.queryParam("tier"), Api.page(ctx),
                api.now(ctx)));
    }

    private void member(Context ctx) {
        Principal p = api.reader(ctx);
        json(ctx, 200, loyalty.member(p.project(), ctx.pathParam("program"), ctx.pathParam("customer"), api.now(ctx)));
    }

    private void transactions(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of("limit", "cursor"));
        json(ctx, 200, loyalty.transactions(p.project(), ctx.pathParam("program"), ctx.pathParam("customer"),
                Api.page(ctx)));
    }

    private void adjust(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        Input in = api.input(ctx).allow(Set.of("points", "reason"));
        Long points = in.integer("points", true, -LoyaltyService.MAX_POINTS, LoyaltyService.MAX_POINTS);
        if (points != null && points == 0) in.fail("points", "must not be 0");
        String reason = in.string("reason", false);
        if (reason != null && reason.length() > 500) in.fail("reason", "at most 500 characters");
        in.check();
        json(ctx, 201, loyalty.adjust(p.project(), p.actor(), ctx.pathParam("program"), customer(ctx), points, reason,
                api.now(ctx)));
    }

    private void transfer(Context ctx) {
        Principal p = api.project(ctx, Scope.REDEEM);
        Input in = api.input(ctx).allow(Set.of("to", "points"));
        String to = in.string("to", true, Checks.ID, "a customer id");
        Long points = in.integer("points", true, 1, LoyaltyService.MAX_POINTS);
        in.check();
        json(ctx, 201, loyalty.transfer(p.project(), ctx.pathParam("program"), customer(ctx), to, points, api.now(ctx)));
    }

    private static String customer(Context ctx) {
        String c = ctx.pathParam("customer");
        if (!Checks.ID.matcher(c).matches()) throw io.tessera.core.Failure.invalid("customer", "not a customer id");
        return c;
    }
}
