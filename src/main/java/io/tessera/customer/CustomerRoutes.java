package io.tessera.customer;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.http.Api;
import io.tessera.core.Failure;
import io.tessera.core.Checks;
import io.tessera.core.Input;
import io.tessera.core.Principal;
import io.tessera.http.Routes;
import io.tessera.core.Scope;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /v1/customers} and {@code /v1/segments}. */
public final class CustomerRoutes implements Routes {
    private static final Set<String> PAGING = Set.of("limit", "cursor");
    private final Api api;
    private final CustomerService service;

    public CustomerRoutes(Api api, CustomerService service) {
        this.api = api;
        this.service = service;
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
        json(ctx, 200, service.put(p.project(), p.actor(), id, attributes, consents, api.now(ctx)));
    }

    private void get(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of());
        json(ctx, 200, service.get(p.project(), ctx.pathParam("id"), api.now(ctx)));
    }

    private void list(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, PAGING);
        json(ctx, 200, service.list(p.project(), Api.page(ctx), api.now(ctx)));
    }

    private void erase(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        String id = ctx.pathParam("id");
        service.erase(p.project(), p.actor(), id, api.now(ctx));
        json(ctx, 200, new Erased(id, true));
    }

    /** The answer to an erasure. */
    public record Erased(String id, boolean erased) {
    }

    private void export(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of());
        json(ctx, 200, service.export(p.project(), ctx.pathParam("id"), api.now(ctx)));
    }

    private void createSegment(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        Input in = api.input(ctx).allow(Set.of("name", "condition", "customers"));
        String name = in.string("name", true, Checks.NAME, Checks.NAME_RULE);
        String condition = in.string("condition", false);
        List<String> members = customerIds(in, "customers", false);
        if (condition != null && members != null)
            in.fail("customers", "a segment is either dynamic (condition) or static (customers), not both");
        in.check();
        json(ctx, 201, service.createSegment(p.project(), p.actor(), name, condition, members, api.now(ctx)));
    }

    private static List<String> customerIds(Input in, String field, boolean required) {
        List<String> ids = in.strings(field, required);
        if (ids != null) {
            for (int i = 0; i < ids.size(); i++)
                if (!Checks.ID.matcher(ids.get(i)).matches()) in.fail(field + "[" + i + "]", "is not a valid customer id");
        }
        return ids;
    }

    private void listSegments(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, PAGING);
        json(ctx, 200, service.segments(p.project(), Api.page(ctx)));
    }

    private void getSegment(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of());
        json(ctx, 200, service.getSegment(p.project(), ctx.pathParam("name")));
    }

    private void deleteSegment(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        service.deleteSegment(p.project(), p.actor(), ctx.pathParam("name"), api.now(ctx));
        ctx.status(204);
    }

    private void addMembers(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        Input in = api.input(ctx).allow(Set.of("customers"));
        List<String> members = customerIds(in, "customers", true);
        in.check();
        json(ctx, 200, service.addMembers(p.project(), p.actor(), ctx.pathParam("name"), members, api.now(ctx)));
    }

    private void listMembers(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, PAGING);
        json(ctx, 200, service.members(p.project(), ctx.pathParam("name"), Api.page(ctx)));
    }

    private void removeMember(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        service.removeMember(p.project(), p.actor(), ctx.pathParam("name"), ctx.pathParam("customer"), api.now(ctx));
        ctx.status(204);
    }
}
