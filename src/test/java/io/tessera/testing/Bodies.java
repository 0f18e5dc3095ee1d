package io.tessera.testing;

import java.util.List;
import java.util.Map;

/** Small request bodies shared by tests. */
public final class Bodies {
    private Bodies() {
    }

    public static Map<String, Object> item(String sku, long price, long quantity) {
        return Map.of("sku", sku, "product", sku.toLowerCase(), "categories", List.of(), "price", price, "quantity", quantity);
    }

    public static Map<String, Object> order(long price) {
        return Map.of("currency", "USD", "items", List.of(item("A", price, 1)), "shipping", 0);
    }

    public static Map<String, Object> checkout(String customer, List<String> codes, long price) {
        return customer == null ? Map.of("codes", codes, "order", order(price))
                : Map.of("customer", customer, "codes", codes, "order", order(price));
    }

    public static Map<String, Object> universal(String name, String code, Map<String, Object> discount,
                                                Map<String, Object> limits) {
        return Map.of("name", name, "type", "CODES", "codes", Map.of("mode", "UNIVERSAL", "code", code),
                "discount", discount, "limits", limits);
    }

    public static Map<String, Object> amount(long amount) {
        return Map.of("type", "AMOUNT", "amount", amount);
    }
}
