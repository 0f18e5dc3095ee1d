package io.tessera.order;

import io.tessera.discount.Cart;
import io.tessera.discount.CartLine;
import io.tessera.core.Checks;
import io.tessera.core.Input;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the caller's order ({@code currency, items[], shipping}) into a {@link Cart}, naming every bad field. */
public final class CartInput {
    public static final int MAX_LINES = 500;
    private static final Set<String> LINE_FIELDS = Set.of("sku", "product", "categories", "price", "quantity", "attributes");

    private CartInput() {
    }

    /** Reads {@code currency}, {@code items} and {@code shipping} of {@code o}; null if something was wrong. */
    public static Cart read(Input o) {
        String currency = Checks.currency(o, "currency", true);
        List<Input> items = o.objects("items", true);
        if (items.size() > MAX_LINES) o.fail("items", "at most " + MAX_LINES + " lines");
        List<CartLine> lines = new ArrayList<>(items.size());
        for (Input it : items) {
            it.allow(LINE_FIELDS);
            String sku = it.string("sku", true);
            String product = it.string("product", false);
            List<String> categories = it.strings("categories", false);
            Long price = it.integer("price", true, 0, Checks.MAX_AMOUNT);
            Long quantity = it.has("quantity") ? it.integer("quantity", true, 1, Checks.MAX_QUANTITY) : Long.valueOf(1);
            Map<String, Object> attributes = it.map("attributes");
            if (sku != null && sku.isEmpty()) it.fail("sku", "must not be empty");
            // Both bounds keep price x quantity, and the sum of 500 lines, far from long overflow.
            if (price != null && quantity != null && price * quantity > Checks.MAX_AMOUNT)
                it.fail("quantity", "price x quantity must not exceed " + Checks.MAX_AMOUNT + " minor units");
            if (sku != null && price != null && quantity != null) {
                lines.add(new CartLine(sku, product, categories == null ? List.of() : List.copyOf(categories), price,
                        quantity, attributes == null ? Map.of() : attributes));
            }
        }
        Long shipping = o.integer("shipping", false, 0, Checks.MAX_AMOUNT);
        if (!o.ok()) return null;
        return new Cart(currency, List.copyOf(lines), shipping == null ? 0 : shipping);
    }
}
