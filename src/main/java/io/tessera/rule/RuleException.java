package io.tessera.rule;

/**
 * An expression that does not compile, does not type-check or passes a save-time bound (the message names the
 * problem), or that cannot be evaluated for an order (the message says why, e.g. "was stopped: it exceeded its
 * evaluation budget (…)", to follow the expression's name).
 */
public final class RuleException extends Exception {
    public RuleException(String message) {
        super(message);
    }
}
