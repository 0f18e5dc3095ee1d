package io.tessera.rule;

/** A compiled boolean CEL expression over {@code item} (plus the order-level variables). Thread-safe. */
public interface Selector {
    /**
     * One flag per order line: whether the selector holds for it. A line on which the evaluation fails is not
     * selected; a pass that exceeds its budget is a {@link RuleException}.
     */
    boolean[] matches(Activation activation) throws RuleException;

    /** True when the expression may read {@code customer.loyalty}: only then is it filled (one query). */
    boolean readsCustomerLoyalty();

    String source();
}
