package io.tessera.discount;

import static io.tessera.discount.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An expression that fails or runs over its evaluation budget does not apply: its reason is condition_not_met with a
 * message saying why, and the other campaigns of the order are evaluated as usual.
 */
class BoundedExpressionsTest {
    private static final String STOPPED = "was stopped: it exceeded its evaluation budget";
    private final Promotion plain = promo("plain", amount(100)).auto().sequence(1).build();

    private static Cart bigOrder() {
        CartLine[] lines = new CartLine[500];
        for (int i = 0; i < lines.length; i++) lines[i] = line("SKU-" + i, 100 + i, 1, "coffee");
        return cart(lines);
    }

    private static Rejection onlyRejection(Evaluation e) {
        assertThat(e.notApplied()).hasSize(1);
        return e.notApplied().getFirst();
    }

    @Test
    void aConditionOverItsBudgetDoesNotApplyAndSaysWhy() {
        Promotion pairs = promo("pairs", amount(100)).auto().sequence(2)
                .when("order.items.exists(a, order.items.exists(b, a.price + b.price < 0)) || true").build();
        Evaluation e = request(bigOrder()).automatic(plain, pairs).explain().evaluate();
        assertThat(e.applied()).extracting(a -> a.promotion().name()).containsExactly("plain");
        Rejection r = onlyRejection(e);
        assertThat(r.reason()).isEqualTo(Reason.CONDITION_NOT_MET);
        assertThat(r.message()).isEqualTo("the condition of campaign pairs " + STOPPED
                + " (more than 10,000 comprehension iterations)");
    }

    @Test
    void aSelectorOverItsBudgetDoesNotApplyAndSaysWhy() {
        Discount off = new Discount.AmountOff(fixed(100), target(Scope.ITEMS,
                "order.items.all(o, o.sku != item.sku || o.price == item.price)"));
        Promotion unique = promo("unique", off).auto().sequence(2).build();
        Evaluation e = request(bigOrder()).automatic(plain, unique).explain().evaluate();
        assertThat(e.applied()).extracting(a -> a.promotion().name()).containsExactly("plain");
        Rejection r = onlyRejection(e);
        assertThat(r.reason()).isEqualTo(Reason.CONDITION_NOT_MET);
        assertThat(r.message()).isEqualTo("the selector of campaign unique " + STOPPED
                + " (more than 1,000,000 evaluation steps over the order's lines)");
    }

    @Test
    void aBuyXGetYSelectorOverItsBudgetDoesNotApply() {
        Discount bogo = new Discount.BuyXGetY(selector("'coffee' in item.categories"), 1,
                selector("order.items.map(o, order.items + order.items).size() > 0"), 1, fixed(100), null);
        Promotion free = promo("free", bogo).auto().sequence(2).build();
        Rejection r = onlyRejection(request(bigOrder()).automatic(plain, free).explain().evaluate());
        assertThat(r.reason()).isEqualTo(Reason.CONDITION_NOT_MET);
        assertThat(r.message()).isEqualTo("the selector of campaign free " + STOPPED
                + " (lists of more than 200,000 elements built)");
    }

    @Test
    void aFormulaOverItsBudgetDoesNotApplyAndSaysWhy() {
        Discount off = new Discount.AmountOff(formula(
                "size(order.items.filter(a, order.items.exists(b, b.price > a.price)))"), Target.ORDER);
        Promotion counted = promo("counted", off).auto().sequence(2).build();
        Rejection r = onlyRejection(request(bigOrder()).automatic(plain, counted).explain().evaluate());
        assertThat(r.reason()).isEqualTo(Reason.CONDITION_NOT_MET);
        assertThat(r.message()).isEqualTo("the discount of campaign counted cannot be computed for this order: "
                + "its expression " + STOPPED + " (more than 10,000 comprehension iterations)");
    }

    @Test
    void aConditionThatCannotBeEvaluatedSaysWhy() {
        Promotion gold = promo("gold", amount(100)).auto().sequence(2).when("customer.attributes.tier == 'gold'")
                .build();
        Rejection r = onlyRejection(request(cart(line("A", 1000, 1))).automatic(plain, gold).explain().evaluate());
        assertThat(r.reason()).isEqualTo(Reason.CONDITION_NOT_MET);
        assertThat(r.message()).startsWith("the condition of campaign gold could not be evaluated: ")
                .contains("tier");
    }

    @Test
    void theSameExpressionsApplyToASmallOrder() {
        Promotion pairs = promo("pairs", amount(100)).auto().sequence(2)
                .when("order.items.exists(a, order.items.exists(b, a.sku != b.sku && a.price == b.price))").build();
        Cart twins = cart(line("A", 500, 1), line("B", 500, 1), line("C", 700, 1));
        Evaluation e = request(twins).automatic(plain, pairs).explain().evaluate();
        assertThat(e.applied()).extracting(a -> a.promotion().name()).containsExactly("plain", "pairs");
        assertThat(e.notApplied()).isEmpty();
    }

    @Test
    void theVariablesCarryTheShopperAndTheCart() throws Exception {
        Shopper ana = new Shopper("c-9", Map.of("tier", "gold"), List.of("vip"), NOW, 2, 3000);
        Cart c = new Cart("EUR", List.of(new CartLine("A", "a", List.of("tea"), 250, 4, Map.of("origin", "JP"))), 90);
        var view = Activations.of(ana, c, Map.of("channel", "app"), NOW);
        assertThat(RULES.condition("customer.id == 'c-9' && customer.attributes.tier == 'gold' "
                + "&& 'vip' in customer.segments && customer.orders.count == 2 && customer.orders.total == 3000 "
                + "&& !customer.isNew && customer.createdAt == now && order.currency == 'EUR' "
                + "&& order.subtotal == 1000 && order.shipping == 90 && order.items[0].amount == 1000 "
                + "&& order.items[0].attributes.origin == 'JP' && context.channel == 'app'").holds(view)).isTrue();
        assertThat(RULES.condition("customer.id == null && customer.isNew && order.subtotal == 0")
                .holds(Activations.of(null, null, null, NOW))).isTrue();
    }
}
