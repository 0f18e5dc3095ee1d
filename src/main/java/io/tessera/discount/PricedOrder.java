package io.tessera.discount;

import java.util.List;

/** The order after discounts: {@code total = subtotal + shipping - discount - shippingDiscount}. */
public record PricedOrder(String currency, long subtotal, long shipping, long discount, long shippingDiscount,
                          long total, List<PricedLine> items) {
}
