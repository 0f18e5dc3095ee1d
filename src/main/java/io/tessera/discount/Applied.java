package io.tessera.discount;

import java.util.List;

/**
 * A discount that applies. {@code discount = itemsDiscount + shippingDiscount}; {@code items} lists the per-line
 * shares of the items discount (lines with a share of 0 omitted); {@code counters} are the limit counters a redemption
 * of it takes from, amounts already filled in; {@code tier} is the tier reached by a tiered discount (null otherwise).
 */
public record Applied(Promotion promotion, String code, long discount, long itemsDiscount, long shippingDiscount,
                      List<LineDiscount> items, List<CounterUse> counters, Discount.Tier tier) {
}
