package io.tessera.discount;

import io.tessera.rule.Selector;

/** What a discount applies to; a null selector matches every item. */
public record Target(Scope scope, Selector selector) {
    public static final Target ORDER = new Target(Scope.ORDER, null);
}
