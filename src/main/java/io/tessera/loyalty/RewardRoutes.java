package io.tessera.loyalty;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.core.Checks;
import io.tessera.core.Failure;
import io.tessera.core.Principal;
import io.tessera.core.Scope;
import io.tessera.http.Api;
import io.tessera.http.Routes;
import java.util.Set;

/**
 * {@code /v1/loyalty/{program}/rewards} (the catalogue: admin writes, read scope reads), claims
 * ({@code POST .../members/{customer}/rewards/{reward}}, redeem scope) and the programme report
 * ({@code GET .../report}, read scope).
 */
public final class RewardRoutes implements Routes {
    private static final String REWARDS = "/v1/loyalty/{program}/rewards";
    private static final String REWARD = REWARDS + "/{reward}";
    private final Api api;
    private final Rewards rewards;
    private final LoyaltyReport report;

    public RewardRoutes(Api api, Rewards rewards, LoyaltyReport report) {
        this.api = api;
        this.rewards = rewards;
        this.report = report;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post(REWARDS, this::create);
        r.get(REWARDS, this::list);
        r.get(REWARD, this::get);
        r.patch(REWARD, this::patch);
        r.delete(REWARD, this::archive);
        r.post("/v1/loyalty/{program}/members/{customer}/rewards/{reward}", this::claim);
        r.get("/v1/loyalty/{program}/report", this::report);
    }

    private void create(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        json(ctx, 201, rewards.create(p.project(), p.actor(), ctx.pathParam("program"), api.body(ctx), api.now(ctx)));
    }

    private void list(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of("limit", "cursor", "archived"));
        Boolean filter = Api.archived(ctx);
        json(ctx, 200, rewards.list(p.project(), ctx.pathParam("program"), filter, Api.page(ctx)));
    }

    private void get(Context ctx) {
        Principal p = api.reader(ctx);
        json(ctx, 200, rewards.get(p.project(), ctx.pathParam("program"), ctx.pathParam("reward")));
    }

    private void patch(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        json(ctx, 200, rewards.patch(p.project(), p.actor(), ctx.pathParam("program"), ctx.pathParam("reward"),
                api.body(ctx), api.now(ctx)));
    }

    private void archive(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        json(ctx, 200, rewards.archive(p.project(), p.actor(), ctx.pathParam("program"), ctx.pathParam("reward"),
                api.now(ctx)));
    }

    private void claim(Context ctx) {
        Principal p = api.project(ctx, Scope.REDEEM);
        String customer = ctx.pathParam("customer");
        if (!Checks.ID.matcher(customer).matches()) throw Failure.invalid("customer", "not a customer id");
        json(ctx, 201, rewards.claim(p.project(), ctx.pathParam("program"), customer, ctx.pathParam("reward"),
                api.now(ctx)));
    }

    private void report(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of("from", "to"));
        json(ctx, 200, report.report(p.project(), ctx.pathParam("program"), Api.instant(ctx, "from"),
                Api.instant(ctx, "to"), api.now(ctx)));
    }
}
