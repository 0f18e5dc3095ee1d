package io.tessera.rule;

import dev.cel.common.ast.CelExpr;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelVariableResolver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A checked CEL expression compiled to plain Java for the forms most conditions and selectors are written in: reads
 * of the variables' fields, {@code has}, comparisons, {@code in}, {@code size}, {@code && || ! ?:} and the
 * {@code exists} and {@code all} comprehensions, on ints, doubles, strings, bools, null and timestamps (with
 * {@code timestamp('...')} constants, folded by CEL itself). CEL's interpreter spends most of its time resolving and
 * converting each value it reads; with this form the engine benchmark takes half the time.
 *
 * <p>It answers only where its answer is certainly CEL's: anything else (a missing key, a type it does not handle,
 * an int compared with a double, an error CEL might absorb) makes it {@link #BAIL}, and the caller evaluates the
 * expression with CEL, which gives the answer and the error message. {@link #compile} returns null for an expression
 * with any other form, which always runs on CEL. Immutable and thread-safe.
 */
final class Native {
    /** Thrown to hand the evaluation to CEL; carries no stack trace. */
    static final RuntimeException BAIL = new RuntimeException("evaluate with CEL", null, false, false) {
    };

    private final Node root;
    private final int locals;

    private Native(Node root, int locals) {
        this.root = root;
        this.locals = locals;
    }

    /**
     * The expression compiled, or null when it has a form this does not evaluate. {@code timestamps} gives the
     * instant CEL makes of a string, null where it fails.
     */
    static Native compile(CelExpr expr, Function<String, Instant> timestamps) {
        Compiler c = new Compiler(timestamps);
        Node root = c.node(expr);
        return root == null ? null : new Native(root, c.slots);
    }

    /** A bool, int or double, or {@link #BAIL}. */
    Object eval(CelVariableResolver variables) {
        Object result = root.eval(new Frame(variables, locals == 0 ? NO_LOCALS : new Object[locals]));
        if (result instanceof Boolean || result instanceof Long || result instanceof Double) return result;
        throw BAIL;
    }

    private static final Object[] NO_LOCALS = new Object[0];

    private record Frame(CelVariableResolver variables, Object[] locals) {
    }

    @FunctionalInterface
    private interface Node {
        Object eval(Frame f);
    }

    private static boolean bool(Object value) {
        if (value instanceof Boolean b) return b;
        throw BAIL;
    }

    /** CEL's {@code ==} where both sides are of one handled type; anything else bails. */
    private static boolean equal(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) return x.longValue() == y.longValue();
        if (a instanceof String x && b instanceof String y) return x.equals(y);
        if (a instanceof Double x && b instanceof Double y) {
            // CEL-Java's NaN equals itself; its zeros' sign may count: leave those to it.
            if (Double.isNaN(x) || Double.isNaN(y) || x == 0 || y == 0) throw BAIL;
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof Boolean x && b instanceof Boolean y) return x.booleanValue() == y.booleanValue();
        if (a instanceof Instant x && b instanceof Instant y) return x.equals(y);
        if (a instanceof NullValue && b instanceof NullValue) return true;
        throw BAIL;
    }

    /** CEL's ordering where both sides are of one ordered type (ints, doubles, strings, timestamps). */
    private static int compare(Object a, Object b, int op) {
        if (a instanceof Long x && b instanceof Long y) return Long.compare(x, y);
        if (a instanceof String x && b instanceof String y) return x.compareTo(y);
        if (a instanceof Instant x && b instanceof Instant y) return x.compareTo(y);
        if (a instanceof Double x && b instanceof Double y) {
            double p = x;
            double q = y;
            // NaN compares false whatever the operator: answer so that op's test fails.
            if (Double.isNaN(p) || Double.isNaN(q)) return op;
            return p < q ? -1 : p > q ? 1 : 0;
        }
        throw BAIL;
    }

    /** Compiles one expression tree, giving each comprehension variable a slot in the frame. */
    private static final class Compiler {
        private final Map<String, Integer> scope = new HashMap<>();
        private final Function<String, Instant> timestamps;
        int slots;

        Compiler(Function<String, Instant> timestamps) {
            this.timestamps = timestamps;
        }

        Node node(CelExpr e) {
            return switch (e.getKind()) {
                case CONSTANT -> constant(e);
                case IDENT -> ident(e.ident().name());
                case SELECT -> select(e.select());
                case CALL -> call(e.call());
                case LIST -> list(e.list());
                case COMPREHENSION -> comprehension(e.comprehension());
                default -> null;
            };
        }

        private static Node constant(CelExpr e) {
            Object value = switch (e.constant().getKind()) {
                case NULL_VALUE -> NullValue.NULL_VALUE;
                case BOOLEAN_VALUE -> e.constant().booleanValue();
                case INT64_VALUE -> e.constant().int64Value();
                case DOUBLE_VALUE -> e.constant().doubleValue();
                case STRING_VALUE -> e.constant().stringValue();
                default -> null;
            };
            return value == null ? null : f -> value;
        }

        private Node ident(String name) {
            Integer slot = scope.get(name);
            if (slot != null) {
                int s = slot;
                return f -> {
                    Object v = f.locals[s];
                    if (v == null) throw BAIL;
                    return v;
                };
            }
            return f -> {
                Optional<Object> v = f.variables.find(name);
                if (v.isEmpty()) throw BAIL;
                return v.get();
            };
        }

        private Node select(CelExpr.CelSelect s) {
            Node operand = node(s.operand());
            if (operand == null) return null;
            // Interned like the variables' keys (literals, and JSON names as Jackson reads them): a lookup that finds
            // its key then compares references, not characters.
            String field = s.field().intern();
            if (s.testOnly()) {
                return f -> {
                    if (operand.eval(f) instanceof CelMap m) return m.containsKey(field);
                    throw BAIL;
                };
            }
            return f -> {
                if (operand.eval(f) instanceof CelMap m) {
                    Object v = m.get(field);
                    if (v != null) return v;
                }
                throw BAIL;
            };
        }

        /** A list written with constants only (e.g. the right side of {@code in}). */
        private static Node list(CelExpr.CelList l) {
            if (!l.optionalIndices().isEmpty()) return null;
            List<Object> values = new ArrayList<>(l.elements().size());
            for (CelExpr x : l.elements()) {
                Node n = x.getKind() == CelExpr.ExprKind.Kind.CONSTANT ? constant(x) : null;
                if (n == null) return null;
                values.add(n.eval(null));
            }
            CelList list = new CelList(values);
            return f -> list;
        }

        private Node call(CelExpr.CelCall c) {
            if (c.function().equals("timestamp") && c.target().isEmpty() && c.args().size() == 1
                    && c.args().get(0).getKind() == CelExpr.ExprKind.Kind.CONSTANT
                    && c.args().get(0).constant().getKind() == dev.cel.common.ast.CelConstant.Kind.STRING_VALUE) {
                Instant t = timestamps.apply(c.args().get(0).constant().stringValue());
                return t == null ? null : f -> t;
            }
            List<Node> args = new ArrayList<>(c.args().size() + 1);
            if (c.target().isPresent()) args.add(node(c.target().get()));
            for (CelExpr a : c.args()) args.add(node(a));
            if (args.contains(null)) return null;
            String fn = c.function();
            if (args.size() == 1) {
                Node x = args.get(0);
                return switch (fn) {
                    case "!_" -> f -> !bool(x.eval(f));
                    case "@not_strictly_false" -> f -> bool(x.eval(f));
                    case "size" -> f -> switch (x.eval(f)) {
                        case CelList list -> (long) list.size();
                        case CelMap map -> (long) map.size();
                        case String s -> (long) s.codePointCount(0, s.length());
                        default -> throw BAIL;
                    };
                    default -> null;
                };
            }
            if (args.size() == 3 && fn.equals("_?_:_")) {
                Node test = args.get(0);
                Node then = args.get(1);
                Node otherwise = args.get(2);
                return f -> bool(test.eval(f)) ? then.eval(f) : otherwise.eval(f);
            }
            if (args.size() != 2) return null;
            Node a = args.get(0);
            Node b = args.get(1);
            return switch (fn) {
                // Short-circuits as CEL does when the left side decides; an error on either side bails.
                case "_&&_" -> f -> bool(a.eval(f)) && bool(b.eval(f));
                case "_||_" -> f -> bool(a.eval(f)) || bool(b.eval(f));
                case "_==_" -> f -> equal(a.eval(f), b.eval(f));
                case "_!=_" -> f -> !equal(a.eval(f), b.eval(f));
                case "_<_" -> f -> compare(a.eval(f), b.eval(f), 0) < 0;
                case "_<=_" -> f -> compare(a.eval(f), b.eval(f), 1) <= 0;
                case "_>_" -> f -> compare(a.eval(f), b.eval(f), 0) > 0;
                case "_>=_" -> f -> compare(a.eval(f), b.eval(f), -1) >= 0;
                case "@in" -> f -> {
                    Object x = a.eval(f);
                    switch (b.eval(f)) {
                        case CelList list -> {
                            for (Object v : list) if (equal(x, v)) return true;
                            return false;
                        }
                        case CelMap map when x instanceof String key -> {
                            return map.containsKey(key);
                        }
                        default -> throw BAIL;
                    }
                };
                default -> null;
            };
        }

        /** A comprehension over a list's elements or a map's keys, with one iteration variable. */
        private Node comprehension(CelExpr.CelComprehension c) {
            if (!c.iterVar2().isEmpty()) return null;
            Node range = node(c.iterRange());
            Node init = node(c.accuInit());
            if (range == null || init == null) return null;
            int item = slots++;
            int accu = slots++;
            Integer shadowedItem = scope.put(c.iterVar(), item);
            Integer shadowedAccu = scope.put(c.accuVar(), accu);
            Node condition = node(c.loopCondition());
            Node step = node(c.loopStep());
            restore(c.iterVar(), shadowedItem);
            Node result = node(c.result());
            restore(c.accuVar(), shadowedAccu);
            if (condition == null || step == null || result == null) return null;
            return f -> {
                Iterable<?> elements = switch (range.eval(f)) {
                    case CelList list -> list;
                    case CelMap map -> map.keySet();
                    default -> throw BAIL;
                };
                Object[] locals = f.locals;
                locals[accu] = init.eval(f);
                for (Object element : elements) {
                    locals[item] = element;
                    if (!bool(condition.eval(f))) break;
                    locals[accu] = step.eval(f);
                }
                return result.eval(f);
            };
        }

        private void restore(String name, Integer shadowed) {
            if (shadowed == null) scope.remove(name);
            else scope.put(name, shadowed);
        }
    }
}
