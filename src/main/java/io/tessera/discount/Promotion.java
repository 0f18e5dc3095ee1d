package io.tessera.discount;

import io.tessera.rule.Condition;
import java.time.Instant;
import java.util.Map;

/**
 * A campaign compiled for the engine: conditions, selectors and formulas are already compiled.
 * {@code sequence} is the creation order, used to order automatic promotions of equal priority.
 */
public record Promotion(String id, String name, PromotionKind kind, boolean active, Instant startsAt, Instant endsAt,
                        Condition condition, Discount discount, Stacking stacking, String currency, Limits limits,
                        Map<String, Object> metadata, long sequence) {
}
