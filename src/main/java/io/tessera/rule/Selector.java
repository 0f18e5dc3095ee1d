package io.tessera.rule;

import java.util.Map;

/** A compiled boolean CEL expression over {@code item} (plus the order-level variables). Thread-safe. */
public interface Selector {
    boolean test(Activation activation, Map<String, Object> item);

    String source();
}
