package io.tessera.order;

import io.tessera.core.ProjectContext;
import io.tessera.discount.Cart;
import java.time.Instant;
import org.jooq.DSLContext;

/**
 * What follows an order's status change inside the order's transaction (loyalty earning on {@code PAID}, reversal on
 * {@code CANCELLED}/{@code REFUNDED}). Implemented by features above orders and plugged in by {@code Application}, so
 * orders depend on none of them.
 */
public interface OrderChanges {
    /** Nothing follows: for servers wired without such features. */
    OrderChanges NONE = (tx, project, order, previousStatus, cart, now) -> {
    };

    /**
     * Called once per upsert, after the order row is written, with the status it had before ({@code null} for a new
     * order). {@code order.items()} is null: the lines are in {@code cart}.
     */
    void changed(DSLContext tx, ProjectContext project, Order order, String previousStatus, Cart cart, Instant now);
}
