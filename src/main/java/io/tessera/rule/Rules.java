package io.tessera.rule;

/** Compiles and type-checks CEL expressions once, at save time. Thread-safe; one instance per server. */
public final class Rules {
    // TODO(engine helper): implement
    public Condition condition(String source) throws RuleException {
        throw new UnsupportedOperationException();
    }

    public Selector selector(String source) throws RuleException {
        throw new UnsupportedOperationException();
    }

    public Formula formula(String source) throws RuleException {
        throw new UnsupportedOperationException();
    }
}
