package io.tessera.rule;

import dev.cel.common.ast.CelExpr;
import java.util.ArrayList;
import java.util.List;

/**
 * What the save-time bounds and the {@link Meter} need to know of a checked expression: how deep its comprehensions
 * nest, and which sub-expressions count an iteration (a comprehension's loop condition, evaluated once per
 * element) or build a value ({@code +}, on strings or lists).
 */
record Shape(int nesting, byte[] roles) {
    static final byte PLAIN = 0;
    static final byte ITERATION = 1;
    static final byte GROWTH = 2;

    /** True when evaluating the expression can cost more than its size: it must run metered. */
    boolean metered() {
        for (byte r : roles) if (r != PLAIN) return true;
        return false;
    }

    static Shape of(CelExpr root) {
        List<long[]> marks = new ArrayList<>();
        long[] maxId = {0};
        int nesting = walk(root, marks, maxId);
        byte[] roles = new byte[(int) maxId[0] + 1];
        for (long[] m : marks) roles[(int) m[0]] = (byte) m[1];
        return new Shape(nesting, roles);
    }

    /** The deepest comprehension nesting under {@code e}; records roles and the highest expression id. */
    private static int walk(CelExpr e, List<long[]> marks, long[] maxId) {
        maxId[0] = Math.max(maxId[0], e.id());
        return switch (e.getKind()) {
            case SELECT -> walk(e.select().operand(), marks, maxId);
            case CALL -> {
                if (e.call().function().equals("_+_")) marks.add(new long[] {e.id(), GROWTH});
                int deepest = e.call().target().isPresent() ? walk(e.call().target().get(), marks, maxId) : 0;
                for (CelExpr a : e.call().args()) deepest = Math.max(deepest, walk(a, marks, maxId));
                yield deepest;
            }
            case LIST -> {
                int deepest = 0;
                for (CelExpr x : e.list().elements()) deepest = Math.max(deepest, walk(x, marks, maxId));
                yield deepest;
            }
            case MAP -> {
                int deepest = 0;
                for (var entry : e.map().entries()) {
                    deepest = Math.max(deepest, Math.max(walk(entry.key(), marks, maxId),
                            walk(entry.value(), marks, maxId)));
                }
                yield deepest;
            }
            case STRUCT -> {
                int deepest = 0;
                for (var entry : e.struct().entries()) deepest = Math.max(deepest, walk(entry.value(), marks, maxId));
                yield deepest;
            }
            case COMPREHENSION -> {
                CelExpr.CelComprehension c = e.comprehension();
                marks.add(new long[] {c.loopCondition().id(), ITERATION});
                // The range and the initial value are evaluated before the loop, outside its body.
                int outside = Math.max(walk(c.iterRange(), marks, maxId), walk(c.accuInit(), marks, maxId));
                int body = Math.max(walk(c.loopCondition(), marks, maxId),
                        Math.max(walk(c.loopStep(), marks, maxId), walk(c.result(), marks, maxId)));
                yield Math.max(outside, body + 1);
            }
            default -> 0;
        };
    }
}
