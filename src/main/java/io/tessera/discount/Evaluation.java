package io.tessera.discount;

import java.util.List;

/**
 * The engine's answer. {@code valid} is true when every listed code applies. {@code rejected} holds listed codes only;
 * automatic promotions that did not apply are in {@code notApplied}, filled only when explain was asked.
 */
public record Evaluation(boolean valid, PricedOrder order, List<Applied> applied, List<Rejection> rejected,
                         List<Rejection> notApplied) {
}
