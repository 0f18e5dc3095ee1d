package io.tessera.project;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.http.Api;
import io.tessera.core.Checks;
import io.tessera.core.Input;
import io.tessera.core.Principal;
import io.tessera.http.Routes;
import io.tessera.core.Scope;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code /v1/projects} (root key), {@code /v1/project} and {@code /v1/api-keys} (project admin). */
public final class ProjectRoutes implements Routes {
    private final Api api;
    private final ProjectService projects;

    public ProjectRoutes(Api api, ProjectService projects) {
        this.api = api;
        this.projects = projects;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post("/v1/projects", this::createProject);
        r.get("/v1/project", this::getProject);
        r.patch("/v1/project", this::patchProject);
        r.post("/v1/api-keys", this::createKey);
        r.get("/v1/api-keys", this::listKeys);
        r.patch("/v1/api-keys/{id}", this::patchKey);
        r.delete("/v1/api-keys/{id}", this::deleteKey);
    }

    /** The project with its first key, shown once. */
    public record Created(String id, String name, String currency, String timezone, int maxDiscountsPerOrder,
                          String locale, java.time.Instant createdAt, Integer rateLimit, String apiKey) {
    }

    private void createProject(Context ctx) {
        api.root(ctx);
        Input in = api.input(ctx).allow(Set.of("name", "currency", "timezone", "maxDiscountsPerOrder", "locale",
                "rateLimit"));
        String name = in.string("name", true, Checks.NAME, Checks.NAME_RULE);
        String currency = Checks.currency(in, "currency", false);
        ZoneId zone = Checks.zone(in, "timezone");
        Long max = in.integer("maxDiscountsPerOrder", false, 1, 100);
        String locale = in.string("locale", false, Checks.LOCALE, Checks.LOCALE_RULE);
        Integer rateLimit = rateLimit(in);
        in.check();
        var created = projects.create(api.principal(ctx).actor(), name, currency, zone == null ? ZoneId.of("UTC") : zone,
                max == null ? 5 : max.intValue(), locale, rateLimit, api.now(ctx));
        ProjectView v = ProjectView.of(created.project());
        json(ctx, 201, new Created(v.id(), v.name(), v.currency(), v.timezone(), v.maxDiscountsPerOrder(), v.locale(),
                v.createdAt(), v.rateLimit(), created.apiKey()));
    }

    private void getProject(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of());
        json(ctx, 200, ProjectView.of(projects.get(p.project())));
    }

    private void patchProject(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        Input in = api.input(ctx);
        SettingsChange change = SettingsChange.read(in);
        in.check();
        json(ctx, 200, ProjectView.of(projects.update(p.project(), p.actor(), change, api.now(ctx))));
    }

    /** The {@code rateLimit} of a project or key body: requests per second (1 to 100000), null when absent or null. */
    public static Integer rateLimit(Input in) {
        if (in.isNull("rateLimit")) return null;
        Long n = in.integer("rateLimit", false, 1, MAX_RATE_LIMIT);
        return n == null ? null : n.intValue();
    }

    private static final long MAX_RATE_LIMIT = 100_000;

    /** The new key with its secret, shown once. */
    public record KeyCreated(String id, String name, List<String> scopes, Integer rateLimit, String key) {
    }

    private void createKey(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        Input in = api.input(ctx).allow(Set.of("name", "scopes", "rateLimit"));
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
        Integer rateLimit = rateLimit(in);
        in.check();
        var k = projects.createKey(p.project(), p.actor(), name, scopes, rateLimit, api.now(ctx));
        json(ctx, 201, new KeyCreated(k.id(), k.name(), k.scopes().stream().map(Scope::value).sorted().toList(),
                k.rateLimit(), k.key()));
    }

    /** {@code {"rateLimit": n}} sets the key's own limit, {@code null} returns it to the project's default. */
    private void patchKey(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        Input in = api.input(ctx).allow(Set.of("rateLimit"));
        if (!in.has("rateLimit") && !in.isNull("rateLimit")) in.fail("rateLimit", "is required (null: the project's default applies)");
        Integer rateLimit = rateLimit(in);
        in.check();
        json(ctx, 200, projects.setKeyRateLimit(p.project(), p.actor(), ctx.pathParam("id"), rateLimit, api.now(ctx)));
    }

    private void listKeys(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of("limit", "cursor"));
        json(ctx, 200, projects.keys(p.project(), Api.page(ctx)));
    }

    private void deleteKey(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        projects.deleteKey(p.project(), p.actor(), ctx.pathParam("id"), api.now(ctx));
        ctx.status(204);
    }
}
