package io.tessera.discount;

import io.tessera.rule.Formula;
import java.math.BigDecimal;
import java.util.Map;

/** A numeric discount parameter: a constant, an amount per currency, or a CEL formula (dynamic discount). */
public sealed interface Param {
    record Fixed(BigDecimal value) implements Param {
    }

    record PerCurrency(Map<String, Long> amounts) implements Param {
    }

    record Dynamic(Formula formula) implements Param {
    }
}
