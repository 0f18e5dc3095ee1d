package io.tessera.rule;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import java.math.BigDecimal;

/**
 * One compiled, type-checked CEL expression, usable as a condition, a selector or a formula depending on the type it
 * was checked for. The CEL program is immutable, so one instance serves every thread. {@code readsCustomerLoyalty} says
 * whether it may read {@code customer.loyalty} (which costs a query to fill). {@code roles} is null for an
 * expression that cannot cost more than its size; otherwise every evaluation runs under a {@link Meter}.
 */
record CompiledRule(String source, CelRuntime.Program program, boolean usesCustomer, boolean readsCustomerLoyalty,
                    byte[] roles, long[] numbers)
        implements Condition, Selector, Formula {

    @Override
    public long[] numbers() {
        return numbers.clone();
    }

    @Override
    public boolean holds(Activation activation) throws RuleException {
        Object result = run(activation.resolver(), roles == null ? null : new Meter());
        if (result instanceof Boolean b) return b;
        throw new RuleException("gave " + result + ", not a bool");
    }

    @Override
    public boolean[] matches(Activation activation) throws RuleException {
        boolean[] matches = new boolean[activation.lines()];
        // One meter for the pass: each line has the budget of one evaluation, the pass a bound of its own.
        Meter meter = roles == null ? null : new Meter();
        for (int i = 0; i < matches.length; i++) {
            try {
                matches[i] = run(activation.withItem(i), meter) instanceof Boolean b && b;
            } catch (RuleException failed) {
                if (meter != null && meter.exceeded() != null) throw failed;
                // a line the selector cannot be evaluated on (e.g. a missing attribute) is not selected
            }
        }
        return matches;
    }

    @Override
    public BigDecimal eval(Activation activation) throws RuleException {
        Object result = run(activation.resolver(), roles == null ? null : new Meter());
        return switch (result) {
            case Long l -> BigDecimal.valueOf(l);
            case Double d when Double.isFinite(d) -> BigDecimal.valueOf(d);
            case com.google.common.primitives.UnsignedLong u -> new BigDecimal(u.bigIntegerValue());
            default -> throw new RuleException("gave " + result + ", not a number");
        };
    }

    /** Evaluates, metered when {@code meter} is not null; a failure or an overrun is a RuleException saying why. */
    private Object run(CelVariableResolver variables, Meter meter) throws RuleException {
        if (meter != null) meter.start(roles);
        try {
            Object result = meter == null ? program.eval(variables) : program.trace(variables, meter);
            if (meter != null && meter.exceeded() != null) throw overrun(meter);
            return result;
        } catch (CelEvaluationException | RuntimeException e) {
            if (meter != null && meter.exceeded() != null) throw overrun(meter);
            throw new RuleException("could not be evaluated: " + e.getMessage());
        }
    }

    private static RuleException overrun(Meter meter) {
        return new RuleException("was stopped: it exceeded its evaluation budget (" + meter.exceeded() + ")");
    }
}
