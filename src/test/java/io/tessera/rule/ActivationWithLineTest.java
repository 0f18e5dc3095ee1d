package io.tessera.rule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An activation with a line added reads as one built with that line from the start; the original is unchanged. */
class ActivationWithLineTest {
    private static final Rules RULES = new Rules();
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private static Activation.Builder base() {
        return Activation.builder()
                .customer("c-1", Map.of("tier", "gold"), List.of("vip"), NOW, 2, 9_000, NOW)
                .order("o-1", "EUR", 500)
                .item("A", "a", List.of("shoes"), 1_000, 2, Map.of())
                .context(Map.of("channel", "web"))
                .now(NOW);
    }

    @Test
    void theOrderCountsTheNewLine() throws RuleException {
        for (boolean paid : new boolean[]{false, true}) {
            Activation.Builder b = base();
            if (paid) b.paid(300, 100);
            Activation before = b.build();
            Activation added = before.withLine("X", "x", List.of("hats"), 4_000, 3, Map.of("size", "L"));
            Activation.Builder whole = base().item("X", "x", List.of("hats"), 4_000, 3, Map.of("size", "L"));
            if (paid) whole.paid(300, 100);
            Activation expected = whole.build();
            List<String> formulas = List.of("order.subtotal", "order.shipping", "size(order.items)",
                    "order.items[1].amount", "order.items.filter(i, 'hats' in i.categories).size()",
                    "order.items[1].attributes.size == 'L' ? 1 : 0", "customer.orders.total",
                    "context.channel == 'web' ? 1 : 0");
            for (String f : formulas) {
                assertThat(RULES.formula(f).eval(added)).as(f).isEqualTo(RULES.formula(f).eval(expected));
            }
            assertThat(RULES.formula("order.subtotal").eval(added).longValueExact()).isEqualTo(14_000);
            assertThat(RULES.formula("size(order.items)").eval(before).longValueExact()).isEqualTo(1);
            assertThat(RULES.formula("order.subtotal").eval(before).longValueExact()).isEqualTo(2_000);
            if (paid) {
                // order.total is a paid order's (what an earning rule reads): 14,000 + 500 − 300 − 100.
                Formula total = RULES.earningPoints(false, "order.total");
                assertThat(total.eval(added).longValueExact()).isEqualTo(14_100);
                assertThat(total.eval(expected).longValueExact()).isEqualTo(14_100);
                assertThat(total.eval(before).longValueExact()).isEqualTo(2_100);
            }
        }
    }

    @Test
    void selectorsSeeTheNewLine() throws RuleException {
        Activation added = base().build().withLine("X", "x", List.of("hats"), 4_000, 3, Map.of());
        assertThat(added.lines()).isEqualTo(2);
        assertThat(RULES.selector("'hats' in item.categories").matches(added)).containsExactly(false, true);
    }
}
