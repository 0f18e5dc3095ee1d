package io.tessera.discount;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The customer as the engine sees it; {@code id == null} means an anonymous order. */
public record Shopper(String id, Map<String, Object> attributes, List<String> segments, Instant createdAt,
                      long ordersCount, long ordersTotal) {
    public static final Shopper ANONYMOUS = new Shopper(null, Map.of(), List.of(), null, 0, 0);

    public boolean anonymous() {
        return id == null;
    }

    public boolean isNew() {
        return ordersCount == 0;
    }
}
