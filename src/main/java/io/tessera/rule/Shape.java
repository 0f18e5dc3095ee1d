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
 * {@link Condition#numbers}), and what {@link #steps} needs: how many sub-expressions sit at each depth of
 * comprehension loops, and the longest list or map written in it.
 */
record Shape(int nesting, byte[] roles, long[] numbers, long[] atDepth, int literalWidth, boolean grows) {
    static final byte PLAIN = 0;
    static final byte ITERATION = 1;
    static final byte GROWTH = 2;

    /** True when evaluating the expression can cost more than its size: it must run metered. */
    boolean metered() {
        for (byte r : roles) if (r != PLAIN) return true;
        return false;
    }

    /**
     * At most how many sub-expressions an evaluation evaluates when no list or map it reads, in the variables or
     * written in it, has more than {@code width} elements; {@link Long#MAX_VALUE} when it can build values ({@code +}).
     * Without {@code +} (which {@code map}, {@code filter} and {@code exists_one} expand to, so they always count as
     * building), no function makes a list or map: a comprehension's range is one read from the variables or written
     * in the expression, each loop runs at most {@code width} times, and a sub-expression inside {@code d} loops at
     * most {@code (width + 1)^d} times. Comprehension iterations are among these steps.
     */
    long steps(int width) {
        if (grows) return Long.MAX_VALUE;
        long w = Math.max(width, literalWidth) + 1L;
        long total = 0;
        long times = 1;
        for (long nodes : atDepth) {
            total = saturated(total + saturated(nodes * (double) times));
            times = saturated(times * (double) w);
        }
        return total;
    }

    /**
     * The widest variables (see {@link #steps}) on which an evaluation stays within {@code budget} steps; -1 when
     * none does. Computed once per expression, so each evaluation compares one number.
     */
    int widestWithin(long budget) {
        if (steps(0) > budget) return -1;
        int low = 0;
        int high = (int) Math.min(budget, Integer.MAX_VALUE);
        while (low < high) {
            int mid = (int) (((long) low + high + 1) / 2);
            if (steps(mid) <= budget) low = mid;
            else high = mid - 1;
        }
        return low;
    }

    private static long saturated(double value) {
        return value >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) value;
    }

    static Shape of(CelExpr root) {
        Walk w = new Walk();
        int nesting = w.walk(root, 0);
        byte[] roles = new byte[(int) w.maxId + 1];
        boolean grows = false;
        for (long[] m : w.marks) {
            roles[(int) m[0]] = (byte) m[1];
            grows |= m[1] == GROWTH;
        }
        return new Shape(nesting, roles, w.numbers.stream().mapToLong(Long::longValue).toArray(),
                java.util.Arrays.copyOf(w.atDepth, w.maxDepth + 1), w.literalWidth, grows);
    }

    /** One pass over an expression, collecting the roles, the highest expression id and the numeric constants. */
    private static final class Walk {
        final List<long[]> marks = new ArrayList<>();
        final TreeSet<Long> numbers = new TreeSet<>();
        long maxId;
        long[] atDepth = new long[4];
        int maxDepth;
        int literalWidth;

        /** The deepest comprehension nesting under {@code e}, which sits inside {@code depth} loops. */
        int walk(CelExpr e, int depth) {
            maxId = Math.max(maxId, e.id());
            if (depth >= atDepth.length) atDepth = java.util.Arrays.copyOf(atDepth, depth * 2);
            atDepth[depth]++;
            maxDepth = Math.max(maxDepth, depth);
            return switch (e.getKind()) {
                case CONSTANT -> {
                    number(e.constant());
                    yield 0;
                }
                case SELECT -> walk(e.select().operand(), depth);
                case CALL -> {
                    if (e.call().function().equals("_+_")) marks.add(new long[] {e.id(), GROWTH});
                    int deepest = e.call().target().isPresent() ? walk(e.call().target().get(), depth) : 0;
                    for (CelExpr a : e.call().args()) deepest = Math.max(deepest, walk(a, depth));
                    yield deepest;
                }
                case LIST -> {
                    literalWidth = Math.max(literalWidth, e.list().elements().size());
                    int deepest = 0;
                    for (CelExpr x : e.list().elements()) deepest = Math.max(deepest, walk(x, depth));
                    yield deepest;
                }
                case MAP -> {
                    literalWidth = Math.max(literalWidth, e.map().entries().size());
                    int deepest = 0;
                    for (var entry : e.map().entries()) {
                        deepest = Math.max(deepest, Math.max(walk(entry.key(), depth), walk(entry.value(), depth)));
                    }
                    yield deepest;
                }
                case STRUCT -> {
                    int deepest = 0;
                    for (var entry : e.struct().entries()) deepest = Math.max(deepest, walk(entry.value(), depth));
                    yield deepest;
                }
                case COMPREHENSION -> {
                    CelExpr.CelComprehension c = e.comprehension();
                    marks.add(new long[] {c.loopCondition().id(), ITERATION});
                    // The range and the initial value are evaluated before the loop, outside its body. The result
                    // counts as nested for the save-time bound, but runs once, after the loop.
                    int outside = Math.max(walk(c.iterRange(), depth), walk(c.accuInit(), depth));
                    int body = Math.max(walk(c.loopCondition(), depth + 1),
                            Math.max(walk(c.loopStep(), depth + 1), walk(c.result(), depth)));
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
