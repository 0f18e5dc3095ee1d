package io.tessera.rule;

import dev.cel.common.ast.CelExpr;
import dev.cel.common.values.CelByteString;
import dev.cel.common.values.CelValue;
import dev.cel.runtime.CelEvaluationListener;
import java.util.List;

/**
 * Counts the cost of an evaluation as it runs and stops it once it passes its budget. CEL calls {@link #callback}
 * after every sub-expression it evaluates; past a limit the meter throws, and keeps throwing at every later
 * sub-expression, so the evaluation unwinds at once even where CEL absorbs errors ({@code x || true}). Whatever
 * the result, {@link #exceeded()} then says the evaluation does not count.
 *
 * <p>The budget: comprehension iterations, evaluation steps (sub-expressions evaluated), characters of the strings
 * and elements of the lists that {@code +} builds. Lists count every element of every list built, nested ones
 * included, because the runtime copies a {@code map} or {@code filter} result at each step and walks it deeply:
 * that copying is the cost. Only expressions
 * that can cost more than their size are metered (see {@link Shape}): those with a comprehension or a {@code +}.
 * A selector is metered over all the lines of an order: each line has the budget of one evaluation, and the whole
 * pass {@link #PASS_FACTOR} times that. Not thread-safe: one per evaluation.
 */
final class Meter implements CelEvaluationListener {
    static final int MAX_ITERATIONS = 10_000;
    static final int MAX_STEPS = 100_000;
    static final int MAX_STRING_CHARS = 100_000;
    static final int MAX_LIST_ELEMENTS = 200_000;
    static final int PASS_FACTOR = 10;

    /** Thrown inside CEL to unwind; carries no stack trace, it is never logged. */
    private static final RuntimeException STOP = new RuntimeException("evaluation budget exceeded", null, false,
            false) {
    };

    private byte[] roles;
    private int iterations;
    private int steps;
    private long chars;
    private long elements;
    private long passSteps;
    private long passChars;
    private long passElements;
    private String exceeded;

    /** Starts one evaluation of an expression whose sub-expressions have the given {@link Shape} roles. */
    void start(byte[] roles) {
        this.roles = roles;
        iterations = 0;
        steps = 0;
        chars = 0;
        elements = 0;
    }

    /** The sub-expressions evaluated so far by this evaluation (what {@link Shape#steps} bounds). */
    int steps() {
        return steps;
    }

    /** The comprehension iterations so far in this evaluation. */
    int iterations() {
        return iterations;
    }

    /** Null, or which limit the evaluation passed. */
    String exceeded() {
        return exceeded;
    }

    @Override
    public void callback(CelExpr expr, Object result) {
        if (exceeded != null) throw STOP;
        if (++steps > MAX_STEPS) stop(String.format("more than %,d evaluation steps", MAX_STEPS));
        if (++passSteps > (long) MAX_STEPS * PASS_FACTOR) {
            stop(String.format("more than %,d evaluation steps over the order's lines", MAX_STEPS * PASS_FACTOR));
        }
        long id = expr.id();
        byte role = id < roles.length ? roles[(int) id] : Shape.PLAIN;
        if (role == Shape.ITERATION) {
            if (++iterations > MAX_ITERATIONS) {
                stop(String.format("more than %,d comprehension iterations", MAX_ITERATIONS));
            }
        } else if (role == Shape.GROWTH) {
            grown(result);
        }
    }

    /** Counts what a {@code +} produced: characters of strings and bytes, elements of lists. */
    private void grown(Object result) {
        switch (result) {
            case String s -> built(s.length(), 0);
            case CelByteString b -> built(b.size(), 0);
            case com.google.protobuf.ByteString b -> built(b.size(), 0);
            case List<?> l -> built(0, elements(l));
            default -> {
            }
        }
    }

    /**
     * The elements of a list built by CEL, counting those of the plain lists and maps in it: the runtime walks them
     * all when a function returns the list. Variables' lists and maps ({@link CelList}, {@link CelMap}) it takes as
     * they are, so they count as one.
     */
    private static long elements(java.util.Collection<?> values) {
        long n = values.size();
        for (Object v : values) {
            if (v instanceof CelValue) continue;
            if (v instanceof java.util.Collection<?> c) n += elements(c);
            else if (v instanceof java.util.Map<?, ?> m) n += elements(m.values());
        }
        return n;
    }

    private void built(long newChars, long newElements) {
        chars += newChars;
        passChars += newChars;
        elements += newElements;
        passElements += newElements;
        if (chars > MAX_STRING_CHARS) {
            stop(String.format("strings of more than %,d characters built", MAX_STRING_CHARS));
        }
        if (elements > MAX_LIST_ELEMENTS) {
            stop(String.format("lists of more than %,d elements built", MAX_LIST_ELEMENTS));
        }
        if (passChars > (long) MAX_STRING_CHARS * PASS_FACTOR) {
            stop(String.format("strings of more than %,d characters built over the order's lines",
                    MAX_STRING_CHARS * PASS_FACTOR));
        }
        if (passElements > (long) MAX_LIST_ELEMENTS * PASS_FACTOR) {
            stop(String.format("lists of more than %,d elements built over the order's lines",
                    MAX_LIST_ELEMENTS * PASS_FACTOR));
        }
    }

    private void stop(String why) {
        exceeded = why;
        throw STOP;
    }
}
