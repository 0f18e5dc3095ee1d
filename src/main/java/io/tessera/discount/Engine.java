package io.tessera.discount;

/** The pure discount engine: a function of its inputs, no I/O. */
public final class Engine {
    private Engine() {
    }

    // TODO(engine helper): implement
    public static Evaluation evaluate(EvaluationRequest request) {
        throw new UnsupportedOperationException();
    }
}
