package io.tessera.rule;

import java.math.BigDecimal;

/** A compiled numeric CEL expression (a dynamic discount parameter or a points formula). Thread-safe. */
public interface Formula {
    /** The exact value of the expression; a failure, a non-number result or a budget overrun is a {@link RuleException}. */
    BigDecimal eval(Activation activation) throws RuleException;

    boolean usesCustomer();

    /** True when the expression may read {@code customer.loyalty}: only then is it filled (one query). */
    boolean readsCustomerLoyalty();

    String source();
}
