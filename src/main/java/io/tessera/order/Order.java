package io.tessera.order;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** An order as stored and shown: {@code total = subtotal + shipping − discount − shippingDiscount}. */
public record Order(String id, String customer, String status, String currency, JsonNode items, long subtotal,
                    long shipping, long discount, long shippingDiscount, long total, String redemption,
                    Instant createdAt, Instant updatedAt) {
}
