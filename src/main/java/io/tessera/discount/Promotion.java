package io.tessera.discount;

import io.tessera.rule.Condition;
import io.tessera.rule.Selector;
import java.time.Instant;
import java.util.Map;

/**
 * A campaign compiled for the engine: conditions, selectors and formulas are already compiled.
 * {@code sequence} is the creation order, used to order automatic promotions of equal priority.
 */
public record Promotion(String id, String name, PromotionKind kind, boolean active, Instant startsAt, Instant endsAt,
                        Condition condition, Discount discount, Stacking stacking, String currency, Limits limits,
                        Map<String, Object> metadata, long sequence) {

    /** Whether its condition, a selector or a formula may read {@code customer.loyalty} (filled only then). */
    public boolean readsCustomerLoyalty() {
        if (condition != null && condition.readsCustomerLoyalty()) return true;
        return switch (discount) {
            case Discount.Percent p -> reads(p.percent()) || reads(p.max()) || reads(p.target());
            case Discount.AmountOff a -> reads(a.amount()) || reads(a.target());
            case Discount.FixedPrice f -> reads(f.price()) || reads(f.target());
            case Discount.FreeShipping s -> reads(s.max());
            case Discount.BuyXGetY x -> reads(x.buySelector()) || reads(x.getSelector()) || reads(x.percent());
            case Discount.Tiered t -> reads(t.target())
                    || t.tiers().stream().anyMatch(tier -> reads(tier.percent()) || reads(tier.amount()));
            case Discount.FreeItem i -> false;
            case null -> false;
        };
    }

    private static boolean reads(Param p) {
        return p instanceof Param.Dynamic d && d.formula().readsCustomerLoyalty();
    }

    private static boolean reads(Target t) {
        return t != null && reads(t.selector());
    }

    private static boolean reads(Selector s) {
        return s != null && s.readsCustomerLoyalty();
    }
}
