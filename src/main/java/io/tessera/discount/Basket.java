package io.tessera.discount;

import java.util.ArrayList;
import java.util.List;

/**
 * The order while discounts are applied one after another: what is left of every cart line and of the shipping,
 * and the free lines added so far. Discounts compute on the remaining amounts, so none takes anything below 0.
 * Units of a line are interchangeable: a line's remaining amount is spread evenly over its units.
 */
final class Basket {
    private final Cart cart;
    private final long[] remaining;
    private final long[] discount;
    private long shippingLeft;
    private long shippingDiscount;
    private final List<CartLine> added = new ArrayList<>(0);

    Basket(Cart cart) {
        this.cart = cart;
        int n = cart.lines().size();
        remaining = new long[n];
        discount = new long[n];
        for (int i = 0; i < n; i++) remaining[i] = Math.max(0, cart.lines().get(i).amount());
        shippingLeft = Math.max(0, cart.shipping());
    }

    /** Number of the caller's lines (added lines are never eligible for other discounts). */
    int size() {
        return remaining.length;
    }

    CartLine line(int i) {
        return cart.lines().get(i);
    }

    long remaining(int i) {
        return remaining[i];
    }

    long quantity(int i) {
        return Math.max(0, cart.lines().get(i).quantity());
    }

    /** Value of the cheapest unit of line i: units share the remaining amount evenly, the odd cents on some. */
    long cheapestUnit(int i) {
        long q = quantity(i);
        return q == 0 ? 0 : remaining[i] / q;
    }

    long dearestUnit(int i) {
        long q = quantity(i);
        return q == 0 ? 0 : remaining[i] / q + (remaining[i] % q == 0 ? 0 : 1);
    }

    /** Value of the {@code units} dearest units of line i (the ones carrying an odd cent first). */
    long dearestUnitsValue(int i, long units) {
        long q = quantity(i);
        if (units >= q) return remaining[i];
        return units * (remaining[i] / q) + Math.min(units, remaining[i] % q);
    }

    long shippingLeft() {
        return shippingLeft;
    }

    /** Takes the effect off the order; returns the priced-order index of the line it added, or -1. */
    int apply(Effect effect) {
        for (int i = 0; i < remaining.length; i++) {
            remaining[i] -= effect.lines()[i];
            discount[i] += effect.lines()[i];
        }
        shippingLeft -= effect.shipping();
        shippingDiscount += effect.shipping();
        if (effect.added() == null) return -1;
        added.add(effect.added());
        return remaining.length + added.size() - 1;
    }

    PricedOrder priced() {
        List<PricedLine> items = new ArrayList<>(remaining.length + added.size());
        long subtotal = 0;
        long itemsDiscount = 0;
        for (int i = 0; i < remaining.length; i++) {
            CartLine l = line(i);
            long amount = l.amount();
            items.add(new PricedLine(l.sku(), l.quantity(), l.price(), amount, discount[i], amount - discount[i],
                    false));
            subtotal += amount;
            itemsDiscount += discount[i];
        }
        for (CartLine l : added) {
            items.add(new PricedLine(l.sku(), l.quantity(), l.price(), l.amount(), l.amount(), 0, true));
            subtotal += l.amount();
            itemsDiscount += l.amount();
        }
        long shipping = cart.shipping();
        return new PricedOrder(cart.currency(), subtotal, shipping, itemsDiscount, shippingDiscount,
                subtotal + shipping - itemsDiscount - shippingDiscount, List.copyOf(items));
    }
}
