package io.tessera.campaign;

import static io.tessera.http.Api.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.code.CodePattern;
import io.tessera.code.CodeStore;
import io.tessera.db.Database;
import io.tessera.discount.Promotion;
import io.tessera.redemption.CounterStore;
import io.tessera.http.Api;
import io.tessera.http.ApiException;
import io.tessera.http.Ids;
import io.tessera.http.Input;
import io.tessera.http.Principal;
import io.tessera.http.Routes;
import io.tessera.http.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v1/campaigns}: create, list, read, patch (JSON merge patch), archive. */
public final class CampaignRoutes implements Routes {
    private static final List<String> DOCUMENTED = List.of("name", "type", "active", "startsAt", "endsAt", "codes",
            "condition", "discount", "limits", "stacking", "currency", "metadata");
    private final Api api;
    private final Database db;
    private final CampaignStore store;
    private final CampaignParser parser;
    private final CodeStore codes;
    private final ActiveCampaigns active;
    private final CounterStore counters;

    public CampaignRoutes(Api api, Database db, CampaignStore store, CampaignParser parser, CodeStore codes,
                          ActiveCampaigns active, CounterStore counters) {
        this.counters = counters;
        this.api = api;
        this.db = db;
        this.store = store;
        this.parser = parser;
        this.codes = codes;
        this.active = active;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post("/v1/campaigns", this::create);
        r.get("/v1/campaigns", this::list);
        r.get("/v1/campaigns/{name}", this::get);
        r.patch("/v1/campaigns/{name}", this::patch);
        r.delete("/v1/campaigns/{name}", this::archive);
    }

    private void create(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        Instant now = api.now(ctx);
        Input in = api.input(ctx);
        String id = Ids.next("cmp");
        CampaignParser.Parsed parsed = parser.parse(in, id, 0);
        in.check();
        String name = parsed.promotion().name();
        if (store.find(p.projectId(), name).isPresent())
            throw ApiException.conflict("name_taken", "a campaign named '" + name + "' exists");
        CampaignParser.CodeSetup setup = parsed.codes();
        long seq = store.nextSequence();
        try {
            db.transaction(tx -> {
                store.insert(tx, p.projectId(), id, name, parsed.promotion().kind().name(), parsed.promotion().active(),
                        seq, parsed.definition(), now);
                if (setup != null && !setup.unique()) codes.insertUniversal(tx, p.projectId(), id, setup.code(), now);
                if (setup != null && setup.unique() && setup.count() > 0) {
                    codes.generate(tx, p.projectId(), id, new CodePattern(setup.pattern(), setup.charset(),
                            (int) setup.pattern().chars().filter(c -> c == '#').count()), setup.count(), now);
                }
                return null;
            });
        } catch (RuntimeException e) {
            if (!Database.isUniqueViolation(e)) throw e;
            if (store.find(p.projectId(), name).isPresent())
                throw ApiException.conflict("name_taken", "a campaign named '" + name + "' exists");
            throw new ApiException(409, "code_taken", "code " + setup.code() + " is already used in this project",
                    List.of(new io.tessera.http.FieldError("codes.code", "already used by another campaign")), Map.of());
        }
        active.invalidate(p.projectId());
        json(ctx, 201, view(store.find(p.projectId(), name).orElseThrow()));
    }

    private void list(Context ctx) {
        Principal p = api.reader(ctx);
        int limit = Api.limit(ctx);
        long after = cursor(ctx.queryParam("cursor"));
        String archived = ctx.queryParam("archived");
        Boolean archivedFilter = archived == null ? Boolean.FALSE : archived.equals("all") ? null : Boolean.parseBoolean(archived);
        List<StoredCampaign> rows = store.list(p.projectId(), after, limit + 1, archivedFilter);
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, rows.size()); i++) data.add(view(rows.get(i)));
        String next = rows.size() > limit ? Long.toString(rows.get(limit - 1).sequence()) : null;
        json(ctx, 200, Api.page(data, next));
    }

    private static long cursor(String c) {
        if (c == null || c.isEmpty()) return Long.MIN_VALUE;
        try {
            return Long.parseLong(c);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("cursor", "is not a cursor returned by this list");
        }
    }

    private void get(Context ctx) {
        Principal p = api.reader(ctx);
        json(ctx, 200, view(find(p, ctx.pathParam("name"))));
    }

    private StoredCampaign find(Principal p, String name) {
        return store.find(p.projectId(), name).orElseThrow(() -> ApiException.notFound("campaign " + name));
    }

    /** RFC 7396 merge patch over the saved definition, re-validated whole; name, type and codes are fixed. */
    private void patch(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        Instant now = api.now(ctx);
        String name = ctx.pathParam("name");
        JsonNode patch = api.body(ctx);
        if (!patch.isObject()) throw ApiException.invalid("body", "must be a JSON object (a merge patch)");
        StoredCampaign saved = db.transaction(tx -> {
            StoredCampaign current = store.findForUpdate(tx, p.projectId(), name)
                    .orElseThrow(() -> ApiException.notFound("campaign " + name));
            ObjectNode merged = current.definition().deepCopy();
            merge(merged, patch);
            Input in = Input.of(merged);
            for (String fixed : List.of("name", "type", "codes")) {
                if (patch.has(fixed) && !patch.get(fixed).equals(current.definition().get(fixed)))
                    in.fail(fixed, fixed.equals("codes") ? "codes cannot be changed; add codes with POST /v1/campaigns/"
                            + name + "/codes" : "cannot be changed");
            }
            CampaignParser.Parsed parsed = parser.parse(in, current.id(), current.sequence());
            in.check();
            Promotion before = active.compile(current);
            if (before != null) counters.limitsChanged(tx, before, parsed.promotion(), p.zone());
            store.update(tx, p.projectId(), current.id(), parsed.promotion().active(), current.archived(),
                    parsed.definition(), now);
            return current;
        });
        active.invalidate(p.projectId());
        json(ctx, 200, view(find(p, saved.name())));
    }

    private static void merge(ObjectNode target, JsonNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull()) target.remove(e.getKey());
            else if (v.isObject() && target.get(e.getKey()) instanceof ObjectNode t) merge(t, v);
            else target.set(e.getKey(), v.deepCopy());
        }
    }

    private void archive(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        Instant now = api.now(ctx);
        String name = ctx.pathParam("name");
        db.transaction(tx -> {
            StoredCampaign current = store.findForUpdate(tx, p.projectId(), name)
                    .orElseThrow(() -> ApiException.notFound("campaign " + name));
            ObjectNode def = current.definition().deepCopy();
            def.put("active", false);
            store.update(tx, p.projectId(), current.id(), false, true, def, now);
            return null;
        });
        active.invalidate(p.projectId());
        json(ctx, 200, view(find(p, name)));
    }

    static Map<String, Object> view(StoredCampaign c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        for (String f : DOCUMENTED) m.put(f, c.definition().get(f));
        if (m.get("stacking") == null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("priority", 0);
            s.put("exclusive", false);
            s.put("group", null);
            m.put("stacking", s);
        }
        m.put("archived", c.archived());
        m.put("createdAt", c.createdAt());
        m.put("updatedAt", c.updatedAt());
        return m;
    }
}
