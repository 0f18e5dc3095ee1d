package io.tessera.discount;

import io.tessera.rule.Activation;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The customer as the engine sees it; {@code id == null} means an anonymous order. {@code loyalty} is
 * {@code customer.loyalty} (program name → balance and tier), filled only when an expression of the project reads it.
 */
public record Shopper(String id, Map<String, Object> attributes, List<String> segments, Instant createdAt,
                      long ordersCount, long ordersTotal, Map<String, Activation.LoyaltyAccount> loyalty) {
    public static final Shopper ANONYMOUS = new Shopper(null, Map.of(), List.of(), null, 0, 0);

    public Shopper(String id, Map<String, Object> attributes, List<String> segments, Instant createdAt,
                   long ordersCount, long ordersTotal) {
        this(id, attributes, segments, createdAt, ordersCount, ordersTotal, Map.of());
    }

    public boolean anonymous() {
        return id == null;
    }

    public boolean isNew() {
        return ordersCount == 0;
    }
}
