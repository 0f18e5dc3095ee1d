package io.tessera.rule;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypes;
import dev.cel.common.types.NullableType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles, type-checks and bounds CEL expressions once, at save time. Thread-safe; one instance per server.
 *
 * <p>Each {@link Kind} of expression sees its own typed variables ({@link Types}): conditions and formulas read
 * {@code customer}, {@code order}, {@code context}, {@code now} and {@code campaign}; selectors also {@code item}.
 * An expression is at most {@value #MAX_LENGTH} characters with comprehensions nested at most
 * {@value #MAX_NESTING} deep; at run time each evaluation has a cost budget ({@link Meter}). Identical sources share
 * one compiled rule, so a selector used by many campaigns is evaluated once per order (see the engine's match
 * cache).
 */
public final class Rules {
    public static final int MAX_LENGTH = 2_000;
    public static final int MAX_NESTING = 2;
    private static final Set<CelKind> BOOLEAN = Set.of(CelKind.BOOL, CelKind.DYN);
    private static final Set<CelKind> NUMBER = Set.of(CelKind.INT, CelKind.UINT, CelKind.DOUBLE, CelKind.DYN);
    private static final int MAX_SHARED = 4096;
    private static final List<Types.Variable> CAMPAIGN_VARIABLES = List.of(Types.Variable.CUSTOMER,
            Types.Variable.ORDER, Types.Variable.CONTEXT, Types.Variable.NOW, Types.Variable.CAMPAIGN);
    private static final List<Types.Variable> ORDER_EARNING_VARIABLES = List.of(Types.Variable.CUSTOMER,
            Types.Variable.PAID_ORDER, Types.Variable.NOW, Types.Variable.CAMPAIGN);
    private static final List<Types.Variable> EVENT_EARNING_VARIABLES = List.of(Types.Variable.CUSTOMER,
            Types.Variable.EVENT, Types.Variable.NOW, Types.Variable.CAMPAIGN);

    private static final List<Types.Variable> AUTOMATION_VARIABLES = List.of(Types.Variable.CUSTOMER,
            Types.Variable.NOW);

    /** What an automation's trigger adds to the variables of its expressions (besides customer and now). */
    public enum TriggerData { NONE, ORDER, EVENT, TIER, POINTS }

    /** A kind of expression: its name in messages, the result it must give and the variables it may read. */
    enum Kind {
        CONDITION("condition", BOOLEAN, CAMPAIGN_VARIABLES),
        SELECTOR("selector", BOOLEAN, plus(CAMPAIGN_VARIABLES, Types.Variable.ITEM)),
        FORMULA("formula", NUMBER, CAMPAIGN_VARIABLES),
        // Loyalty earning rules: on order_paid they read the paid order (with its total), on event:<type> the event.
        ORDER_EARNING_CONDITION("condition", BOOLEAN, ORDER_EARNING_VARIABLES),
        ORDER_EARNING_POINTS("points", NUMBER, ORDER_EARNING_VARIABLES),
        EVENT_EARNING_CONDITION("condition", BOOLEAN, EVENT_EARNING_VARIABLES),
        EVENT_EARNING_POINTS("points", NUMBER, EVENT_EARNING_VARIABLES),
        // Automations on order_paid and event:<type> use the earning kinds; the other triggers see these.
        AUTOMATION_CONDITION("condition", BOOLEAN, AUTOMATION_VARIABLES),
        AUTOMATION_POINTS("points", NUMBER, AUTOMATION_VARIABLES),
        TIER_AUTOMATION_CONDITION("condition", BOOLEAN, plus(AUTOMATION_VARIABLES, Types.Variable.TIER)),
        TIER_AUTOMATION_POINTS("points", NUMBER, plus(AUTOMATION_VARIABLES, Types.Variable.TIER)),
        POINTS_AUTOMATION_CONDITION("condition", BOOLEAN, plus(AUTOMATION_VARIABLES, Types.Variable.POINTS)),
        POINTS_AUTOMATION_POINTS("points", NUMBER, plus(AUTOMATION_VARIABLES, Types.Variable.POINTS));

        private final String label;
        private final Set<CelKind> results;
        private final List<Types.Variable> variables;

        Kind(String label, Set<CelKind> results, List<Types.Variable> variables) {
            this.label = label;
            this.results = results;
            this.variables = variables;
        }
    }

    private final Map<Kind, Cel> environments = new EnumMap<>(Kind.class);
    private final ConcurrentHashMap<String, CompiledRule> shared = new ConcurrentHashMap<>();

    public Rules() {
        for (Kind kind : Kind.values()) environments.put(kind, environment(kind.variables));
    }

    /**
     * CEL's own {@code timestamp(s)}: what a {@code timestamp('...')} constant is folded with (see {@link Native}).
     * Built on first use, as every other program is: planning one loads protobuf, whose first use of
     * {@code sun.misc.Unsafe} makes the JVM print a warning line, which a start that compiles nothing must not print.
     */
    private static final class TimestampFold {
        static final CelRuntime.Program PROGRAM;

        static {
            Cel cel = environment(List.of(new Types.Variable("s", SimpleType.STRING)));
            try {
                PROGRAM = cel.createProgram(cel.compile("timestamp(s)").getAst());
            } catch (CelValidationException | CelEvaluationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The instant CEL makes of {@code text}, or null where CEL fails on it. */
    private static Instant timestamp(String text) {
        try {
            return TimestampFold.PROGRAM.eval(Map.of("s", text)) instanceof Instant t ? t : null;
        } catch (CelEvaluationException | RuntimeException e) {
            return null;
        }
    }

    /** A boolean expression over customer, order, context, now and campaign. */
    public Condition condition(String source) throws RuleException {
        return compile(Kind.CONDITION, source);
    }

    /** A boolean expression over {@code item} (plus the order-level variables). */
    public Selector selector(String source) throws RuleException {
        return compile(Kind.SELECTOR, source);
    }

    /** A numeric expression (int, uint or double). */
    public Formula formula(String source) throws RuleException {
        return compile(Kind.FORMULA, source);
    }

    /** A loyalty earning rule's condition: over the paid order, or over the event when {@code onEvent}. */
    public Condition earningCondition(boolean onEvent, String source) throws RuleException {
        return compile(onEvent ? Kind.EVENT_EARNING_CONDITION : Kind.ORDER_EARNING_CONDITION, source);
    }

    /** A loyalty earning rule's points (a number, rounded down by the caller). */
    public Formula earningPoints(boolean onEvent, String source) throws RuleException {
        return compile(onEvent ? Kind.EVENT_EARNING_POINTS : Kind.ORDER_EARNING_POINTS, source);
    }

    /** An automation's condition: over the customer, now and what its trigger adds ({@code order}, {@code event}, ...). */
    public Condition automationCondition(TriggerData data, String source) throws RuleException {
        return compile(switch (data) {
            case ORDER -> Kind.ORDER_EARNING_CONDITION;
            case EVENT -> Kind.EVENT_EARNING_CONDITION;
            case TIER -> Kind.TIER_AUTOMATION_CONDITION;
            case POINTS -> Kind.POINTS_AUTOMATION_CONDITION;
            case NONE -> Kind.AUTOMATION_CONDITION;
        }, source);
    }

    /** The points of an automation's {@code ADD_POINTS} action, over the same variables as its condition. */
    public Formula automationPoints(TriggerData data, String source) throws RuleException {
        return compile(switch (data) {
            case ORDER -> Kind.ORDER_EARNING_POINTS;
            case EVENT -> Kind.EVENT_EARNING_POINTS;
            case TIER -> Kind.TIER_AUTOMATION_POINTS;
            case POINTS -> Kind.POINTS_AUTOMATION_POINTS;
            case NONE -> Kind.AUTOMATION_POINTS;
        }, source);
    }

    private CompiledRule compile(Kind kind, String source) throws RuleException {
        if (source == null || source.isBlank()) throw new RuleException(kind.label + " is empty");
        String key = kind.name() + '\u0000' + source;
        CompiledRule known = shared.get(key);
        if (known != null) return known;

        int length = source.codePointCount(0, source.length());
        if (length > MAX_LENGTH) {
            throw new RuleException(String.format("%s is %,d characters long; at most %,d are allowed", kind.label,
                    length, MAX_LENGTH));
        }
        Cel cel = environments.get(kind);
        CelValidationResult result;
        try {
            result = cel.compile(source);
        } catch (RuntimeException e) {
            // the checker failing on an expression is still the expression's problem, never a server error
            throw new RuleException(kind.label + " '" + source + "' cannot be checked: " + e.getMessage());
        }
        if (result.hasError()) {
            throw new RuleException(kind.label + " '" + source + "' is invalid: " + result.getErrorString());
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = result.getAst();
        } catch (CelValidationException e) {
            throw new RuleException(kind.label + " '" + source + "' is invalid: " + e.getMessage());
        }
        CelType type = ast.getResultType();
        if (type instanceof NullableType nullable) type = nullable.targetType();
        if (!kind.results.contains(type.kind())) {
            String expected = kind.results == NUMBER ? "a number" : "a bool";
            throw new RuleException(kind.label + " '" + source + "' must give " + expected + ", not " + CelTypes.format(type));
        }
        Shape shape = Shape.of(ast.getExpr());
        if (shape.nesting() > MAX_NESTING) {
            throw new RuleException(kind.label + " nests comprehensions (exists, all, exists_one, map, filter) "
                    + shape.nesting() + " deep; at most " + MAX_NESTING + " are allowed");
        }
        boolean readsCampaign = VariableReads.reads(ast.getExpr(), "campaign");
        CompiledRule rule;
        try {
            rule = CompiledRule.of(source, cel.createProgram(ast), VariableReads.reads(ast.getExpr(), "customer"),
                    VariableReads.readsField(ast.getExpr(), "customer", "loyalty"), readsCampaign, ast.getExpr(),
                    shape, Rules::timestamp);
        } catch (CelEvaluationException e) {
            throw new RuleException(kind.label + " '" + source + "' cannot be planned: " + e.getMessage());
        }
        // A rule reading campaign.metadata gives different answers per campaign: never share it, so the engine may
        // cache selector results by rule identity.
        if (!readsCampaign) {
            if (shared.size() >= MAX_SHARED) shared.clear();
            shared.putIfAbsent(key, rule);
        }
        return rule;
    }

    private static Cel environment(List<Types.Variable> variables) {
        var builder = CelFactory.plannerCelBuilder()
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setTypeProvider(Types.PROVIDER)
                .setOptions(CelOptions.current()
                        // Attribute values may be ints or doubles: let `item.attributes.weight > 2.5` compare them.
                        .enableHeterogeneousNumericComparisons(true)
                        // CEL's own stop, past the Meter's limit: the Meter stops first and says why.
                        .comprehensionMaxIterations(Meter.MAX_ITERATIONS + 1)
                        .build());
        for (Types.Variable v : variables) builder.addVar(v.name(), v.type());
        return builder.build();
    }

    private static List<Types.Variable> plus(List<Types.Variable> variables, Types.Variable more) {
        return java.util.stream.Stream.concat(variables.stream(), java.util.stream.Stream.of(more)).toList();
    }
}
