package io.tessera.rule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A metered expression runs without its {@link Meter} when {@link Shape#steps} proves the meter could never stop it.
 * The proof holds only if the bound is a true upper bound: here the meter counts what CEL really evaluates, over
 * expressions of every comprehension shape and variables of many widths, and never exceeds the bound; and the
 * answers with and without the meter are the same.
 */
class UnmeteredEvaluationTest {
    private static final Rules RULES = new Rules();
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static final List<String> CONDITIONS = List.of(
            "order.items.exists(x, x.sku == 'SKU-3')",
            "customer.attributes.country == 'DE' && order.items.exists(x, x.sku == 'SKU-1')",
            "order.items.exists(x, 'c1' in x.categories && x.quantity >= 2) && context.channel == 'web'",
            "order.items.all(i, i.price < 5000) && order.shipping >= 0",
            "order.items.exists(a, a.categories.exists(c, c == 'c2'))",
            "order.items.all(a, order.items.exists(b, b.price >= a.price))",
            "order.items.exists(a, order.items.all(b, a.quantity <= b.quantity || b.categories.size() > 0))",
            "customer.attributes.tags.exists(t, t == 'vip') || customer.segments.exists(s, s == 'gold')",
            "customer.attributes.prefs.exists(k, k == 'k7')",
            "customer.attributes.prefs.all(k, customer.attributes.prefs[k] >= 0)",
            "[1, 2, 3, 4, 5, 6, 7, 8].exists(n, order.items.exists(i, i.quantity == n))",
            "{'a': 1, 'b': 2}.exists(k, k == 'b') && order.items.exists(i, has(i.attributes.size))",
            "order.items.exists(i, i.price > 100 ? i.categories.exists(c, c == 'c0') : false)",
            "context.lists.exists(l, l.exists(v, v == 3))");

    private static Activation activation(int lines, int categories, int tags) {
        Map<String, Object> prefs = new java.util.HashMap<>();
        for (int i = 0; i < tags; i++) prefs.put("k" + i, i);
        Activation.Builder b = Activation.builder().customer("c-1",
                Map.of("country", "DE", "tags", IntStream.range(0, tags).mapToObj(i -> "t" + i).toList(),
                        "prefs", prefs), List.of("silver"), NOW, 2, 9000, null);
        for (int i = 0; i < lines; i++) {
            int line = i;
            List<String> cats = IntStream.range(0, categories).mapToObj(c -> "c" + ((line + c) % 5)).toList();
            b.item("SKU-" + i, "p" + i, cats, 100 + 37L * i, 1 + i % 3, i % 2 == 0 ? Map.of("size", "M") : Map.of());
        }
        List<List<Integer>> lists = new ArrayList<>();
        for (int i = 0; i < tags; i++) lists.add(IntStream.range(0, categories).boxed().toList());
        return b.order("o-1", "EUR", 500).context(Map.of("channel", "web", "lists", lists)).now(NOW).build();
    }

    @Test
    void theMeterNeverCountsMoreStepsThanTheBound() throws Exception {
        int checked = 0;
        int withinBudget = 0;
        for (String source : CONDITIONS) {
            CompiledRule rule = (CompiledRule) RULES.condition(source);
            assertThat(rule.shape()).as(source).isNotNull();
            for (int lines : new int[] {0, 1, 3, 10, 40}) {
                for (int width : new int[] {0, 2, 7}) {
                    Activation a = activation(lines, width, width);
                    long bound = rule.shape().steps(a.width(rule.readsCampaign()));
                    Meter meter = new Meter();
                    meter.start(rule.shape().roles());
                    Object metered;
                    try {
                        metered = rule.program().trace(a.resolver(), meter);
                    } catch (dev.cel.runtime.CelEvaluationException e) {
                        metered = "failed";
                    }
                    assertThat(meter.exceeded()).as(source).isNull();
                    assertThat((long) meter.steps()).as("%s on %d lines, width %d", source, lines, width)
                            .isLessThanOrEqualTo(bound);
                    assertThat(meter.iterations()).isLessThanOrEqualTo(meter.steps());
                    Object plain;
                    try {
                        plain = rule.program().eval(a.resolver());
                    } catch (dev.cel.runtime.CelEvaluationException e) {
                        plain = "failed";
                    }
                    assertThat(plain).as(source).isEqualTo(metered);
                    checked++;
                    if (bound <= Meter.MAX_ITERATIONS) withinBudget++;
                }
            }
        }
        assertThat(checked).isEqualTo(CONDITIONS.size() * 15);
        // Most of these small orders are provably within the budget: they are the ones that skip the meter.
        assertThat(withinBudget).isGreaterThan(checked / 2);
    }

    @Test
    void aLoopOverTenLinesIsBoundedWellWithinTheBudgetAndAHugeListIsNot() throws RuleException {
        Shape shape = ((CompiledRule) RULES.condition("order.items.exists(x, x.sku == 'SKU-3')")).shape();
        long tenLines = shape.steps(activation(10, 2, 2).width(false));
        assertThat(tenLines).isPositive().isLessThan(Meter.MAX_ITERATIONS / 10);
        assertThat(shape.widestWithin(Meter.MAX_ITERATIONS)).isGreaterThan(10);
        assertThat(shape.steps(shape.widestWithin(Meter.MAX_ITERATIONS))).isLessThanOrEqualTo(Meter.MAX_ITERATIONS);
        assertThat(shape.steps(shape.widestWithin(Meter.MAX_ITERATIONS) + 1)).isGreaterThan(Meter.MAX_ITERATIONS);
        Shape nested = ((CompiledRule) RULES.condition(
                "order.items.exists(a, order.items.exists(b, b.price == a.price * 2))")).shape();
        assertThat(nested.steps(500)).isGreaterThan(Meter.MAX_ITERATIONS);
    }

    @Test
    void anExpressionThatBuildsValuesIsAlwaysMetered() throws RuleException {
        for (String source : List.of("order.items.map(i, i.price).size() > 0",
                "order.items.exists_one(i, i.price > 0)", "size(customer.id + customer.id) > 0")) {
            assertThat(((CompiledRule) RULES.condition(source)).shape().steps(0)).as(source)
                    .isEqualTo(Long.MAX_VALUE);
        }
    }

    @Test
    void theWidthIsTheLongestListOrMapAnywhereInTheVariables() {
        assertThat(activation(3, 2, 1).width(false)).isEqualTo(9); // the customer map: its nine fields
        assertThat(activation(40, 2, 1).width(false)).isEqualTo(40);
        assertThat(activation(1, 25, 1).width(false)).isEqualTo(25);
        assertThat(activation(1, 1, 60).width(false)).isEqualTo(60);
        Activation withMetadata = activation(1, 1, 1).forCampaign(Map.of("tags", IntStream.range(0, 80).boxed().toList()));
        assertThat(withMetadata.width(false)).isLessThan(80);
        assertThat(withMetadata.width(true)).isEqualTo(80);
    }
}
