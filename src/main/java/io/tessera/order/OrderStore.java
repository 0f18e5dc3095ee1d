package io.tessera.order;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import io.tessera.core.Json;
import io.tessera.db.Database;
import io.tessera.db.Sql;
import io.tessera.discount.Cart;
import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** Order rows, and the discounts of the redemption an order links. */
public final class OrderStore {
    private final Database db;

    public OrderStore(Database db) {
        this.db = db;
    }

    /** The stored order, as much of it as an update needs (locked for the rest of {@code tx}). */
    record Existing(String status, String customerId, long total, Instant createdAt) {
    }

    /** The discounts of a redemption that still stands; zero for a rolled-back one; empty for an unknown id. */
    record Discounts(long discount, long shippingDiscount) {
    }

    Optional<Discounts> redemptionDiscounts(String projectId, String redemptionId) {
        return db.dsl().fetchOptional("select discount, shipping_discount, status from redemptions "
                + "where project_id = ? and id = ?", projectId, redemptionId).map(r -> "REDEEMED".equals(
                r.get("status", String.class)) ? new Discounts(Sql.longValue(r.get("discount")),
                Sql.longValue(r.get("shipping_discount"))) : new Discounts(0, 0));
    }

    Optional<Existing> lock(DSLContext tx, String projectId, String id) {
        return tx.fetchOptional("select status, customer_id, total, created_at from orders where project_id = ? "
                + "and id = ? for update", projectId, id).map(r -> new Existing(r.get("status", String.class),
                r.get("customer_id", String.class), Sql.longValue(r.get("total")), instant(r, "created_at")));
    }

    void upsert(DSLContext tx, String projectId, boolean exists, Order o, Cart cart, Instant now) {
        if (!exists) {
            tx.execute("insert into orders (project_id, id, customer_id, status, currency, subtotal, shipping, discount, "
                            + "shipping_discount, total, redemption_id, items, created_at, updated_at) "
                            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", projectId, o.id(), o.customer(),
                    o.status(), o.currency(), o.subtotal(), o.shipping(), o.discount(), o.shippingDiscount(), o.total(),
                    o.redemption(), Json.text(cart.lines()), ts(now), ts(now));
        } else {
            tx.execute("update orders set customer_id = ?, status = ?, currency = ?, subtotal = ?, shipping = ?, "
                            + "discount = ?, shipping_discount = ?, total = ?, redemption_id = ?, items = ?, updated_at = ? "
                            + "where project_id = ? and id = ?", o.customer(), o.status(), o.currency(), o.subtotal(),
                    o.shipping(), o.discount(), o.shippingDiscount(), o.total(), o.redemption(),
                    Json.text(cart.lines()), ts(now), projectId, o.id());
        }
    }

    Optional<Order> find(String projectId, String id) {
        return db.dsl().fetchOptional("select * from orders where project_id = ? and id = ?", projectId, id)
                .map(OrderStore::order);
    }

    private static Order order(Record r) {
        return new Order(r.get("id", String.class), r.get("customer_id", String.class), r.get("status", String.class),
                r.get("currency", String.class), Json.parse(r.get("items", String.class)), Sql.longValue(r.get("subtotal")),
                Sql.longValue(r.get("shipping")), Sql.longValue(r.get("discount")),
                Sql.longValue(r.get("shipping_discount")), Sql.longValue(r.get("total")),
                r.get("redemption_id", String.class), instant(r, "created_at"), instant(r, "updated_at"));
    }
}
