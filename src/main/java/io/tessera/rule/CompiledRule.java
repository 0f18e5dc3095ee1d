package io.tessera.rule;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import java.math.BigDecimal;
import java.util.Map;

/**
 * One compiled, type-checked CEL expression, usable as a condition, a selector or a formula depending on the type it
 * was checked for. The CEL program is immutable, so one instance serves every thread.
 */
record CompiledRule(String source, CelRuntime.Program program, boolean usesCustomer) implements Condition, Selector,
        Formula {

    @Override
    public boolean test(Activation activation) {
        return isTrue(activation.resolver());
    }

    @Override
    public boolean test(Activation activation, Map<String, Object> item) {
        return isTrue(activation.withItem(item));
    }

    /** An evaluation error (a missing key, a wrong type at run time) means the rule does not hold. */
    private boolean isTrue(CelVariableResolver variables) {
        try {
            return program.eval(variables) instanceof Boolean b && b;
        } catch (CelEvaluationException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public BigDecimal eval(Activation activation) throws RuleException {
        Object result;
        try {
            result = program.eval(activation.resolver());
        } catch (CelEvaluationException | RuntimeException e) {
            throw new RuleException("cannot evaluate '" + source + "': " + e.getMessage());
        }
        return switch (result) {
            case Long l -> BigDecimal.valueOf(l);
            case Double d when Double.isFinite(d) -> BigDecimal.valueOf(d);
            case com.google.common.primitives.UnsignedLong u -> new BigDecimal(u.bigIntegerValue());
            default -> throw new RuleException("'" + source + "' gave " + result + ", not a number");
        };
    }
}
