package io.tessera.code;

import static io.tessera.http.Api.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.http.Api;
import io.tessera.core.Checks;
import io.tessera.core.Input;
import io.tessera.core.Principal;
import io.tessera.http.Routes;
import io.tessera.core.Scope;
import java.util.Map;
import java.util.Set;

/** {@code POST /v1/campaigns/{name}/publications}: hands a personal code to a customer. */
public final class PublicationRoutes implements Routes {
    private final Api api;
    private final Publications publications;

    public PublicationRoutes(Api api, Publications publications) {
        this.api = api;
        this.publications = publications;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post("/v1/campaigns/{name}/publications", this::publish);
    }

    private void publish(Context ctx) {
        // A back-office or server-side action, like orders: redeem or admin keys.
        Principal p = api.project(ctx, Scope.REDEEM);
        Input in = api.input(ctx).allow(Set.of("customer", "reuse"));
        String customerId = null;
        Map<String, Object> attributes = null;
        JsonNode c = in.raw("customer");
        if (c == null) {
            in.fail("customer", "is required");
        } else if (c.isTextual()) {
            customerId = c.textValue();
            if (!Checks.ID.matcher(customerId).matches()) in.fail("customer", "is not a valid customer id");
        } else if (c.isObject()) {
            Input ci = in.object("customer", true).allow(Set.of("id", "attributes"));
            customerId = ci.string("id", true, Checks.ID, "1-128 characters without spaces, '/', '?' or '#'");
            attributes = ci.map("attributes");
        } else {
            in.fail("customer", "must be a customer id or an object with an id");
        }
        Boolean reuse = in.bool("reuse", false);
        in.check();
        Publications.Published published = publications.publish(p.project(), ctx.pathParam("name"), customerId,
                attributes, reuse == null || reuse, api.now(ctx));
        json(ctx, published.reused() ? 200 : 201, published.view());
    }
}
