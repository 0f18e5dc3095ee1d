package io.tessera.rule;

import io.tessera.discount.Cart;
import io.tessera.discount.Shopper;
import java.time.Instant;
import java.util.Map;

/** The CEL variables of one evaluation (customer, order, context, now), built once and shared by every rule. */
public final class Activation {
    // TODO(engine helper): implement
    public static Activation of(Shopper shopper, Cart cart, Map<String, Object> context, Instant now) {
        throw new UnsupportedOperationException();
    }
}
