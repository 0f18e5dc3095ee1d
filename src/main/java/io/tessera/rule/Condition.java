package io.tessera.rule;

/** A compiled boolean CEL expression (campaign condition or segment rule). Thread-safe. */
public interface Condition {
    /**
     * Whether the expression holds. A {@link RuleException} says why it could not be decided: the evaluation failed
     * (e.g. it read a missing attribute), gave no bool, or was stopped by its budget.
     */
    boolean holds(Activation activation) throws RuleException;

    /** {@link #holds}, with an evaluation that cannot decide counting as false. */
    default boolean test(Activation activation) {
        try {
            return holds(activation);
        } catch (RuleException e) {
            return false;
        }
    }

    /** True when the expression reads {@code customer}: such a rule cannot apply to an anonymous order. */
    boolean usesCustomer();

    /** True when the expression may read {@code customer.loyalty}: only then is it filled (one query). */
    boolean readsCustomerLoyalty();

    String source();

    /**
     * The numbers the expression is written with (integer constants, decimals rounded up), ascending: where a near
     * miss's search for the amount that makes a condition hold looks first ({@code order.subtotal >= 5000}).
     */
    long[] numbers();
}
