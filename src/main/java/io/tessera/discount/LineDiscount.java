package io.tessera.discount;

/** The share of one applied discount that fell on line {@code line} (index into the priced order's items). */
public record LineDiscount(int line, String sku, long discount) {
}
