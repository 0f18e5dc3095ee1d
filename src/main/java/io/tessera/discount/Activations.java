package io.tessera.discount;

import io.tessera.rule.Activation;
import java.time.Instant;
import java.util.Map;

/** The CEL variables of the engine's types: the shopper as {@code customer}, the cart as {@code order}. */
public final class Activations {
    private Activations() {
    }

    /** A null shopper is an anonymous order; a null cart an empty order. */
    public static Activation of(Shopper shopper, Cart cart, Map<String, Object> context, Instant now) {
        Activation.Builder b = builder(shopper).context(context).now(now);
        if (cart != null) {
            b.order(null, cart.currency(), cart.shipping());
            for (CartLine l : cart.lines()) {
                b.item(l.sku(), l.product(), l.categories(), l.price(), l.quantity(), l.attributes());
            }
        }
        return b.build();
    }

    /**
     * A builder whose {@code customer} is the shopper, every part of it (what a loyalty earning rule or an automation
     * adds its order or event to); a null shopper is an anonymous order.
     */
    public static Activation.Builder builder(Shopper shopper) {
        Shopper s = shopper == null ? Shopper.ANONYMOUS : shopper;
        return Activation.builder()
                .customer(s.id(), s.attributes(), s.segments(), s.createdAt(), s.ordersCount(), s.ordersTotal(),
                        s.lastOrderAt(), s.loyalty())
                .customerData(s.redeemed(), s.events());
    }
}
