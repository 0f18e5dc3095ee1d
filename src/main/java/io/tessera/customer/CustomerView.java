package io.tessera.customer;

import io.tessera.discount.Shopper;
import io.tessera.rule.Activation;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A customer as the API shows it, with the segments it is in now and the customer data conditions read
 * ({@code orders.lastAt}, {@code redeemed}, {@code events}).
 */
public record CustomerView(String id, Map<String, Object> attributes, Map<String, Object> consents,
                           List<String> segments, Orders orders, boolean isNew, Map<String, Long> redeemed,
                           Map<String, Activation.EventSummary> events, Instant createdAt, Instant updatedAt,
                           Instant erasedAt) {
    /** {@code lastAt}: null when there is no paid order. */
    public record Orders(long count, long total, Instant lastAt) {
    }

    static CustomerView of(CustomerRow row, Shopper shopper) {
        return new CustomerView(row.id(), row.attributes(), row.consents(), shopper.segments(),
                new Orders(row.ordersCount(), row.ordersTotal(), row.lastOrderAt()), row.ordersCount() == 0,
                row.redeemed(), row.events(), row.createdAt(), row.updatedAt(), row.erasedAt());
    }
}
