package io.tessera.project;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.db.Sql;
import io.tessera.http.Api;
import io.tessera.core.Failure;
import io.tessera.core.Checks;
import io.tessera.core.Input;
import io.tessera.core.Principal;
import io.tessera.http.Routes;
import io.tessera.core.Scope;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /v1/projects} (root key), {@code /v1/project} and {@code /v1/api-keys} (project admin). */
public final class ProjectRoutes implements Routes {
    private final Api api;
    private final ProjectStore store;

    public ProjectRoutes(Api api, ProjectStore store) {
        this.api = api;
        this.store = store;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post("/v1/projects", this::createProject);
        r.get("/v1/project", this::getProject);
        r.patch("/v1/project", this::patchProject);
        r.post("/v1/api-keys", this::createKey);
        r.get("/v1/api-keys", this::listKeys);
        r.delete("/v1/api-keys/{id}", this::deleteKey);
    }

    private void createProject(Context ctx) {
        api.root(ctx);
        Input in = api.input(ctx).allow(Set.of("name", "currency", "timezone", "maxDiscountsPerOrder"));
        String name = in.string("name", true, Checks.NAME, Checks.NAME_RULE);
        String currency = Checks.currency(in, "currency", false);
        ZoneId zone = Checks.zone(in, "timezone");
        Long max = in.integer("maxDiscountsPerOrder", false, 1, 100);
        in.check();
        var created = store.create(name, currency, zone == null ? ZoneId.of("UTC") : zone,
                max == null ? 5 : max.intValue(), api.now(ctx));
        Map<String, Object> body = view(created.project());
        body.put("apiKey", created.apiKey());
        json(ctx, 201, body);
    }

    private void getProject(Context ctx) {
        Principal p = api.reader(ctx);
        json(ctx, 200, view(store.find(p.projectId()).orElseThrow()));
    }

    private void patchProject(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        Input in = api.input(ctx).allow(Set.of("timezone", "maxDiscountsPerOrder"));
        ZoneId zone = Checks.zone(in, "timezone");
        Long max = in.integer("maxDiscountsPerOrder", false, 1, 100);
        in.check();
        store.update(p.projectId(), zone, max == null ? null : max.intValue());
        api.authenticator().invalidate();
        json(ctx, 200, view(store.find(p.projectId()).orElseThrow()));
    }

    private void createKey(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        Input in = api.input(ctx).allow(Set.of("name", "scopes"));
        String name = in.string("name", true, Checks.NAME, Checks.NAME_RULE);
        List<String> raw = in.strings("scopes", true);
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (raw != null) {
            if (raw.isEmpty()) in.fail("scopes", "must name at least one scope: admin, validate, redeem, read");
            for (int i = 0; i < raw.size(); i++) {
                Scope s = Scope.parse(raw.get(i));
                if (s == null) in.fail("scopes[" + i + "]", "unknown scope; use admin, validate, redeem or read");
                else scopes.add(s);
            }
        }
        in.check();
        var k = store.createKey(p.projectId(), name, scopes, api.now(ctx));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", k.id());
        body.put("name", k.name());
        body.put("scopes", k.scopes().stream().map(Scope::value).sorted().toList());
        body.put("key", k.key());
        json(ctx, 201, body);
    }

    private void listKeys(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        List<Map<String, Object>> out = new ArrayList<>();
        for (var r : store.keys(p.projectId())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.get("id", String.class));
            m.put("name", r.get("name", String.class));
            m.put("scopes", Arrays.asList(r.get("scopes", String.class).split(",")));
            m.put("createdAt", Sql.instant(r, "created_at"));
            out.add(m);
        }
        json(ctx, 200, Api.page(out, null));
    }

    private void deleteKey(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        if (!store.deleteKey(p.projectId(), ctx.pathParam("id"))) throw Failure.notFound("API key");
        api.authenticator().invalidate();
        ctx.status(204);
    }

    private static Map<String, Object> view(Project p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("name", p.name());
        m.put("currency", p.currency());
        m.put("timezone", p.timezone().getId());
        m.put("maxDiscountsPerOrder", p.maxDiscountsPerOrder());
        m.put("createdAt", p.createdAt());
        return m;
    }
}
