package io.tessera.rule;

/** A compiled boolean CEL expression (campaign condition or segment rule). Thread-safe. */
public interface Condition {
    boolean test(Activation activation);

    /** True when the expression reads {@code customer}: such a rule cannot apply to an anonymous order. */
    boolean usesCustomer();

    String source();
}
