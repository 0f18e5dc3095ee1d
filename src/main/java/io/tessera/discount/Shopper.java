package io.tessera.discount;

import io.tessera.rule.Activation;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The customer as the engine sees it; {@code id == null} means an anonymous order. {@code loyalty} is
 * {@code customer.loyalty} (program name → balance and tier), filled only when an expression of the project reads it.
 * {@code lastOrderAt} (null: no paid order), {@code redeemed} and {@code events} are the customer data kept on the
 * customer row ({@code customer.orders.lastAt}, {@code customer.redeemed}, {@code customer.events}).
 */
public record Shopper(String id, Map<String, Object> attributes, List<String> segments, Instant createdAt,
                      long ordersCount, long ordersTotal, Map<String, Activation.LoyaltyAccount> loyalty,
                      Instant lastOrderAt, Map<String, Long> redeemed, Map<String, Activation.EventSummary> events) {
    public static final Shopper ANONYMOUS = new Shopper(null, Map.of(), List.of(), null, 0, 0);

    public Shopper(String id, Map<String, Object> attributes, List<String> segments, Instant createdAt,
                   long ordersCount, long ordersTotal) {
        this(id, attributes, segments, createdAt, ordersCount, ordersTotal, Map.of());
    }

    public Shopper(String id, Map<String, Object> attributes, List<String> segments, Instant createdAt,
                   long ordersCount, long ordersTotal, Map<String, Activation.LoyaltyAccount> loyalty) {
        this(id, attributes, segments, createdAt, ordersCount, ordersTotal, loyalty, null, Map.of(), Map.of());
    }

    public boolean anonymous() {
        return id == null;
    }

    public boolean isNew() {
        return ordersCount == 0;
    }

    /** This shopper with {@code customer.loyalty} as given. */
    public Shopper withLoyalty(Map<String, Activation.LoyaltyAccount> accounts) {
        return new Shopper(id, attributes, segments, createdAt, ordersCount, ordersTotal, accounts, lastOrderAt,
                redeemed, events);
    }

    /** This shopper in these segments. */
    public Shopper withSegments(List<String> names) {
        return new Shopper(id, attributes, names, createdAt, ordersCount, ordersTotal, loyalty, lastOrderAt, redeemed,
                events);
    }
}
