package io.tessera.rule;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What the save-time bounds and the {@link Meter} need to know of a checked expression: how deep its comprehensions
 * nest, and which sub-expressions count an iteration (a comprehension's loop condition, evaluated once per
 * element) or build a value ({@code +}, on strings or lists). Also the numbers it is written with, sorted (see
 * {@link Condition#numbers}).
 */
record Shape(int nesting, byte[] roles, long[] numbers) {
    static final byte PLAIN = 0;
    static final byte ITERATION = 1;
    static final byte GROWTH = 2;

    /** True when evaluating the expression can cost more than its size: it must run metered. */
    boolean metered() {
        for (byte r : roles) if (r != PLAIN) return true;
        return false;
    }

    static Shape of(CelExpr root) {
        Walk w = new Walk();
        int nesting = w.walk(root);
        byte[] roles = new byte[(int) w.maxId + 1];
        for (long[] m : w.marks) roles[(int) m[0]] = (byte) m[1];
        return new Shape(nesting, roles, w.numbers.stream().mapToLong(Long::longValue).toArray());
    }

    /** One pass over an expression, collecting the roles, the highest expression id and the numeric constants. */
    private static final class Walk {
        final List<long[]> marks = new ArrayList<>();
        final TreeSet<Long> numbers = new TreeSet<>();
        long maxId;

        /** The deepest comprehension nesting under {@code e}. */
        int walk(CelExpr e) {
            maxId = Math.max(maxId, e.id());
            return switch (e.getKind()) {
                case CONSTANT -> {
                    number(e.constant());
                    yield 0;
                }
                case SELECT -> walk(e.select().operand());
                case CALL -> {
                    if (e.call().function().equals("_+_")) marks.add(new long[] {e.id(), GROWTH});
                    int deepest = e.call().target().isPresent() ? walk(e.call().target().get()) : 0;
                    for (CelExpr a : e.call().args()) deepest = Math.max(deepest, walk(a));
                    yield deepest;
                }
                case LIST -> {
                    int deepest = 0;
                    for (CelExpr x : e.list().elements()) deepest = Math.max(deepest, walk(x));
                    yield deepest;
                }
                case MAP -> {
                    int deepest = 0;
                    for (var entry : e.map().entries()) {
                        deepest = Math.max(deepest, Math.max(walk(entry.key()), walk(entry.value())));
                    }
                    yield deepest;
                }
                case STRUCT -> {
                    int deepest = 0;
                    for (var entry : e.struct().entries()) deepest = Math.max(deepest, walk(entry.value()));
                    yield deepest;
                }
                case COMPREHENSION -> {
                    CelExpr.CelComprehension c = e.comprehension();
                    marks.add(new long[] {c.loopCondition().id(), ITERATION});
                    // The range and the initial value are evaluated before the loop, outside its body.
                    int outside = Math.max(walk(c.iterRange()), walk(c.accuInit()));
                    int body = Math.max(walk(c.loopCondition()), Math.max(walk(c.loopStep()), walk(c.result())));
                    yield Math.max(outside, body + 1);
                }
                default -> 0;
            };
        }

        /** Integer constants as written, decimals rounded up. */
        private void number(CelConstant c) {
            switch (c.getKind()) {
                case INT64_VALUE -> numbers.add(c.int64Value());
                case UINT64_VALUE -> numbers.add(c.uint64Value().longValue());
                case DOUBLE_VALUE -> {
                    if (Double.isFinite(c.doubleValue())) numbers.add((long) Math.ceil(c.doubleValue()));
                }
                default -> {
                }
            }
        }
    }
}
