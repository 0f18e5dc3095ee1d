package io.tessera.rule;

import dev.cel.common.ast.CelExpr;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Finds whether a checked expression reads a top-level variable. Walks the AST rather than the source text, so
 * {@code 'customer' in item.categories} or a comprehension variable named like the global does not count.
 */
final class VariableReads {
    private VariableReads() {
    }

    static boolean reads(CelExpr expr, String variable) {
        return reads(expr, variable, new ArrayDeque<>());
    }

    /**
     * Whether the expression may read {@code variable.field}: it selects that field, or uses {@code variable} other
     * than by selecting one of its fields (passed whole, indexed, compared), which may reach the field too.
     */
    static boolean readsField(CelExpr expr, String variable, String field) {
        return readsField(expr, variable, field, new ArrayDeque<>());
    }

    private static boolean readsField(CelExpr expr, String variable, String field, Deque<String> bound) {
        if (expr.getKind() == CelExpr.ExprKind.Kind.SELECT) {
            CelExpr operand = expr.select().operand();
            if (operand.getKind() == CelExpr.ExprKind.Kind.IDENT && operand.ident().name().equals(variable)
                    && !bound.contains(variable)) return expr.select().field().equals(field);
        }
        if (expr.getKind() == CelExpr.ExprKind.Kind.COMPREHENSION) {
            CelExpr.CelComprehension c = expr.comprehension();
            if (readsField(c.iterRange(), variable, field, bound) || readsField(c.accuInit(), variable, field, bound))
                return true;
            bound.push(c.accuVar());
            bound.push(c.iterVar());
            bound.push(c.iterVar2());
            try {
                return readsField(c.result(), variable, field, bound)
                        || readsField(c.loopCondition(), variable, field, bound)
                        || readsField(c.loopStep(), variable, field, bound);
            } finally {
                bound.pop();
                bound.pop();
                bound.pop();
            }
        }
        return switch (expr.getKind()) {
            case IDENT -> expr.ident().name().equals(variable) && !bound.contains(variable);
            case SELECT -> readsField(expr.select().operand(), variable, field, bound);
            case CALL -> (expr.call().target().isPresent()
                    && readsField(expr.call().target().get(), variable, field, bound))
                    || expr.call().args().stream().anyMatch(a -> readsField(a, variable, field, bound));
            case LIST -> expr.list().elements().stream().anyMatch(e -> readsField(e, variable, field, bound));
            case MAP -> expr.map().entries().stream().anyMatch(e -> readsField(e.key(), variable, field, bound)
                    || readsField(e.value(), variable, field, bound));
            case STRUCT -> expr.struct().entries().stream().anyMatch(e -> readsField(e.value(), variable, field, bound));
            default -> false;
        };
    }

    /** {@code bound} holds the comprehension variables in scope; one of them named {@code variable} shadows it. */
    private static boolean reads(CelExpr expr, String variable, Deque<String> bound) {
        return switch (expr.getKind()) {
            case IDENT -> expr.ident().name().equals(variable) && !bound.contains(variable);
            case SELECT -> reads(expr.select().operand(), variable, bound);
            case CALL -> (expr.call().target().isPresent() && reads(expr.call().target().get(), variable, bound))
                    || expr.call().args().stream().anyMatch(a -> reads(a, variable, bound));
            case LIST -> expr.list().elements().stream().anyMatch(e -> reads(e, variable, bound));
            case MAP -> expr.map().entries().stream()
                    .anyMatch(e -> reads(e.key(), variable, bound) || reads(e.value(), variable, bound));
            case STRUCT -> expr.struct().entries().stream().anyMatch(e -> reads(e.value(), variable, bound));
            case COMPREHENSION -> readsInComprehension(expr.comprehension(), variable, bound);
            default -> false;
        };
    }

    private static boolean readsInComprehension(CelExpr.CelComprehension c, String variable, Deque<String> bound) {
        // The range and the initial accumulator are evaluated outside the comprehension's scope.
        if (reads(c.iterRange(), variable, bound) || reads(c.accuInit(), variable, bound)) return true;
        bound.push(c.accuVar());
        try {
            if (reads(c.result(), variable, bound)) return true;
            bound.push(c.iterVar());
            bound.push(c.iterVar2());
            try {
                return reads(c.loopCondition(), variable, bound) || reads(c.loopStep(), variable, bound);
            } finally {
                bound.pop();
                bound.pop();
            }
        } finally {
            bound.pop();
        }
    }
}
