package io.tessera.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** An expression is at most 2,000 characters with comprehensions nested at most 2 deep. */
class ExpressionBoundsTest {
    private static final Rules RULES = new Rules();

    /** {@code order.subtotal >= 1 || …} of exactly {@code length} characters. */
    private static String ofLength(int length) {
        StringBuilder s = new StringBuilder("order.subtotal >= 1");
        while (s.length() + " || true".length() <= length) s.append(" || true");
        while (s.length() < length) s.append(' ');
        return s.toString();
    }

    @Test
    void anExpressionOfMoreThan2000CharactersIsRefused() {
        assertThatThrownBy(() -> RULES.condition(ofLength(2_319))).isInstanceOf(RuleException.class)
                .hasMessage("condition is 2,319 characters long; at most 2,000 are allowed");
        assertThatThrownBy(() -> RULES.formula("1" + " + 1".repeat(500))).isInstanceOf(RuleException.class)
                .hasMessage("formula is 2,001 characters long; at most 2,000 are allowed");
    }

    @Test
    void anExpressionOf2000CharactersIsAccepted() throws RuleException {
        assertThat(RULES.condition(ofLength(2_000)).source()).hasSize(2_000);
    }

    @Test
    void comprehensionsNested3DeepAreRefused() {
        assertThatThrownBy(() -> RULES.condition("order.items.exists(a, order.items.exists(b, "
                + "order.items.exists(c, a.price + b.price + c.price > 0)))")).isInstanceOf(RuleException.class)
                .hasMessage("condition nests comprehensions (exists, all, exists_one, map, filter) 3 deep; at most 2 "
                        + "are allowed");
        assertThatThrownBy(() -> RULES.selector("[1, 2].map(a, [3].filter(b, [4].all(c, c > a + b))).size() > 0"))
                .isInstanceOf(RuleException.class).hasMessageContaining("3 deep");
        assertThatThrownBy(() -> RULES.formula("size(order.items.map(a, order.items.map(b, "
                + "order.items.exists_one(c, c.price == a.price))))")).isInstanceOf(RuleException.class)
                .hasMessageContaining("3 deep");
    }

    @Test
    void twoDeepAndChainedComprehensionsAreAccepted() throws RuleException {
        assertThat(RULES.condition("order.items.exists(a, order.items.exists(b, a.sku != b.sku))").source())
                .isNotEmpty();
        // A comprehension over the result of another is not nested in it.
        assertThat(RULES.condition("order.items.filter(i, i.price > 100).map(i, i.sku)"
                + ".exists(s, order.items.all(i, i.sku != s + 'x'))").source()).isNotEmpty();
    }
}
