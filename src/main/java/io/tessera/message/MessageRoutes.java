package io.tessera.message;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.core.Checks;
import io.tessera.core.Input;
import io.tessera.core.Principal;
import io.tessera.core.Scope;
import io.tessera.http.Api;
import io.tessera.http.Routes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code POST /v1/messages/render}: a template rendered for a customer. */
public final class MessageRoutes implements Routes {
    private final Api api;
    private final MessageService messages;

    public MessageRoutes(Api api, MessageService messages) {
        this.api = api;
        this.messages = messages;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post("/v1/messages/render", this::render);
    }

    private void render(Context ctx) {
        // Rendering may publish codes: the keys that may publish them (redeem or admin).
        Principal p = api.project(ctx, Scope.REDEEM);
        Input in = api.input(ctx).allow(Set.of("customer", "template", "channel", "subject"));
        String customer = in.string("customer", true, Checks.ID, "a customer id: 1-128 characters without spaces, "
                + "'/', '?' or '#'");
        String template = in.string("template", true);
        String channel = in.string("channel", false, MessageService.CHANNEL, MessageService.CHANNEL_RULE);
        String subject = in.string("subject", false);
        in.check();
        MessageService.Rendered rendered = messages.render(p.project(), customer, channel, subject, template,
                api.now(ctx));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", rendered.text());
        if (rendered.subject() != null) body.put("subject", rendered.subject());
        json(ctx, 200, body);
    }
}
