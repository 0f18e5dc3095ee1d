package io.tessera.order;

import io.tessera.core.Failure;
import io.tessera.core.ProjectContext;
import io.tessera.customer.CustomerStore;
import io.tessera.db.Database;
import io.tessera.discount.Cart;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Orders sent by the shop. Becoming {@code PAID} counts an order in its customer's statistics (count, total,
 * {@code orders.lastAt}); leaving {@code PAID} (cancelled, refunded) takes it out again. Orders are checkout traffic: not in the audit log.
 */
public final class OrderService {
    static final Set<String> STATUSES = Set.of("CREATED", "PAID", "CANCELLED", "REFUNDED");
    private final Database db;
    private final OrderStore store;
    private final CustomerStore customers;
    private final List<OrderChanges> changes;

    /** {@code changes} are told of every upsert in this order (loyalty earning, referral conversion, ...). */
    public OrderService(Database db, OrderStore store, CustomerStore customers, List<OrderChanges> changes) {
        this.db = db;
        this.store = store;
        this.customers = customers;
        this.changes = List.copyOf(changes);
    }

    /** The upserted order, and whether it was new. */
    public record Saved(Order order, boolean created) {
    }

    public Saved upsert(ProjectContext p, String id, String customer, String status, Cart cart, String redemption,
                        Instant now) {
        OrderStore.Discounts d = redemption == null ? new OrderStore.Discounts(0, 0)
                : store.redemptionDiscounts(p.id(), redemption).orElseThrow(
                () -> Failure.invalid("redemption", "no redemption " + redemption + " in this project"));
        long total = Math.max(0, cart.subtotal() + cart.shipping() - d.discount() - d.shippingDiscount());
        Order o = new Order(id, customer, status, cart.currency(), null, cart.subtotal(), cart.shipping(), d.discount(),
                d.shippingDiscount(), total, redemption, now, now);
        boolean created = db.transaction(tx -> {
            OrderStore.Existing old = store.lock(tx, p.id(), id).orElse(null);
            if (customer != null) customers.ensure(tx, p.id(), customer, now);
            store.upsert(tx, p.id(), old != null, o, cart, now);
            boolean wasPaid = old != null && "PAID".equals(old.status()) && old.customerId() != null;
            boolean paid = "PAID".equals(status) && customer != null;
            if (wasPaid) customers.addPaidOrder(tx, p.id(), old.customerId(), -1, -old.total());
            if (paid) {
                customers.addPaidOrder(tx, p.id(), customer, 1, total);
                // customer.orders.lastAt is when the newest paid order was placed (first sent).
                customers.paidOrderAt(tx, p.id(), customer, old == null ? now : old.createdAt());
            }
            if (wasPaid && !(paid && customer.equals(old.customerId())))
                customers.recomputeLastOrder(tx, p.id(), old.customerId());
            // Loyalty earns on PAID and reverses on CANCELLED/REFUNDED, referrals convert, in this transaction: the
            // order row lock makes re-sent statuses apply one after another.
            for (OrderChanges c : changes) c.changed(tx, p, o, old == null ? null : old.status(), cart, now);
            return old == null;
        });
        return new Saved(get(p, id), created);
    }

    public Order get(ProjectContext p, String id) {
        return store.find(p.id(), id).orElseThrow(() -> Failure.notFound("order " + id));
    }
}
