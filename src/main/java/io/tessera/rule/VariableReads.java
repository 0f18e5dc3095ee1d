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
