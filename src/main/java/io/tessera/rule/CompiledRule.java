package io.tessera.rule;

import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.function.Function;

/**
 * One compiled, type-checked CEL expression, usable as a condition, a selector or a formula depending on the type it
 * was checked for. The CEL program is immutable, so one instance serves every thread. {@code readsCustomerLoyalty} says
 * whether it may read {@code customer.loyalty} (which costs a query to fill). {@code shape} is null for an
 * expression that cannot cost more than its size; otherwise an evaluation runs under a {@link Meter}, unless its
 * {@link Shape#steps bound} on the variables at hand is within every budget: then the meter could never stop it, and
 * its cost (a callback per sub-expression) is saved. {@code widestUnmetered} is that bound solved once for the widest
 * variables it allows, so the check per evaluation is one comparison. An unmetered evaluation runs on {@code fast}, the expression's
 * {@link Native} form, where it has one and it can answer; otherwise on CEL.
 */
record CompiledRule(String source, CelRuntime.Program program, boolean usesCustomer, boolean readsCustomerLoyalty,
                    boolean readsCampaign, Shape shape, int widestUnmetered, Native fast, long[] numbers)
        implements Condition, Selector, Formula {

    /** The rule of a checked expression of this {@code shape}, with its {@link Native} form where it has one. */
    static CompiledRule of(String source, CelRuntime.Program program, boolean usesCustomer,
                           boolean readsCustomerLoyalty, boolean readsCampaign, CelExpr expr, Shape shape,
                           Function<String, Instant> timestamps) {
        return new CompiledRule(source, program, usesCustomer, readsCustomerLoyalty, readsCampaign,
                shape.metered() ? shape : null, shape.widestWithin(Meter.MAX_ITERATIONS), Native.compile(expr, timestamps),
                shape.numbers());
    }

    @Override
    public long[] numbers() {
        return numbers.clone();
    }

    @Override
    public boolean holds(Activation activation) throws RuleException {
        Object result = run(activation.resolver(), meter(activation, 1));
        if (result instanceof Boolean b) return b;
        throw new RuleException("gave " + result + ", not a bool");
    }

    @Override
    public boolean[] matches(Activation activation) throws RuleException {
        boolean[] matches = new boolean[activation.lines()];
        // One meter for the pass: each line has the budget of one evaluation, the pass a bound of its own.
        Meter meter = meter(activation, matches.length);
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
        Object result = run(activation.resolver(), meter(activation, 1));
        return switch (result) {
            case Long l -> BigDecimal.valueOf(l);
            case Double d when Double.isFinite(d) -> BigDecimal.valueOf(d);
            case com.google.common.primitives.UnsignedLong u -> new BigDecimal(u.bigIntegerValue());
            default -> throw new RuleException("gave " + result + ", not a number");
        };
    }

    /**
     * A meter for {@code evaluations} evaluations on these variables, or null when no budget can be reached: at most
     * {@link Meter#MAX_ITERATIONS} steps each (so as many iterations, and far fewer than the steps allowed), and
     * within the steps of a selector's pass over all lines.
     */
    private Meter meter(Activation activation, int evaluations) {
        if (shape == null) return null;
        boolean bounded = activation.width(readsCampaign) <= widestUnmetered
                && (long) Meter.MAX_ITERATIONS * evaluations <= (long) Meter.MAX_STEPS * Meter.PASS_FACTOR;
        return bounded ? null : new Meter();
    }

    /** Evaluates, metered when {@code meter} is not null; a failure or an overrun is a RuleException saying why. */
    private Object run(CelVariableResolver variables, Meter meter) throws RuleException {
        if (meter != null) meter.start(shape.roles());
        if (meter == null && fast != null) {
            try {
                return fast.eval(variables);
            } catch (RuntimeException bail) {
                // CEL decides: it gives the same answer, or the error that this could not tell apart
            }
        }
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
