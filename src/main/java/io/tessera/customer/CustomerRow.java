package io.tessera.customer;

import java.time.Instant;
import java.util.Map;

/** A stored customer: attributes, consents and paid-order statistics. */
public record CustomerRow(String id, Map<String, Object> attributes, Map<String, Object> consents, long ordersCount,
                          long ordersTotal, Instant createdAt, Instant updatedAt, Instant erasedAt) {
}
