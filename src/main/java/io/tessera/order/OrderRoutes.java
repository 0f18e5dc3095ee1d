package io.tessera.order;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;
import static io.tessera.http.Api.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.customer.CustomerStore;
import io.tessera.db.Database;
import io.tessera.db.Sql;
import io.tessera.discount.Cart;
import io.tessera.http.Api;
import io.tessera.core.Failure;
import io.tessera.core.Checks;
import io.tessera.core.Input;
import io.tessera.core.Json;
import io.tessera.core.Principal;
import io.tessera.http.Routes;
import io.tessera.core.Scope;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jooq.Record;

/**
 * {@code POST /v1/orders} upserts an order. Becoming {@code PAID} counts it in the customer's order statistics;
 * leaving {@code PAID} (cancelled, refunded) takes it out again.
 */
public final class OrderRoutes implements Routes {
    static final Set<String> STATUSES = Set.of("CREATED", "PAID", "CANCELLED", "REFUNDED");
    private final Api api;
    private final Database db;
    private final CustomerStore customers;

    public OrderRoutes(Api api, Database db, CustomerStore customers) {
        this.api = api;
        this.db = db;
        this.customers = customers;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post("/v1/orders", this::upsert);
        r.get("/v1/orders/{id}", this::get);
    }

    private void upsert(Context ctx) {
        Principal p = api.project(ctx, Scope.REDEEM);
        Instant now = api.now(ctx);
        Input in = api.input(ctx).allow(Set.of("id", "customer", "status", "currency", "items", "shipping", "redemption"));
        String id = in.string("id", true, Checks.ID, "1-128 characters without spaces, '/', '?' or '#'");
        String customer = in.string("customer", false, Checks.ID, "a customer id");
        String status = in.string("status", true);
        if (status != null && !STATUSES.contains(status)) in.fail("status", "must be CREATED, PAID, CANCELLED or REFUNDED");
        Cart cart = CartInput.read(in);
        String redemption = in.string("redemption", false);
        in.check();
        long discount = 0, shippingDiscount = 0;
        if (redemption != null) {
            Record r = db.dsl().fetchOptional("select discount, shipping_discount, status, customer_id from redemptions "
                    + "where project_id = ? and id = ?", p.projectId(), redemption).orElseThrow(
                    () -> Failure.invalid("redemption", "no redemption " + redemption + " in this project"));
            if ("REDEEMED".equals(r.get("status", String.class))) {
                discount = Sql.longValue(r.get("discount"));
                shippingDiscount = Sql.longValue(r.get("shipping_discount"));
            }
        }
        long subtotal = cart.subtotal();
        long total = Math.max(0, subtotal + cart.shipping() - discount - shippingDiscount);
        long d = discount, sd = shippingDiscount;
        boolean created = db.transaction(tx -> {
            Record old = tx.fetchOptional("select status, customer_id, total from orders where project_id = ? and id = ? for update",
                    p.projectId(), id).orElse(null);
            if (customer != null) customers.ensure(tx, p.projectId(), customer, now);
            if (old == null) {
                tx.execute("insert into orders (project_id, id, customer_id, status, currency, subtotal, shipping, discount, "
                                + "shipping_discount, total, redemption_id, items, created_at, updated_at) "
                                + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", p.projectId(), id, customer, status,
                        cart.currency(), subtotal, cart.shipping(), d, sd, total, redemption, Json.text(cart.lines()),
                        ts(now), ts(now));
            } else {
                tx.execute("update orders set customer_id = ?, status = ?, currency = ?, subtotal = ?, shipping = ?, discount = ?, "
                                + "shipping_discount = ?, total = ?, redemption_id = ?, items = ?, updated_at = ? "
                                + "where project_id = ? and id = ?", customer, status, cart.currency(), subtotal,
                        cart.shipping(), d, sd, total, redemption, Json.text(cart.lines()), ts(now), p.projectId(), id);
            }
            boolean wasPaid = old != null && "PAID".equals(old.get("status", String.class));
            String oldCustomer = old == null ? null : old.get("customer_id", String.class);
            if (wasPaid && oldCustomer != null)
                customers.addPaidOrder(tx, p.projectId(), oldCustomer, -1, -Sql.longValue(old.get("total")));
            if ("PAID".equals(status) && customer != null) customers.addPaidOrder(tx, p.projectId(), customer, 1, total);
            return old == null;
        });
        json(ctx, created ? 201 : 200, view(find(p, id)));
    }

    private void get(Context ctx) {
        Principal p = api.reader(ctx);
        json(ctx, 200, view(find(p, ctx.pathParam("id"))));
    }

    private Record find(Principal p, String id) {
        return db.dsl().fetchOptional("select * from orders where project_id = ? and id = ?", p.projectId(), id)
                .orElseThrow(() -> Failure.notFound("order " + id));
    }

    private static Map<String, Object> view(Record r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.get("id", String.class));
        m.put("customer", r.get("customer_id", String.class));
        m.put("status", r.get("status", String.class));
        m.put("currency", r.get("currency", String.class));
        JsonNode items = Json.parse(r.get("items", String.class));
        m.put("items", items);
        m.put("subtotal", Sql.longValue(r.get("subtotal")));
        m.put("shipping", Sql.longValue(r.get("shipping")));
        m.put("discount", Sql.longValue(r.get("discount")));
        m.put("shippingDiscount", Sql.longValue(r.get("shipping_discount")));
        m.put("total", Sql.longValue(r.get("total")));
        m.put("redemption", r.get("redemption_id", String.class));
        m.put("createdAt", instant(r, "created_at"));
        m.put("updatedAt", instant(r, "updated_at"));
        return m;
    }
}
