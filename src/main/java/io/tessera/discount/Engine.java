package io.tessera.discount;

/**
 * The pure discount engine: a function of its inputs, no I/O. Thread-safe (nothing is shared between calls).
 *
 * <p>Every listed code and automatic promotion is checked in the documented reason order; the eligible ones apply
 * by priority (then listed codes in request order, then automatic promotions in creation order), each on what the
 * previous ones left; discounts are spread over lines by largest remainder, so line shares add up exactly.
 */
public final class Engine {
    private Engine() {
    }

    public static Evaluation evaluate(EvaluationRequest request) {
        return new Evaluator(request).evaluate();
    }
}
