package io.tessera.customer;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.db.Database;
import io.tessera.discount.Shopper;
import io.tessera.http.Api;
import io.tessera.core.Failure;
import io.tessera.core.Checks;
import io.tessera.core.Input;
import io.tessera.core.Principal;
import io.tessera.http.Routes;
import io.tessera.core.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /v1/customers} and {@code /v1/segments}. */
public final class CustomerRoutes implements Routes {
    private final Api api;
    private final Database db;
    private final CustomerStore customers;
    private final SegmentStore segments;
    private final Profiles profiles;
    private final io.tessera.rule.Rules rules;
    private final CustomerExport export;

    public CustomerRoutes(Api api, Database db, CustomerStore customers, SegmentStore segments, Profiles profiles,
                          io.tessera.rule.Rules rules, CustomerExport export) {
        this.api = api;
        this.db = db;
        this.customers = customers;
        this.segments = segments;
        this.profiles = profiles;
        this.rules = rules;
        this.export = export;
    }

    @Override
    public void register(RoutesConfig r) {
        r.put("/v1/customers/{id}", this::put);
        r.get("/v1/customers", this::list);
        r.get("/v1/customers/{id}", this::get);
        r.delete("/v1/customers/{id}", this::erase);
        r.get("/v1/customers/{id}/export", this::export);
        r.post("/v1/segments", this::createSegment);
        r.get("/v1/segments", this::listSegments);
        r.get("/v1/segments/{name}", this::getSegment);
        r.delete("/v1/segments/{name}", this::deleteSegment);
        r.post("/v1/segments/{name}/members", this::addMembers);
        r.get("/v1/segments/{name}/members", this::listMembers);
        r.delete("/v1/segments/{name}/members/{customer}", this::removeMember);
    }

    static String customerId(String id) {
        if (!Checks.ID.matcher(id).matches()) throw Failure.invalid("id", "must be 1-128 characters without spaces, '/', '?' or '#'");
        return id;
    }

    private void put(Context ctx) {
        Principal p = api.project(ctx, Scope.REDEEM);
        Instant now = api.now(ctx);
        String id = customerId(ctx.pathParam("id"));
        Input in = api.input(ctx).allow(Set.of("id", "attributes", "consents"));
        Map<String, Object> attributes = in.map("attributes");
        Map<String, Object> consents = in.map("consents");
        if (consents != null) consents.forEach((k, v) -> {
            if (v != null && !(v instanceof Boolean)) in.fail("consents." + k, "must be true or false");
        });
        String bodyId = in.string("id", false);
        if (bodyId != null && !bodyId.equals(id)) in.fail("id", "must match the id in the path");
        in.check();
        CustomerRow row = db.transaction(tx -> customers.upsert(tx, p.projectId(), id, attributes, consents, now));
        json(ctx, 200, view(row, profiles.shopper(p.projectId(), id, row, now)));
    }

    private void get(Context ctx) {
        Principal p = api.reader(ctx);
        Instant now = api.now(ctx);
        String id = ctx.pathParam("id");
        CustomerRow row = customers.find(p.projectId(), id).orElseThrow(() -> Failure.notFound("customer " + id));
        json(ctx, 200, view(row, profiles.shopper(p.projectId(), id, row, now)));
    }

    private void list(Context ctx) {
        Principal p = api.reader(ctx);
        Instant now = api.now(ctx);
        int limit = Api.limit(ctx);
        List<CustomerRow> rows = customers.list(p.projectId(), ctx.queryParam("cursor"), limit + 1);
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, rows.size()); i++) {
            CustomerRow row = rows.get(i);
            data.add(view(row, profiles.shopper(p.projectId(), row.id(), row, now)));
        }
        json(ctx, 200, Api.page(data, rows.size() > limit ? rows.get(limit - 1).id() : null));
    }

    private void erase(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        String id = ctx.pathParam("id");
        if (!customers.erase(p.projectId(), id, api.now(ctx))) throw Failure.notFound("customer " + id);
        json(ctx, 200, Map.of("id", id, "erased", true));
    }

    private void export(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        String id = ctx.pathParam("id");
        CustomerRow row = customers.find(p.projectId(), id).orElseThrow(() -> Failure.notFound("customer " + id));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customer", view(row, profiles.shopper(p.projectId(), id, row, api.now(ctx))));
        body.putAll(export.data(p.projectId(), id));
        json(ctx, 200, body);
    }

    static Map<String, Object> view(CustomerRow row, Shopper shopper) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", row.id());
        m.put("attributes", row.attributes());
        m.put("consents", row.consents());
        m.put("segments", shopper.segments());
        m.put("orders", Map.of("count", row.ordersCount(), "total", row.ordersTotal()));
        m.put("isNew", row.ordersCount() == 0);
        m.put("createdAt", row.createdAt());
        m.put("updatedAt", row.updatedAt());
        m.put("erasedAt", row.erasedAt());
        return m;
    }

    private void createSegment(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        Instant now = api.now(ctx);
        Input in = api.input(ctx).allow(Set.of("name", "condition", "customers"));
        String name = in.string("name", true, Checks.NAME, Checks.NAME_RULE);
        String condition = in.string("condition", false);
        List<String> members = in.strings("customers", false);
        if (condition != null && members != null) in.fail("customers", "a segment is either dynamic (condition) or static (customers), not both");
        if (condition != null) {
            try {
                rules.condition(condition);
            } catch (io.tessera.rule.RuleException e) {
                in.fail("condition", e.getMessage());
            }
        }
        if (members != null) {
            for (int i = 0; i < members.size(); i++)
                if (!Checks.ID.matcher(members.get(i)).matches()) in.fail("customers[" + i + "]", "is not a valid customer id");
        }
        in.check();
        if (segments.find(p.projectId(), name).isPresent())
            throw Failure.conflict("name_taken", "a segment named '" + name + "' exists");
        try {
            db.transaction(tx -> {
                segments.insert(tx, p.projectId(), name, condition, now);
                if (members != null) {
                    for (String c : members) customers.ensure(tx, p.projectId(), c, now);
                    segments.addMembers(tx, p.projectId(), name, members);
                }
                return null;
            });
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) throw Failure.conflict("name_taken", "a segment named '" + name + "' exists");
            throw e;
        }
        profiles.invalidate(p.projectId());
        json(ctx, 201, segmentView(segments.find(p.projectId(), name).orElseThrow()));
    }

    private void listSegments(Context ctx) {
        Principal p = api.reader(ctx);
        json(ctx, 200, Api.page(segments.all(p.projectId()).stream().map(CustomerRoutes::segmentView).toList(), null));
    }

    private void getSegment(Context ctx) {
        Principal p = api.reader(ctx);
        json(ctx, 200, segmentView(segment(p, ctx.pathParam("name"))));
    }

    private SegmentStore.Segment segment(Principal p, String name) {
        return segments.find(p.projectId(), name).orElseThrow(() -> Failure.notFound("segment " + name));
    }

    private void deleteSegment(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        if (!segments.delete(p.projectId(), ctx.pathParam("name"))) throw Failure.notFound("segment " + ctx.pathParam("name"));
        profiles.invalidate(p.projectId());
        ctx.status(204);
    }

    private void addMembers(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        Instant now = api.now(ctx);
        SegmentStore.Segment s = segment(p, ctx.pathParam("name"));
        Input in = api.input(ctx).allow(Set.of("customers"));
        List<String> members = in.strings("customers", true);
        if (s.dynamic()) in.fail("customers", "segment " + s.name() + " is dynamic: its members follow its condition");
        if (members != null) {
            for (int i = 0; i < members.size(); i++)
                if (!Checks.ID.matcher(members.get(i)).matches()) in.fail("customers[" + i + "]", "is not a valid customer id");
        }
        in.check();
        db.transaction(tx -> {
            for (String c : members) customers.ensure(tx, p.projectId(), c, now);
            segments.addMembers(tx, p.projectId(), s.name(), members);
            return null;
        });
        json(ctx, 200, segmentView(s));
    }

    private void listMembers(Context ctx) {
        Principal p = api.reader(ctx);
        SegmentStore.Segment s = segment(p, ctx.pathParam("name"));
        int limit = Api.limit(ctx);
        List<String> ids = segments.members(p.projectId(), s.name(), ctx.queryParam("cursor"), limit + 1);
        List<String> data = ids.subList(0, Math.min(limit, ids.size()));
        json(ctx, 200, Api.page(data, ids.size() > limit ? ids.get(limit - 1) : null));
    }

    private void removeMember(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        SegmentStore.Segment s = segment(p, ctx.pathParam("name"));
        if (!segments.removeMember(p.projectId(), s.name(), ctx.pathParam("customer")))
            throw Failure.notFound("member " + ctx.pathParam("customer"));
        ctx.status(204);
    }

    static Map<String, Object> segmentView(SegmentStore.Segment s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("type", s.dynamic() ? "DYNAMIC" : "STATIC");
        m.put("condition", s.condition());
        m.put("createdAt", s.createdAt());
        return m;
    }
}
