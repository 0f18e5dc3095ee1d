package io.tessera.customer;

import java.time.Instant;
import java.util.Map;

/** A stored customer: attributes, consents and paid-order statistics. */
public record CustomerRow(String id, Map<String, Object> attributes, Map<String, Object> consents, long ordersCount,
                          long ordersTotal, Instant createdAt, Instant updatedAt, Instant erasedAt) {

    /** A customer not stored yet, as it would be created now. */
    public static CustomerRow blank(String id, Instant now) {
        return new CustomerRow(id, Map.of(), Map.of(), 0, 0, now, now, null);
    }

    /** This customer as it was when it had {@code count} paid orders worth {@code total} (a simulation's replay). */
    public CustomerRow withOrders(long count, long total) {
        return new CustomerRow(id, attributes, consents, count, total, createdAt, updatedAt, erasedAt);
    }

    /** This customer with {@code patch} merged into its attributes (a null value removes the key). */
    public CustomerRow withAttributes(Map<String, Object> patch) {
        return new CustomerRow(id, CustomerStore.merge(attributes, patch), consents, ordersCount, ordersTotal, createdAt,
                updatedAt, erasedAt);
    }
}
