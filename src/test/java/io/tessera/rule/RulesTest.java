package io.tessera.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RulesTest {
    private static final Rules RULES = new Rules();
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    /** JSON as Jackson gives it: Integer, not Long, and a null value. */
    private static final Map<String, Object> ATTRIBUTES = attributes();
    private static final Activation ACTIVATION = ana()
            .item("ARA-1KG", "arabica-1kg", List.of("coffee", "arabica"), 1299, 2, Map.of("margin", 300))
            .item("MUG", "mug", List.of("kitchen"), 800, 1, null)
            .order("o-1", "USD", 500)
            .context(Map.of("channel", "app", "visits", 3))
            .now(NOW)
            .build();

    private static Activation.Builder ana() {
        return Activation.builder().customer("c-42", ATTRIBUTES, List.of("vip", "beta"),
                Instant.parse("2025-03-01T00:00:00Z"), 3, 45000, null);
    }

    private static Map<String, Object> attributes() {
        Map<String, Object> a = new HashMap<>();
        a.put("country", "DE");
        a.put("margin", 300);
        a.put("score", 2.5);
        a.put("nickname", null);
        a.put("address", Map.of("zip", 10115));
        return a;
    }

    private static boolean holds(String condition) throws RuleException {
        return RULES.condition(condition).holds(ACTIVATION);
    }

    @Test
    void conditionsSeeCustomerOrderContextAndNow() throws RuleException {
        assertThat(holds("order.subtotal >= 3000 && 'vip' in customer.segments")).isTrue();
        assertThat(holds("order.subtotal == 3398 && order.shipping == 500 && order.currency == 'USD'")).isTrue();
        assertThat(holds("order.items.exists(i, 'arabica' in i.categories && i.amount == 2598)")).isTrue();
        assertThat(holds("size(order.items) == 2 && order.items[1].sku == 'MUG'")).isTrue();
        assertThat(holds("customer.id == 'c-42' && customer.orders.count == 3 && customer.orders.total == 45000"))
                .isTrue();
        assertThat(holds("customer.isNew")).isFalse();
        assertThat(holds("context.channel == 'app' && context.visits + 1 == 4")).isTrue();
        assertThat(holds("now > timestamp('2026-11-01T00:00:00Z') && now.getMonth() == 10")).isTrue();
        assertThat(holds("customer.createdAt < now - duration('240h')")).isTrue();
        assertThat(holds("'gold' in customer.segments")).isFalse();
    }

    @Test
    void jsonNumbersAndNullsInAttributesWorkInArithmetic() throws RuleException {
        assertThat(holds("customer.attributes.margin + 1 == 301")).isTrue();
        assertThat(holds("customer.attributes.address.zip == 10115")).isTrue();
        assertThat(holds("customer.attributes.score > 2 && customer.attributes.margin > 2.5")).isTrue();
        assertThat(holds("customer.attributes.nickname == null")).isTrue();
        assertThat(holds("order.items[0].attributes.margin * 2 == 600")).isTrue();
    }

    @Test
    void anEvaluationErrorSaysWhyTheConditionCannotBeDecided() throws RuleException {
        Condition tier = RULES.condition("customer.attributes.tier == 'gold'");
        assertThatThrownBy(() -> tier.holds(ACTIVATION)).isInstanceOf(RuleException.class)
                .hasMessageStartingWith("could not be evaluated: ").hasMessageContaining("tier");
        assertThat(tier.test(ACTIVATION)).isFalse();
        assertThat(RULES.condition("!(customer.attributes.tier == 'gold')").test(ACTIVATION)).isFalse();
        assertThat(RULES.condition("order.subtotal / 0 > 1").test(ACTIVATION)).isFalse();
        assertThat(holds("has(customer.attributes.tier)")).isFalse();
    }

    @Test
    void aConditionGivingNoBoolAtRunTimeCannotBeDecided() throws RuleException {
        Condition flag = RULES.condition("context.channel");
        assertThatThrownBy(() -> flag.holds(ACTIVATION)).isInstanceOf(RuleException.class)
                .hasMessage("gave app, not a bool");
    }

    @Test
    void anonymousCustomerHasEmptyValues() throws RuleException {
        Activation anonymous = Activation.builder().item("A", null, List.of(), 100, 1, Map.of()).now(NOW).build();
        assertThat(RULES.condition("customer.id == null && customer.isNew && size(customer.segments) == 0 "
                + "&& customer.createdAt == null && customer.orders.count == 0").holds(anonymous)).isTrue();
    }

    @Test
    void anActivationWithoutAnOrderHasAnEmptyOrder() throws RuleException {
        Activation noCart = ana().now(NOW).build();
        assertThat(RULES.condition("order.subtotal == 0 && size(order.items) == 0").holds(noCart)).isTrue();
    }

    @Test
    void selectorsSeeTheItem() throws RuleException {
        Selector coffee = RULES.selector("'coffee' in item.categories && item.price > 1000");
        assertThat(coffee.matches(ACTIVATION)).containsExactly(true, false);
        Selector all = RULES.selector("item.quantity * item.price == item.amount && item.attributes.size() >= 0");
        assertThat(all.matches(ACTIVATION)).containsExactly(true, true);
    }

    @Test
    void aLineTheSelectorCannotBeEvaluatedOnIsNotSelected() throws RuleException {
        // The mug has no margin attribute.
        assertThat(RULES.selector("item.attributes.margin >= 300").matches(ACTIVATION)).containsExactly(true, false);
    }

    @Test
    void campaignMetadataComesFromTheCampaignView() throws RuleException {
        Condition tv = RULES.condition("campaign.metadata.channel == 'tv'");
        assertThat(tv.test(ACTIVATION.forCampaign(Map.of("channel", "tv")))).isTrue();
        assertThat(tv.test(ACTIVATION.forCampaign(Map.of("channel", "web")))).isFalse();
        assertThat(tv.test(ACTIVATION)).isFalse();
    }

    @Test
    void formulasGiveExactDecimals() throws RuleException {
        assertThat(RULES.formula("customer.isNew ? 1000 : 500").eval(ACTIVATION)).isEqualByComparingTo("500");
        assertThat(RULES.formula("double(order.subtotal) * 0.1").eval(ACTIVATION)).isEqualByComparingTo("339.8");
        assertThat(RULES.formula("12u").eval(ACTIVATION)).isEqualByComparingTo(BigDecimal.valueOf(12));
        assertThat(RULES.formula("customer.attributes.margin").eval(ACTIVATION)).isEqualByComparingTo("300");
    }

    @Test
    void formulaFailuresAreRuleExceptions() throws RuleException {
        Formula missing = RULES.formula("customer.attributes.bonus * 2");
        assertThatThrownBy(() -> missing.eval(ACTIVATION)).isInstanceOf(RuleException.class)
                .hasMessageStartingWith("could not be evaluated: ").hasMessageContaining("bonus");
        Formula text = RULES.formula("customer.attributes.country");
        assertThatThrownBy(() -> text.eval(ACTIVATION)).isInstanceOf(RuleException.class)
                .hasMessage("gave DE, not a number");
    }

    @Test
    void syntaxErrorsAreRejectedAtSaveTime() {
        assertThatThrownBy(() -> RULES.condition("order.subtotal >=")).isInstanceOf(RuleException.class)
                .hasMessageContaining("condition 'order.subtotal >=' is invalid");
        assertThatThrownBy(() -> RULES.condition(" ")).isInstanceOf(RuleException.class)
                .hasMessage("condition is empty");
    }

    @Test
    void undeclaredVariablesAreRejected() {
        assertThatThrownBy(() -> RULES.condition("cart.total > 5")).isInstanceOf(RuleException.class)
                .hasMessageContaining("undeclared reference to 'cart'");
        assertThatThrownBy(() -> RULES.condition("'coffee' in item.categories")).isInstanceOf(RuleException.class)
                .hasMessageContaining("undeclared reference to 'item'");
        assertThatThrownBy(() -> RULES.formula("item.price")).isInstanceOf(RuleException.class);
        // event is for event rules, not campaign conditions
        assertThatThrownBy(() -> RULES.condition("event.type == 'review'")).isInstanceOf(RuleException.class)
                .hasMessageContaining("undeclared reference to 'event'");
    }

    @Test
    void wrongResultTypesAreRejected() throws RuleException {
        assertThatThrownBy(() -> RULES.condition("order.subtotal + 1")).isInstanceOf(RuleException.class)
                .hasMessageContaining("must give a bool, not int");
        assertThatThrownBy(() -> RULES.selector("item.sku + 'x'")).isInstanceOf(RuleException.class)
                .hasMessageContaining("must give a bool, not string");
        assertThatThrownBy(() -> RULES.formula("order.subtotal > 1")).isInstanceOf(RuleException.class)
                .hasMessageContaining("must give a number, not bool");
        assertThatThrownBy(() -> RULES.formula("'500'")).isInstanceOf(RuleException.class);
        // dyn is accepted: its type is only known at run time
        assertThat(RULES.condition("context.flag").source()).isEqualTo("context.flag");
        assertThat(RULES.formula("context.amount").source()).isEqualTo("context.amount");
        assertThat(RULES.formula("2.5").source()).isEqualTo("2.5");
    }

    @Test
    void usesCustomerLooksAtTheSyntaxTree() throws RuleException {
        assertThat(RULES.condition("customer.isNew").usesCustomer()).isTrue();
        assertThat(RULES.condition("'vip' in customer.segments").usesCustomer()).isTrue();
        assertThat(RULES.condition("order.items.all(i, i.price > customer.orders.count)").usesCustomer()).isTrue();
        assertThat(RULES.formula("customer.isNew ? 1000 : 500").usesCustomer()).isTrue();
        assertThat(RULES.condition("order.subtotal > 100").usesCustomer()).isFalse();
        assertThat(RULES.condition("'customer' in context").usesCustomer()).isFalse();
        assertThat(RULES.condition("context.customer == 'x'").usesCustomer()).isFalse();
        assertThat(RULES.condition("order.items.exists(customer, customer.sku == 'A')").usesCustomer()).isFalse();
        assertThat(RULES.formula("order.subtotal / 10").usesCustomer()).isFalse();
    }

    @Test
    void readsCustomerLoyaltyOnlyWhenTheExpressionMayReachIt() throws RuleException {
        assertThat(RULES.condition("customer.loyalty.stars.tier == 'Silver'").readsCustomerLoyalty()).isTrue();
        assertThat(RULES.condition("'stars' in customer.loyalty").readsCustomerLoyalty()).isTrue();
        assertThat(RULES.formula("customer.loyalty.stars.balance / 10").readsCustomerLoyalty()).isTrue();
        assertThat(RULES.selector("item.price < customer.loyalty.stars.balance").readsCustomerLoyalty()).isTrue();
        assertThat(RULES.condition("[customer][0].loyalty.size() > 0").readsCustomerLoyalty()).isTrue();
        assertThat(RULES.condition("customer.isNew && 'vip' in customer.segments").readsCustomerLoyalty()).isFalse();
        assertThat(RULES.condition("context.loyalty == 'x'").readsCustomerLoyalty()).isFalse();
        assertThat(RULES.condition("order.items.exists(customer, customer.sku == 'A')").readsCustomerLoyalty())
                .isFalse();
    }

    @Test
    void identicalRulesAreCompiledOnceUnlessTheyReadTheCampaign() throws RuleException {
        assertThat(RULES.selector("item.sku == 'A'")).isSameAs(RULES.selector("item.sku == 'A'"));
        assertThat((Object) RULES.condition("order.subtotal > 0")).isNotSameAs(RULES.selector("order.subtotal > 0"));
        assertThat(RULES.selector("campaign.metadata.sku == item.sku"))
                .isNotSameAs(RULES.selector("campaign.metadata.sku == item.sku"));
    }
}
