package io.tessera.rule;

/** An expression that does not compile, does not type-check, or fails at evaluation. */
public final class RuleException extends Exception {
    public RuleException(String message) {
        super(message);
    }
}
