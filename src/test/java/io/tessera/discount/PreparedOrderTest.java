package io.tessera.discount;

import static io.tessera.discount.Fixtures.C1;
import static io.tessera.discount.Fixtures.NOW;
import static io.tessera.discount.Fixtures.amount;
import static io.tessera.discount.Fixtures.cart;
import static io.tessera.discount.Fixtures.fixed;
import static io.tessera.discount.Fixtures.line;
import static io.tessera.discount.Fixtures.percent;
import static io.tessera.discount.Fixtures.promo;
import static io.tessera.discount.Fixtures.request;
import static io.tessera.discount.Fixtures.target;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A prepared order evaluates exactly as the engine does on the same order: with its variables built once, and with
 * lines added to it afterwards (a near miss's probes).
 */
class PreparedOrderTest {
    private final Cart cart = cart(500, line("A", 1_000, 2, "shoes"), line("B", 2_500, 1, "hats"));
    private final Map<String, Object> context = Map.of("channel", "web");
    private final List<Promotion> promotions = List.of(
            promo("over-100", amount(700)).auto().when("order.subtotal >= 10000").build(),
            promo("shoes", new Discount.Percent(fixed(10.0), null, target(Scope.ITEMS, "'shoes' in item.categories")))
                    .auto().when("order.items.exists(i, 'shoes' in i.categories) && context.channel == 'web'").build(),
            promo("three-lines", percent(5)).auto().when("size(order.items) >= 3").build(),
            promo("tiers", new Discount.Tiered(Discount.Basis.AMOUNT, List.of(new Discount.Tier(5_000, fixed(2.0), null),
                    new Discount.Tier(20_000, fixed(6.0), null)), Target.ORDER)).auto().build());

    @Test
    void evaluatesAsTheEngineDoesOnTheSameOrder() {
        PreparedOrder prepared = PreparedOrder.of(cart, C1, context, NOW);
        for (Promotion p : promotions) {
            assertThat(prepared.evaluate(ZoneOffset.UTC, 5, List.of(), List.of(p), Usage.NONE, true))
                    .isEqualTo(request(cart).context(context).maxDiscounts(5).automatic(p).explain().evaluate());
        }
    }

    @Test
    void aLineAddedLaterCountsInTheOrderAsIfItHadBeenThereFromTheStart() {
        PreparedOrder prepared = PreparedOrder.of(cart, C1, context, NOW);
        for (long price : new long[]{1, 5_499, 5_500, 16_499, 30_000}) {
            CartLine extra = new CartLine("*", "*", List.of(), price, 1, Map.of());
            List<CartLine> lines = new ArrayList<>(cart.lines());
            lines.add(extra);
            Cart whole = new Cart(cart.currency(), lines, cart.shipping());
            PreparedOrder probe = prepared.withLine(extra);
            assertThat(probe.cart()).isEqualTo(whole);
            for (Promotion p : promotions) {
                assertThat(probe.evaluate(ZoneOffset.UTC, 5, List.of(), List.of(p), Usage.NONE, true))
                        .as("%s with an extra line of %d", p.name(), price)
                        .isEqualTo(request(whole).context(context).maxDiscounts(5).automatic(p).explain().evaluate());
            }
        }
        // The prepared order itself is unchanged by its probes.
        assertThat(prepared.evaluate(ZoneOffset.UTC, 5, List.of(), promotions, Usage.NONE, false))
                .isEqualTo(request(cart).context(context).maxDiscounts(5).automatic(promotions.toArray(Promotion[]::new))
                        .evaluate());
    }
}
