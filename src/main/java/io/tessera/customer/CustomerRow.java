package io.tessera.customer;

import io.tessera.rule.Activation;
import java.time.Instant;
import java.util.Map;

/**
 * A stored customer: attributes, consents, paid-order statistics, and the customer data conditions read
 * ({@code lastOrderAt}: the newest paid order's time, null when none; {@code redeemed}: campaign name → standing
 * redemptions; {@code events}: event type → summary), kept up to date by the writes that change them.
 */
public record CustomerRow(String id, Map<String, Object> attributes, Map<String, Object> consents, long ordersCount,
                          long ordersTotal, Instant createdAt, Instant updatedAt, Instant erasedAt, Instant lastOrderAt,
                          Map<String, Long> redeemed, Map<String, Activation.EventSummary> events) {

    public CustomerRow(String id, Map<String, Object> attributes, Map<String, Object> consents, long ordersCount,
                       long ordersTotal, Instant createdAt, Instant updatedAt, Instant erasedAt) {
        this(id, attributes, consents, ordersCount, ordersTotal, createdAt, updatedAt, erasedAt, null, Map.of(),
                Map.of());
    }

    /** A customer not stored yet, as it would be created now. */
    public static CustomerRow blank(String id, Instant now) {
        return new CustomerRow(id, Map.of(), Map.of(), 0, 0, now, now, null);
    }

    /**
     * This customer as it was when it had {@code count} paid orders worth {@code total}, the last at {@code lastAt}
     * (null: none) — a simulation's replay; the rest as it is now.
     */
    public CustomerRow withOrders(long count, long total, Instant lastAt) {
        return new CustomerRow(id, attributes, consents, count, total, createdAt, updatedAt, erasedAt, lastAt, redeemed,
                events);
    }

    /** This customer with {@code patch} merged into its attributes (a null value removes the key). */
    public CustomerRow withAttributes(Map<String, Object> patch) {
        return new CustomerRow(id, CustomerStore.merge(attributes, patch), consents, ordersCount, ordersTotal, createdAt,
                updatedAt, erasedAt, lastOrderAt, redeemed, events);
    }

    /** This customer with these attributes and consents, changed at {@code at} (no longer erased); the rest as it is. */
    CustomerRow changed(Map<String, Object> attrs, Map<String, Object> cons, Instant at) {
        return new CustomerRow(id, attrs, cons, ordersCount, ordersTotal, createdAt, at, null, lastOrderAt, redeemed,
                events);
    }
}
