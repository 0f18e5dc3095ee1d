package io.tessera.rule;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles and type-checks CEL expressions once, at save time. Thread-safe; one instance per server.
 *
 * <p>Variables: {@code customer}, {@code order}, {@code context}, {@code campaign}, {@code event} (maps of string to
 * dyn), {@code now} (timestamp), and {@code item} in selectors. Identical sources share one compiled rule, so a
 * selector used by many campaigns is evaluated once per cart line (see the engine's match cache).
 */
public final class Rules {
    private static final CelType MAP = MapType.create(SimpleType.STRING, SimpleType.DYN);
    private static final Set<CelKind> BOOLEAN = Set.of(CelKind.BOOL, CelKind.DYN);
    private static final Set<CelKind> NUMBER = Set.of(CelKind.INT, CelKind.UINT, CelKind.DOUBLE, CelKind.DYN);
    private static final int MAX_SHARED = 4096;

    private final Cel rules = environment(false);
    private final Cel selectors = environment(true);
    private final ConcurrentHashMap<String, CompiledRule> shared = new ConcurrentHashMap<>();

    /** A boolean expression over customer, order, context, now and campaign. */
    public Condition condition(String source) throws RuleException {
        return compile("condition", rules, source, BOOLEAN);
    }

    /** A boolean expression over {@code item} (plus the order-level variables). */
    public Selector selector(String source) throws RuleException {
        return compile("selector", selectors, source, BOOLEAN);
    }

    /** A numeric expression (int, uint or double). */
    public Formula formula(String source) throws RuleException {
        return compile("formula", rules, source, NUMBER);
    }

    private CompiledRule compile(String kind, Cel cel, String source, Set<CelKind> resultKinds) throws RuleException {
        if (source == null || source.isBlank()) throw new RuleException(kind + " is empty");
        String key = kind + '\u0000' + source;
        CompiledRule known = shared.get(key);
        if (known != null) return known;

        CelValidationResult result = cel.compile(source);
        if (result.hasError()) {
            throw new RuleException(kind + " '" + source + "' is invalid: " + result.getErrorString());
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = result.getAst();
        } catch (CelValidationException e) {
            throw new RuleException(kind + " '" + source + "' is invalid: " + e.getMessage());
        }
        CelType type = ast.getResultType();
        if (!resultKinds.contains(type.kind())) {
            String expected = resultKinds == NUMBER ? "a number" : "a bool";
            throw new RuleException(kind + " '" + source + "' must give " + expected + ", not " + type.name());
        }
        CompiledRule rule;
        try {
            rule = new CompiledRule(source, cel.createProgram(ast),
                    VariableReads.reads(ast.getExpr(), "customer"));
        } catch (CelEvaluationException e) {
            throw new RuleException(kind + " '" + source + "' cannot be planned: " + e.getMessage());
        }
        // A rule reading campaign.metadata gives different answers per campaign: never share it, so the engine may
        // cache selector results by rule identity.
        if (!VariableReads.reads(ast.getExpr(), "campaign")) {
            if (shared.size() >= MAX_SHARED) shared.clear();
            shared.putIfAbsent(key, rule);
        }
        return rule;
    }

    private static Cel environment(boolean withItem) {
        var builder = CelFactory.plannerCelBuilder()
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                // Attribute values may be ints or doubles: let `item.attributes.weight > 2.5` compare them.
                .setOptions(CelOptions.current().enableHeterogeneousNumericComparisons(true).build())
                .addVar("customer", MAP)
                .addVar("order", MAP)
                .addVar("context", MAP)
                .addVar("campaign", MAP)
                .addVar("event", MAP)
                .addVar("now", SimpleType.TIMESTAMP);
        if (withItem) builder.addVar("item", MAP);
        return builder.build();
    }
}
