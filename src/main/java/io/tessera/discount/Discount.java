package io.tessera.discount;

import io.tessera.rule.Selector;
import java.util.List;

/** The discount kinds of api.md; each record holds the validated, compiled parameters. */
public sealed interface Discount {
    String type();

    /** percent in (0, 100] of the target, rounded half-up, capped at max (null = no cap). */
    record Percent(Param percent, Param max, Target target) implements Discount {
        public String type() { return "PERCENT"; }
    }

    record AmountOff(Param amount, Target target) implements Discount {
        public String type() { return "AMOUNT"; }
    }

    /** Every eligible unit costs {@code price}; cheaper units get nothing. */
    record FixedPrice(Param price, Target target) implements Discount {
        public String type() { return "FIXED_PRICE"; }
    }

    /** The order's shipping, capped at max (null = no cap). */
    record FreeShipping(Param max) implements Discount {
        public String type() { return "FREE_SHIPPING"; }
    }

    /** {@code quantity} units of {@code sku} free; added as a line at {@code price} when the order lacks them. */
    record FreeItem(String sku, long quantity, long price, String product, List<String> categories) implements Discount {
        public String type() { return "FREE_ITEM"; }
    }

    /** Percent (default 100) off the cheapest get units, once per buyQuantity + getQuantity matching units. */
    record BuyXGetY(Selector buySelector, long buyQuantity, Selector getSelector, long getQuantity, Param percent,
                    Integer maxApplications) implements Discount {
        public String type() { return "BUY_X_GET_Y"; }
    }

    record Tiered(Basis basis, List<Tier> tiers, Target target) implements Discount {
        public String type() { return "TIERED"; }
    }

    enum Basis { AMOUNT, QUANTITY }

    /** One tier: exactly one of percent or amount is set. */
    record Tier(long min, Param percent, Param amount) {
    }
}
