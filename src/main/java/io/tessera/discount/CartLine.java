package io.tessera.discount;

import java.util.List;
import java.util.Map;

/** One line of the caller's order: a unit price in minor units times a quantity. */
public record CartLine(String sku, String product, List<String> categories, long price, long quantity,
                       Map<String, Object> attributes) {
    public long amount() {
        return price * quantity;
    }
}
