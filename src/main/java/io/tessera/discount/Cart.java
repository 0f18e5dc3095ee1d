package io.tessera.discount;

import java.util.List;

/** The order as the engine sees it; amounts in minor units of {@code currency}. */
public record Cart(String currency, List<CartLine> lines, long shipping) {
    public long subtotal() {
        long s = 0;
        for (CartLine l : lines) s += l.amount();
        return s;
    }
}
