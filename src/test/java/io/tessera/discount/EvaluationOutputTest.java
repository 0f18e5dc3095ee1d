package io.tessera.discount;

import static io.tessera.discount.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shape of the answer: priced order, per-line shares and the limit counters a redemption takes. */
class EvaluationOutputTest {

    @Test
    void pricedOrderAddsUp() {
        Promotion ten = promo("ten", percent(10)).build();
        Promotion ship = promo("ship", new Discount.FreeShipping(fixed(300))).build();
        Evaluation e = request(cart(500, line("A", 1299, 2), line("B", 450, 1))).codes(ten, ship).evaluate();
        PricedOrder o = e.order();
        assertThat(o.currency()).isEqualTo("USD");
        assertThat(o.subtotal()).isEqualTo(3048);
        assertThat(o.discount()).isEqualTo(305); // 304.8
        assertThat(o.shippingDiscount()).isEqualTo(300);
        assertThat(o.total()).isEqualTo(3048 + 500 - 305 - 300);
        assertThat(o.items()).containsExactly(new PricedLine("A", 2, 1299, 2598, 260, 2338, false),
                new PricedLine("B", 1, 450, 450, 45, 405, false));
        assertThat(o.items().stream().mapToLong(PricedLine::discount).sum()).isEqualTo(o.discount());
    }

    @Test
    void appliedListsNonZeroLineSharesAndItsCounters() {
        Limits limits = new Limits(1000L, null, 1L, null, new PeriodLimit(100, Period.WEEK), 100000L, 9000000L);
        Promotion p = promo("p", new Discount.AmountOff(fixed(500), target(Scope.ITEMS, "item.sku != 'B'")))
                .limits(limits).build();
        Promotion gift = promo("gift", new Discount.FreeItem("G", 1, 250, "gift", List.of())).build();
        Evaluation e = request(cart(line("A", 1000, 1), line("B", 2000, 1), line("C", 1000, 1))).codes(p, gift)
                .evaluate();
        Applied a = e.applied().getFirst();
        assertThat(a.promotion()).isSameAs(p);
        assertThat(a.code()).isEqualTo("P");
        assertThat(a.discount()).isEqualTo(500);
        assertThat(a.itemsDiscount()).isEqualTo(500);
        assertThat(a.shippingDiscount()).isZero();
        assertThat(a.items()).containsExactly(new LineDiscount(0, "A", 250), new LineDiscount(2, "C", 250));
        assertThat(a.counters()).containsExactly(
                new CounterUse(LimitCounters.TOTAL, 1000, 1, Reason.REDEMPTION_LIMIT),
                new CounterUse("customer:c-1", 1, 1, Reason.CUSTOMER_LIMIT),
                new CounterUse("period:WEEK:2026-11-23", 100, 1, Reason.PERIOD_LIMIT),
                new CounterUse(LimitCounters.BUDGET_DISCOUNT, 100000, 500, Reason.BUDGET_EXHAUSTED),
                // the order value is the caller's subtotal; the added gift line is not counted
                new CounterUse(LimitCounters.BUDGET_ORDERS, 9000000, 4000, Reason.BUDGET_EXHAUSTED));
        assertThat(e.applied().get(1).items()).containsExactly(new LineDiscount(3, "G", 250));
        assertThat(e.applied().get(1).counters()).isEmpty();
    }

    @Test
    void theEngineIsDeterministic() {
        Promotion p = promo("p", new Discount.Percent(fixed(7), null, target(Scope.ITEMS,
                "item.price > 100"))).build();
        EvaluationRequest r = request(cart(line("A", 333, 3), line("B", 777, 1), line("C", 50, 9))).codes(p).build();
        assertThat(Engine.evaluate(r)).isEqualTo(Engine.evaluate(r));
    }

    @Test
    void compiledRulesAreSharedSafelyBetweenThreads() throws Exception {
        Promotion p = promo("p", new Discount.Percent(fixed(10), null, target(Scope.ITEMS,
                "item.price >= campaign.metadata.min"))).when("'vip' in customer.segments && context.n >= 0")
                .metadata(Map.of("min", 500)).build();
        Shopper vip = new Shopper("c-7", Map.of(), List.of("vip"), null, 0, 0);
        List<java.util.concurrent.Callable<Long>> tasks = new java.util.ArrayList<>();
        for (int n = 0; n < 64; n++) {
            long price = 100L * n;
            EvaluationRequest r = request(cart(line("A", price, 1), line("B", 1000, 1))).shopper(vip)
                    .context(Map.of("n", n)).codes(p).build();
            tasks.add(() -> Engine.evaluate(r).order().discount());
        }
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<Long>> results = pool.invokeAll(tasks);
            for (int n = 0; n < 64; n++) {
                long a = 100L * n >= 500 ? 100L * n : 0;
                assertThat(results.get(n).get()).isEqualTo(Rate.ofPercent(java.math.BigDecimal.TEN).of(a + 1000));
            }
        }
    }

    @Test
    void jsonStyleAttributesReachSelectors() {
        Map<String, Object> attributes = new java.util.HashMap<>();
        attributes.put("margin", 300); // an Integer, as Jackson parses it
        attributes.put("note", null);
        CartLine rich = new CartLine("R", "rich", List.of(), 1000, 1, attributes);
        Promotion p = promo("p", new Discount.Percent(fixed(10), null, target(Scope.ITEMS,
                "item.attributes.margin >= 300 && item.attributes.note == null"))).build();
        Evaluation e = request(new Cart("USD", List.of(rich, line("P", 1000, 1)), 0)).codes(p).evaluate();
        assertThat(e.applied().getFirst().items()).containsExactly(new LineDiscount(0, "R", 100));
    }

    @Test
    void campaignMetadataInConditionsAndSelectors() {
        Promotion p = promo("p", new Discount.Percent(fixed(10), null, target(Scope.ITEMS,
                "item.sku == campaign.metadata.sku"))).when("campaign.metadata.channel == context.channel")
                .metadata(Map.of("channel", "app", "sku", "B")).build();
        Cart cart = cart(line("A", 1000, 1), line("B", 2000, 1));
        Evaluation app = request(cart).context(Map.of("channel", "app")).codes(p).evaluate();
        assertThat(app.applied().getFirst().items()).containsExactly(new LineDiscount(1, "B", 200));
        Evaluation web = request(cart).context(Map.of("channel", "web")).codes(p).evaluate();
        assertThat(web.rejected().getFirst().reason()).isEqualTo(Reason.CONDITION_NOT_MET);
    }
}
