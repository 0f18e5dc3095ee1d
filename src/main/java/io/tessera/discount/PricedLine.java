package io.tessera.discount;

/** A line after discounts; {@code added} marks a free item the engine added to the order. */
public record PricedLine(String sku, long quantity, long price, long amount, long discount, long total,
                         boolean added) {
}
