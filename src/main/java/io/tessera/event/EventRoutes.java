package io.tessera.event;

import static io.tessera.http.Api.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.core.Checks;
import io.tessera.core.Failure;
import io.tessera.core.Input;
import io.tessera.core.Principal;
import io.tessera.core.Scope;
import io.tessera.http.Api;
import io.tessera.http.Routes;
import java.util.Map;
import java.util.Set;

/** {@code POST /v1/events} records a customer event; {@code GET /v1/customers/{id}/events} lists them. */
public final class EventRoutes implements Routes {
    private static final String ID_RULE = "1-128 characters without spaces, '/', '?' or '#'";
    private final Api api;
    private final EventService events;

    public EventRoutes(Api api, EventService events) {
        this.api = api;
        this.events = events;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post("/v1/events", this::record);
        r.get("/v1/customers/{id}/events", this::list);
    }

    private void record(Context ctx) {
        // Sent by a shop's backend, like orders: redeem or admin keys.
        Principal p = api.project(ctx, Scope.REDEEM);
        Input in = api.input(ctx).allow(Set.of("id", "customer", "type", "properties"));
        String id = in.string("id", false, Checks.ID, ID_RULE);
        String customer = null;
        Map<String, Object> attributes = null;
        JsonNode c = in.raw("customer");
        if (c == null) {
            in.fail("customer", "is required");
        } else if (c.isTextual()) {
            customer = in.string("customer", true, Checks.ID, "a customer id: " + ID_RULE);
        } else if (c.isObject()) {
            Input ci = in.object("customer", true).allow(Set.of("id", "attributes"));
            customer = ci.string("id", true, Checks.ID, ID_RULE);
            attributes = ci.map("attributes");
        } else {
            in.fail("customer", "must be a customer id or an object with an id");
        }
        String type = in.string("type", true, Checks.EVENT_TYPE, Checks.EVENT_TYPE_RULE);
        Map<String, Object> properties = in.map("properties");
        in.check();
        json(ctx, 202, events.record(p.project(), id, customer, attributes, type, properties, api.now(ctx)));
    }

    private void list(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of("type", "limit", "cursor"));
        String type = ctx.queryParam("type");
        if (type != null && !Checks.EVENT_TYPE.matcher(type).matches())
            throw Failure.invalid("type", "is not an event type");
        json(ctx, 200, events.list(p.project(), ctx.pathParam("id"), type, Api.page(ctx)));
    }
}
