package io.tessera.rule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.runtime.CelEvaluationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Native} against CEL itself: thousands of random conditions and selectors over random variables (missing
 * keys, nulls, ints beside doubles, NaN, empty lists, shadowed names). Wherever the native form answers, its answer
 * is CEL's, and CEL did not fail; where CEL fails, it never answers.
 */
class NativeEvaluationTest {
    private static final Rules RULES = new Rules();
    private static final String[] OPS = {"==", "!=", "<", "<=", ">", ">="};
    private static final String[] KEYS = {"country", "tier", "age", "score", "vip", "tags", "nothing", "prefs", "gone"};

    private final Random random = new Random(20261201);

    @Test
    void whereverTheNativeFormAnswersItIsCelsAnswer() throws Exception {
        List<Activation> activations = new ArrayList<>();
        for (int i = 0; i < 6; i++) activations.add(activation(i));
        int compiled = 0;
        int answered = 0;
        int compared = 0;
        for (int n = 0; n < 4_000; n++) {
            boolean selector = n % 4 == 3;
            String source = selector ? bool(2, "item") : bool(3, null);
            CompiledRule rule;
            try {
                rule = (CompiledRule) (selector ? RULES.selector(source) : RULES.condition(source));
            } catch (RuleException badlyTyped) {
                continue;
            }
            compiled++;
            if (rule.fast() == null) continue;
            for (Activation a : activations) {
                List<dev.cel.runtime.CelVariableResolver> variables = new ArrayList<>();
                if (selector) for (int line = 0; line < a.lines(); line++) variables.add(a.withItem(line));
                else variables.add(a.resolver());
                for (var v : variables) {
                    Object cel;
                    try {
                        cel = rule.program().eval(v);
                    } catch (CelEvaluationException | RuntimeException e) {
                        cel = "error";
                    }
                    Object fast;
                    try {
                        fast = rule.fast().eval(v);
                    } catch (RuntimeException bail) {
                        assertThat(bail).as(source).isSameAs(Native.BAIL);
                        continue;
                    }
                    answered++;
                    assertThat(fast).as(source).isEqualTo(cel);
                }
                compared += variables.size();
            }
        }
        assertThat(compiled).isGreaterThan(1_000);
        // The native form must answer most evaluations for the comparison to mean something.
        assertThat(answered).isGreaterThan(compared / 3);
    }

    @Test
    void theFormsTheLoadGeneratorsConditionsUseAreAnsweredNatively() throws Exception {
        Activation a = activation(0);
        for (String source : List.of("order.subtotal >= 20400",
                "customer.attributes.country == 'DE' && order.items.exists(x, x.sku == 'SKU-1')",
                "customer.attributes.tier == 'gold' && order.subtotal >= 900",
                "order.items.exists(x, 'c1' in x.categories && x.quantity >= 2) && context.channel == 'web'",
                "!(customer.attributes.country in ['FR', 'IT']) || has(customer.attributes.vip)",
                "size(order.items) > 2 && order.items.all(i, i.price > 0) ? true : customer.isNew")) {
            CompiledRule rule = (CompiledRule) RULES.condition(source);
            assertThat(rule.fast()).as(source).isNotNull();
            assertThat(rule.fast().eval(a.resolver())).as(source).isInstanceOf(Boolean.class);
        }
        for (String source : List.of("now < timestamp('2027-01-01T00:00:00Z')",
                "customer.createdAt >= timestamp('2025-06-01T12:30:00+02:00') && now != customer.createdAt")) {
            CompiledRule rule = (CompiledRule) RULES.condition(source);
            assertThat(rule.fast()).as(source).isNotNull();
            assertThat(rule.fast().eval(a.resolver())).as(source).isEqualTo(rule.program().eval(a.resolver()));
        }
        // A string CEL cannot read as a timestamp fails at run time in CEL: never folded.
        assertThat(((CompiledRule) RULES.condition("now < timestamp('tomorrow')")).fast()).isNull();
        for (String source : List.of("order.items.map(i, i.price).size() > 0", "now < duration('1h') + now",
                "customer.attributes.tags[0] == 'a'", "order.subtotal - 100 > 0")) {
            assertThat(((CompiledRule) RULES.condition(source)).fast()).as(source).isNull();
        }
    }

    private Activation activation(int variant) {
        Map<String, Object> attributes = new HashMap<>();
        if (variant != 1) attributes.put("country", pick("DE", "FR", "IT"));
        if (variant % 2 == 0) attributes.put("tier", pick("gold", "silver"));
        attributes.put("age", variant == 2 ? 30.0 : (long) (18 + random.nextInt(50)));
        attributes.put("score", variant == 3 ? Double.NaN : random.nextDouble() * 10);
        attributes.put("vip", random.nextBoolean());
        attributes.put("tags", variant == 4 ? List.of() : List.of("a", pick("b", "c")));
        attributes.put("nothing", null);
        attributes.put("prefs", Map.of("k1", 1L, "k2", 2.5));
        Activation.Builder b = Activation.builder().customer("c-" + variant, attributes, List.of("silver"),
                Instant.parse("2026-01-01T00:00:00Z"), variant, 1000L * variant, null);
        int lines = variant == 5 ? 0 : 1 + random.nextInt(4);
        for (int i = 0; i < lines; i++) {
            b.item("SKU-" + random.nextInt(3), "p", List.of("c" + random.nextInt(3), "c" + random.nextInt(3)),
                    100 + random.nextInt(300), 1 + random.nextInt(3), i % 2 == 0 ? Map.of("size", "M") : Map.of());
        }
        return b.order("o", "EUR", 500).context(Map.of("channel", pick("web", "app"), "n", (long) variant))
                .now(Instant.parse("2026-12-01T10:00:00Z")).build();
    }

    private String bool(int depth, String item) {
        int choice = random.nextInt(depth <= 0 ? 4 : 10);
        return switch (choice) {
            case 0, 1 -> term(item) + " " + OPS[random.nextInt(OPS.length)] + " " + term(item);
            case 2 -> "has(customer.attributes." + pick(KEYS) + ")";
            case 3 -> term(item) + " in " + pick("['DE', 'FR']", "[1, 2, 30]", "customer.attributes.tags",
                    "customer.attributes.prefs", item == null ? "[true, null]" : item + ".categories", "[]");
            case 4 -> "(" + bool(depth - 1, item) + " && " + bool(depth - 1, item) + ")";
            case 5 -> "(" + bool(depth - 1, item) + " || " + bool(depth - 1, item) + ")";
            case 6 -> "!(" + bool(depth - 1, item) + ")";
            case 7 -> "(" + bool(depth - 1, item) + " ? " + bool(depth - 1, item) + " : " + bool(depth - 1, item) + ")";
            case 8 -> "size(" + pick("order.items", "customer.attributes.tags", "customer.attributes.country",
                    "customer.attributes.prefs") + ") " + OPS[random.nextInt(OPS.length)] + " " + random.nextInt(4);
            default -> {
                // A comprehension; sometimes its variable shadows the selector's item or another loop's.
                String v = pick("x", "y", "item");
                String range = pick("order.items", "order.items", "customer.attributes.tags",
                        "customer.attributes.prefs");
                String body = range.equals("order.items") ? bool(depth - 1, v) : v + " " + pick("==", "!=", ">")
                        + " " + pick("'a'", "'k1'", "1");
                yield range + "." + pick("exists", "all") + "(" + v + ", " + body + ")";
            }
        };
    }

    private String term(String item) {
        if (item != null && random.nextInt(3) == 0) {
            return item + "." + pick("sku", "price", "quantity", "attributes.size", "categories", "missing");
        }
        return switch (random.nextInt(6)) {
            case 0 -> "customer.attributes." + pick(KEYS);
            case 1 -> pick("order.subtotal", "order.shipping", "customer.orders.count", "context.n", "customer.isNew");
            case 2 -> pick("context.channel", "customer.id", "now", "customer.createdAt", "context.missing");
            case 3 -> pick("'DE'", "'gold'", "'web'", "'SKU-1'", "''");
            case 4 -> pick("1", "30", "30.0", "2.5", "-1", "0");
            default -> pick("true", "false", "null", "timestamp('2026-06-01T00:00:00Z')");
        };
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }
}
