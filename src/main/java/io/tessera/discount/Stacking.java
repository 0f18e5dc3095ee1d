package io.tessera.discount;

/** How a promotion combines with others: higher priority applies first. */
public record Stacking(int priority, boolean exclusive, String group) {
    public static final Stacking DEFAULT = new Stacking(0, false, null);
}
