package io.tessera.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The pathological expressions of issue 7, within the allowed nesting: each is stopped by the evaluation budget,
 * and so never burns a core or the heap at checkout.
 */
class EvaluationBudgetTest {
    private static final Rules RULES = new Rules();
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final String STOPPED = "was stopped: it exceeded its evaluation budget";

    private static Activation order(int lines, Map<String, Object> attributes) {
        Activation.Builder b = Activation.builder().customer("c-1", attributes, List.of(), NOW, 0, 0, null);
        for (int i = 0; i < lines; i++) b.item("SKU-" + i, "p", List.of("coffee"), 100 + i, 1, Map.of());
        return b.order("o-1", "USD", 0).now(NOW).build();
    }

    private static String literalList(int size) {
        return IntStream.range(0, size).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
    }

    @Test
    void aDoubleLoopOverA500LineOrderIsStopped() throws RuleException {
        Condition pairs = RULES.condition("order.items.exists(a, order.items.exists(b, a.price + b.price < 0))");
        assertThatThrownBy(() -> pairs.holds(order(500, Map.of()))).isInstanceOf(RuleException.class)
                .hasMessage(STOPPED + " (more than 10,000 comprehension iterations)");
    }

    @Test
    void theSameDoubleLoopOverA50LineOrderIsWithinTheBudget() throws RuleException {
        Condition pairs = RULES.condition("order.items.exists(a, order.items.exists(b, a.price + b.price < 0))");
        assertThat(pairs.holds(order(50, Map.of()))).isFalse();
    }

    @Test
    void anOverrunCountsEvenWhenTheRestOfTheExpressionWouldHold() throws RuleException {
        // CEL absorbs errors in `||`: the stop must not turn into "true".
        Condition absorbed = RULES.condition("order.items.all(a, order.items.all(b, a.price > 0)) || true");
        assertThatThrownBy(() -> absorbed.holds(order(500, Map.of()))).isInstanceOf(RuleException.class)
                .hasMessageStartingWith(STOPPED);
        assertThat(absorbed.test(order(500, Map.of()))).isFalse();
    }

    @Test
    void nestedMapOverABigLiteralListIsStopped() throws RuleException {
        String list = literalList(200);
        Condition grid = RULES.condition(list + ".map(a, " + list + ".map(b, a * b)).size() > 0");
        // The runtime copies a map's result at every step: the copies are what runs out first.
        assertThatThrownBy(() -> grid.holds(order(1, Map.of()))).isInstanceOf(RuleException.class)
                .hasMessage(STOPPED + " (lists of more than 200,000 elements built)");
        // The inner literal is evaluated again at every outer iteration: 200 steps each.
        Condition products = RULES.condition(list + ".exists(a, " + list + ".exists(b, a * b < 0))");
        assertThatThrownBy(() -> products.holds(order(1, Map.of()))).isInstanceOf(RuleException.class)
                .hasMessage(STOPPED + " (more than 100,000 evaluation steps)");
    }

    @Test
    void stringGrowthByConcatenationInAComprehensionIsStopped() throws RuleException {
        Map<String, Object> bio = Map.of("bio", "x".repeat(1_000));
        Condition copies = RULES.condition("order.items.map(i, customer.attributes.bio + customer.attributes.bio)"
                + ".size() > 0");
        assertThatThrownBy(() -> copies.holds(order(500, bio))).isInstanceOf(RuleException.class)
                .hasMessage(STOPPED + " (strings of more than 100,000 characters built)");
        Condition literal = RULES.condition(literalList(100) + ".map(a, " + literalList(100) + ".map(b, '"
                + "y".repeat(200) + "' + string(a) + '" + "z".repeat(200) + "')).size() > 0");
        assertThatThrownBy(() -> literal.holds(order(1, Map.of()))).isInstanceOf(RuleException.class)
                .hasMessage(STOPPED + " (strings of more than 100,000 characters built)");
    }

    @Test
    void stringGrowthWithoutAComprehensionIsStopped() throws RuleException {
        Map<String, Object> bio = Map.of("bio", "x".repeat(30_000));
        Condition doubled = RULES.condition("size(customer.attributes.bio + customer.attributes.bio "
                + "+ customer.attributes.bio + customer.attributes.bio) > 0");
        assertThatThrownBy(() -> doubled.holds(order(1, bio))).isInstanceOf(RuleException.class)
                .hasMessage(STOPPED + " (strings of more than 100,000 characters built)");
    }

    @Test
    void listGrowthByConcatenationInAComprehensionIsStopped() throws RuleException {
        Condition copies = RULES.condition("order.items.map(i, order.items + order.items).size() > 0");
        assertThatThrownBy(() -> copies.holds(order(500, Map.of()))).isInstanceOf(RuleException.class)
                .hasMessage(STOPPED + " (lists of more than 200,000 elements built)");
    }

    @Test
    void aFormulaOverItsBudgetIsStopped() throws RuleException {
        Formula count = RULES.formula("size(order.items.filter(a, order.items.exists(b, b.price > a.price)))");
        assertThatThrownBy(() -> count.eval(order(500, Map.of()))).isInstanceOf(RuleException.class)
                .hasMessage(STOPPED + " (more than 10,000 comprehension iterations)");
        assertThat(count.eval(order(20, Map.of()))).isEqualByComparingTo("19");
    }

    @Test
    void aSelectorLoopingOverTheOrderForEachLineIsBoundedOverThePass() throws RuleException {
        Selector unique = RULES.selector("order.items.all(o, o.sku != item.sku || o.price == item.price)");
        // Each line alone is within the budget of one evaluation (500 iterations); the pass over 500 lines is not.
        assertThatThrownBy(() -> unique.matches(order(500, Map.of()))).isInstanceOf(RuleException.class)
                .hasMessage(STOPPED + " (more than 1,000,000 evaluation steps over the order's lines)");
        assertThat(unique.matches(order(30, Map.of()))).containsOnly(true).hasSize(30);
    }

    @Test
    void aSelectorWithADoubleLoopIsStoppedOnItsFirstLine() throws RuleException {
        Selector pairs = RULES.selector("order.items.exists(a, order.items.exists(b, a.price + b.price "
                + "== item.price))");
        assertThatThrownBy(() -> pairs.matches(order(500, Map.of()))).isInstanceOf(RuleException.class)
                .hasMessage(STOPPED + " (more than 10,000 comprehension iterations)");
    }
}
