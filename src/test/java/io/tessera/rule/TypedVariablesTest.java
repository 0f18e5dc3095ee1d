package io.tessera.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The variables are typed: mistakes a campaign would silently never apply with are refused at save time. */
class TypedVariablesTest {
    private static final Rules RULES = new Rules();
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void aConditionThatIsNotABoolIsRefused() {
        assertThatThrownBy(() -> RULES.condition("order.subtotal")).isInstanceOf(RuleException.class)
                .hasMessageContaining("must give a bool, not int");
        assertThatThrownBy(() -> RULES.condition("customer.segments")).isInstanceOf(RuleException.class)
                .hasMessageContaining("must give a bool, not list(string)");
    }

    @Test
    void comparingAnIntWithAStringIsRefused() {
        assertThatThrownBy(() -> RULES.condition("order.subtotal >= 'abc'")).isInstanceOf(RuleException.class)
                .hasMessageContaining("no matching overload");
        assertThatThrownBy(() -> RULES.condition("customer.isNew == 1")).isInstanceOf(RuleException.class)
                .hasMessageContaining("no matching overload");
        assertThatThrownBy(() -> RULES.selector("item.quantity + item.sku == 'x'")).isInstanceOf(RuleException.class)
                .hasMessageContaining("no matching overload");
    }

    @Test
    void unknownFieldsAreRefused() {
        assertThatThrownBy(() -> RULES.selector("item.cats == 'x'")).isInstanceOf(RuleException.class)
                .hasMessageContaining("undefined field 'cats'");
        assertThatThrownBy(() -> RULES.condition("order.total > 100")).isInstanceOf(RuleException.class)
                .hasMessageContaining("undefined field 'total'");
        assertThatThrownBy(() -> RULES.condition("customer.orders.sum > 1")).isInstanceOf(RuleException.class)
                .hasMessageContaining("undefined field 'sum'");
        assertThatThrownBy(() -> RULES.condition("order.items.exists(i, i.colour == 'red')"))
                .isInstanceOf(RuleException.class).hasMessageContaining("undefined field 'colour'");
        assertThatThrownBy(() -> RULES.condition("customer.loyalty.stars.level == 'Gold'"))
                .isInstanceOf(RuleException.class).hasMessageContaining("undefined field 'level'");
    }

    @Test
    void aFormulaThatIsNotANumberIsRefused() {
        assertThatThrownBy(() -> RULES.formula("'ten'")).isInstanceOf(RuleException.class)
                .hasMessageContaining("must give a number, not string");
        assertThatThrownBy(() -> RULES.formula("order.currency")).isInstanceOf(RuleException.class)
                .hasMessageContaining("must give a number");
    }

    @Test
    void freeMapsTakeAnyKeyAndAnyType() throws RuleException {
        Activation a = Activation.builder()
                .customer("c-1", Map.of("tier", "gold", "visits", 4), List.of(), NOW, 0, 0, null)
                .item("A", "a", List.of(), 100, 1, Map.of("weight", 2.5))
                .context(Map.of("channel", "app"))
                .now(NOW)
                .build();
        assertThat(RULES.condition("customer.attributes.tier == 'gold' && customer.attributes.visits > 3 "
                + "&& context.channel == 'app'").holds(a)).isTrue();
        assertThat(RULES.selector("item.attributes.weight > 2").matches(a)).containsExactly(true);
        assertThat(RULES.condition("campaign.metadata.anything == 1").source()).isNotEmpty();
    }

    @Test
    void customerDataOfLaterFeaturesIsDeclaredAndEmpty() throws RuleException {
        Activation a = Activation.builder().customer("c-1", Map.of(), List.of(), NOW, 0, 0, null).now(NOW).build();
        assertThat(RULES.condition("size(customer.redeemed) == 0 && !('review' in customer.events) "
                + "&& size(customer.loyalty) == 0 && !has(customer.orders.lastAt)").holds(a)).isTrue();
        assertThat(RULES.condition("customer.loyalty.stars.tier == 'Gold' && customer.loyalty.stars.balance > 100 "
                + "&& customer.events.review.count >= 1 && customer.events.review.last.stars >= 4 "
                + "&& customer.redeemed.blackfriday < 2").source()).isNotEmpty();
        assertThatThrownBy(() -> RULES.condition("customer.redeemed.blackfriday == 'x'"))
                .isInstanceOf(RuleException.class).hasMessageContaining("no matching overload");
    }

    @Test
    void theLastOrderIsATimestampWhenThereIsOne() throws RuleException {
        Activation a = Activation.builder()
                .customer("c-1", Map.of(), List.of(), NOW, 2, 5000, Instant.parse("2026-11-01T00:00:00Z"))
                .now(NOW)
                .build();
        assertThat(RULES.condition("has(customer.orders.lastAt) && now - customer.orders.lastAt > duration('24h')")
                .holds(a)).isTrue();
    }
}
