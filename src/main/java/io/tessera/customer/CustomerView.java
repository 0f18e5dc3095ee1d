package io.tessera.customer;

import io.tessera.discount.Shopper;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A customer as the API shows it, with the segments it is in now. */
public record CustomerView(String id, Map<String, Object> attributes, Map<String, Object> consents,
                           List<String> segments, Orders orders, boolean isNew, Instant createdAt, Instant updatedAt,
                           Instant erasedAt) {
    public record Orders(long count, long total) {
    }

    static CustomerView of(CustomerRow row, Shopper shopper) {
        return new CustomerView(row.id(), row.attributes(), row.consents(), shopper.segments(),
                new Orders(row.ordersCount(), row.ordersTotal()), row.ordersCount() == 0, row.createdAt(),
                row.updatedAt(), row.erasedAt());
    }
}
