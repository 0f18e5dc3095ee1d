package io.tessera.simulation;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.core.Checks;
import io.tessera.core.Input;
import io.tessera.core.Principal;
import io.tessera.http.Api;
import io.tessera.http.Routes;
import java.time.Instant;
import java.util.Set;

/** {@code POST /v1/campaigns/simulate}: a draft campaign replayed over past paid orders. */
public final class SimulationRoutes implements Routes {
    private final Api api;
    private final Simulations simulations;

    public SimulationRoutes(Api api, Simulations simulations) {
        this.api = api;
        this.simulations = simulations;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post("/v1/campaigns/simulate", this::simulate);
    }

    private void simulate(Context ctx) {
        // Reads orders and writes nothing: any key that may read the project may ask.
        Principal p = api.reader(ctx);
        Input in = api.input(ctx).allow(Set.of("campaign", "from", "to"));
        Input campaign = in.object("campaign", true);
        Instant from = Checks.instant(in, "from");
        Instant to = Checks.instant(in, "to");
        if (!in.has("from")) in.fail("from", "is required");
        if (!in.has("to")) in.fail("to", "is required");
        json(ctx, 200, simulations.simulate(p.project(), in, campaign, from, to));
    }
}
