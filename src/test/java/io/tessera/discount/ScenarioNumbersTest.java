package io.tessera.discount;

import static io.tessera.discount.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-worked numbers of scenarios 01–17 (../shared/scenarios), reproduced at engine level. */
class ScenarioNumbersTest {

    @Test
    void s01_percentWithCapSpreadByLargestRemainder() {
        Promotion save15 = promo("save15", new Discount.Percent(fixed(15), fixed(2000), Target.ORDER)).build();
        Evaluation e = request(cart(500, line("A", 10000, 1), line("B", 2500, 2))).codes(save15).evaluate();
        assertThat(e.valid()).isTrue();
        assertThat(e.order().subtotal()).isEqualTo(15000);
        assertThat(e.order().discount()).isEqualTo(2000);
        assertThat(e.order().total()).isEqualTo(13500);
        assertThat(lineDiscount(e, "A")).isEqualTo(1333);
        assertThat(lineDiscount(e, "B")).isEqualTo(667);
        assertThat(e.applied().getFirst().code()).isEqualTo("SAVE15");
        assertThat(e.applied().getFirst().discount()).isEqualTo(2000);

        Evaluation under = request(cart(line("A", 4000, 1))).codes(save15).evaluate();
        assertThat(under.order().discount()).isEqualTo(600);
        assertThat(under.order().total()).isEqualTo(3400);
    }

    @Test
    void s02_amountLargerThanOrderStopsAtTheItems() {
        Promotion big = promo("big50", amount(5000)).build();
        Evaluation e = request(cart(700, line("A", 1000, 3))).codes(big).evaluate();
        assertThat(e.valid()).isTrue();
        assertThat(e.order().discount()).isEqualTo(3000);
        assertThat(e.order().shippingDiscount()).isZero();
        assertThat(e.order().total()).isEqualTo(700);
    }

    @Test
    void s03_fixedPricePerUnit() {
        Promotion shirts = promo("shirts", new Discount.FixedPrice(fixed(999),
                target(Scope.EACH_UNIT, "'shirts' in item.categories"))).build();
        Evaluation e = request(cart(line("S1", 1999, 2, "shirts"), line("S2", 899, 1, "shirts"),
                line("MUG", 1500, 1, "kitchen"))).codes(shirts).evaluate();
        assertThat(e.order().discount()).isEqualTo(2000);
        assertThat(lineDiscount(e, "S1")).isEqualTo(2000);
        assertThat(lineDiscount(e, "S2")).isZero();
        assertThat(lineDiscount(e, "MUG")).isZero();
    }

    @Test
    void s04_freeShippingAboveMinimum() {
        Promotion ship = promo("freeship", new Discount.FreeShipping(null)).when("order.subtotal >= 5000").build();
        Evaluation e = request(cart(795, line("A", 3000, 2))).codes(ship).evaluate();
        assertThat(e.valid()).isTrue();
        assertThat(e.order().discount()).isZero();
        assertThat(e.order().shippingDiscount()).isEqualTo(795);
        assertThat(e.order().total()).isEqualTo(6000);

        Evaluation below = request(cart(795, line("A", 4000, 1))).codes(ship).evaluate();
        assertThat(below.valid()).isFalse();
        assertThat(below.rejected().getFirst().reason()).isEqualTo(Reason.CONDITION_NOT_MET);
    }

    @Test
    void s05_buyOneGetOneHalfOffOnTheCheapest() {
        Discount bogo = new Discount.BuyXGetY(selector("'shoes' in item.categories"), 1,
                selector("'shoes' in item.categories"), 1, fixed(50), null);
        Promotion shoes = promo("shoes2", bogo).build();
        Evaluation three = request(cart(line("A", 8000, 1, "shoes"), line("B", 6000, 1, "shoes"),
                line("C", 5000, 1, "shoes"))).codes(shoes).evaluate();
        assertThat(three.order().discount()).isEqualTo(2500);
        assertThat(lineDiscount(three, "C")).isEqualTo(2500);
        assertThat(lineDiscount(three, "A")).isZero();

        Evaluation four = request(cart(line("A", 8000, 1, "shoes"), line("B", 6000, 1, "shoes"),
                line("C", 5000, 1, "shoes"), line("D", 4000, 1, "shoes"))).codes(shoes).evaluate();
        assertThat(four.order().discount()).isEqualTo(4500);
        assertThat(lineDiscount(four, "D")).isEqualTo(2000);
        assertThat(lineDiscount(four, "C")).isEqualTo(2500);
    }

    @Test
    void s06_tieredSpend() {
        Promotion tiers = promo("spend", new Discount.Tiered(Discount.Basis.AMOUNT, List.of(
                new Discount.Tier(10000, fixed(10), null), new Discount.Tier(20000, fixed(15), null)), Target.ORDER))
                .build();
        assertThat(request(cart(line("A", 15000, 1))).codes(tiers).evaluate().order().discount()).isEqualTo(1500);
        assertThat(request(cart(line("A", 12500, 2))).codes(tiers).evaluate().order().discount()).isEqualTo(3750);
        Evaluation none = request(cart(line("A", 9000, 1))).codes(tiers).evaluate();
        assertThat(none.valid()).isFalse();
        assertThat(none.rejected().getFirst().reason()).isEqualTo(Reason.CONDITION_NOT_MET);
    }

    @Test
    void s07_cheapestItemFree() {
        Promotion cheap = promo("cheapfree", new Discount.Percent(fixed(100), null, target(Scope.CHEAPEST))).build();
        Evaluation e = request(cart(line("A", 3000, 1), line("B", 1200, 2), line("C", 2500, 1))).codes(cheap)
                .evaluate();
        assertThat(e.valid()).isTrue();
        assertThat(e.order().discount()).isEqualTo(1200);
        assertThat(lineDiscount(e, "B")).isEqualTo(1200);
        assertThat(lineDiscount(e, "A")).isZero();
    }

    @Test
    void s08_buyTenGetOne() {
        Promotion beans = promo("beans11", new Discount.BuyXGetY(selector("item.sku == 'BEAN'"), 10,
                selector("item.sku == 'BEAN'"), 1, null, null)).build();
        assertThat(request(cart(line("BEAN", 500, 11))).codes(beans).evaluate().order().discount()).isEqualTo(500);
        assertThat(request(cart(line("BEAN", 500, 22))).codes(beans).evaluate().order().discount()).isEqualTo(1000);
        Evaluation ten = request(cart(line("BEAN", 500, 10))).codes(beans).evaluate();
        assertThat(ten.valid()).isFalse();
        assertThat(ten.rejected().getFirst().reason()).isEqualTo(Reason.NO_EFFECT);
    }

    @Test
    void s09_freeGiftAddedWhenMissing() {
        Promotion mug = promo("mug", new Discount.FreeItem("MUG", 1, 800, null, null)).auto()
                .when("order.items.exists(i, 'coffee' in i.categories)").build();
        Evaluation e = request(cart(line("COF", 1500, 1, "coffee"))).automatic(mug).evaluate();
        assertThat(e.valid()).isTrue();
        assertThat(e.order().subtotal()).isEqualTo(2300);
        assertThat(e.order().discount()).isEqualTo(800);
        assertThat(e.order().total()).isEqualTo(1500);
        PricedLine added = e.order().items().get(1);
        assertThat(added.sku()).isEqualTo("MUG");
        assertThat(added.added()).isTrue();
        assertThat(added.discount()).isEqualTo(800);
        assertThat(e.applied().getFirst().promotion().name()).isEqualTo("mug");
        assertThat(e.applied().getFirst().code()).isNull();
        assertThat(e.applied().getFirst().items()).containsExactly(new LineDiscount(1, "MUG", 800));

        Evaluation tea = request(cart(line("TEA", 1500, 1, "tea"))).automatic(mug).evaluate();
        assertThat(tea.valid()).isTrue();
        assertThat(tea.order().discount()).isZero();
        assertThat(tea.applied()).isEmpty();
    }

    @Test
    void s10_perCustomerLimit() {
        Promotion welcome = promo("welcome", amount(500)).limits(new Limits(null, null, 1L, null, null, null, null))
                .build();
        Cart cart = cart(line("A", 2000, 1));
        Evaluation first = request(cart).codes(welcome).evaluate();
        assertThat(first.order().discount()).isEqualTo(500);
        assertThat(first.applied().getFirst().counters())
                .containsExactly(new CounterUse("customer:c-1", 1, 1, Reason.CUSTOMER_LIMIT));

        Usage c1Redeemed = (id, counter) -> counter.equals("customer:c-1") ? 1 : 0;
        Evaluation again = request(cart).codes(welcome).usage(c1Redeemed).evaluate();
        assertThat(again.rejected().getFirst().reason()).isEqualTo(Reason.CUSTOMER_LIMIT);

        Shopper c2 = new Shopper("c-2", Map.of(), List.of(), null, 0, 0);
        assertThat(request(cart).codes(welcome).usage(c1Redeemed).shopper(c2).evaluate().order().discount())
                .isEqualTo(500);
    }

    @Test
    void s11_totalLimit() {
        Promotion two = promo("onlytwo", amount(100)).limits(new Limits(2L, null, null, null, null, null, null))
                .build();
        Cart cart = cart(line("A", 1000, 1));
        assertThat(request(cart).codes(two).usage((id, c) -> 1).evaluate().valid()).isTrue();
        Evaluation full = request(cart).codes(two).usage((id, c) -> c.equals(LimitCounters.TOTAL) ? 2 : 0).evaluate();
        assertThat(full.rejected().getFirst().reason()).isEqualTo(Reason.REDEMPTION_LIMIT);
    }

    @Test
    void s12_budgetIsNeverPartlyGiven() {
        Promotion budget = promo("budget30", amount(3000))
                .limits(new Limits(null, null, null, null, null, 5000L, null)).build();
        Cart cart = cart(line("A", 10000, 1));
        Evaluation first = request(cart).codes(budget).evaluate();
        assertThat(first.order().discount()).isEqualTo(3000);
        assertThat(first.applied().getFirst().counters())
                .containsExactly(new CounterUse(LimitCounters.BUDGET_DISCOUNT, 5000, 3000, Reason.BUDGET_EXHAUSTED));

        Usage used3000 = (id, c) -> c.equals(LimitCounters.BUDGET_DISCOUNT) ? 3000 : 0;
        Evaluation second = request(cart).codes(budget).usage(used3000).shopper(new Shopper("c-2", Map.of(),
                List.of(), null, 0, 0)).evaluate();
        assertThat(second.valid()).isFalse();
        assertThat(second.rejected().getFirst().reason()).isEqualTo(Reason.BUDGET_EXHAUSTED);
        assertThat(second.order().discount()).isZero();
    }

    @Test
    void s13_startAndEndDates() {
        Promotion dec = promo("dec", amount(100)).between("2026-12-01T00:00:00Z", "2026-12-31T23:59:59Z").build();
        Cart cart = cart(line("A", 1000, 1));
        Evaluation before = request(cart).codes(dec).at("2026-11-30T12:00:00Z").evaluate();
        assertThat(before.rejected().getFirst().reason()).isEqualTo(Reason.NOT_STARTED);
        assertThat(request(cart).codes(dec).at("2026-12-15T12:00:00Z").evaluate().valid()).isTrue();
        assertThat(request(cart).codes(dec).at("2026-12-31T23:59:59Z").evaluate().valid()).isTrue();
        Evaluation after = request(cart).codes(dec).at("2027-01-01T00:00:00Z").evaluate();
        assertThat(after.rejected().getFirst().reason()).isEqualTo(Reason.EXPIRED);
        assertThat(after.rejected().getFirst().message()).isEqualTo("code DEC expired on 2026-12-31");
    }

    @Test
    void s14_segmentOnlyCode() {
        Promotion vip = promo("vip", percent(20)).when("'vip' in customer.segments").build();
        Cart cart = cart(line("A", 5000, 1));
        Shopper member = new Shopper("c-vip", Map.of(), List.of("vip"), null, 0, 0);
        Shopper other = new Shopper("c-other", Map.of(), List.of(), null, 0, 0);
        assertThat(request(cart).codes(vip).shopper(member).evaluate().order().discount()).isEqualTo(1000);
        assertThat(request(cart).codes(vip).shopper(other).evaluate().rejected().getFirst().reason())
                .isEqualTo(Reason.CONDITION_NOT_MET);
        assertThat(request(cart).codes(vip).anonymous().evaluate().rejected().getFirst().reason())
                .isEqualTo(Reason.CUSTOMER_REQUIRED);
    }

    @Test
    void s15_newCustomerDynamicAmountOnSelectedSkus() {
        Promotion arabica = promo("arabica-lvrs", new Discount.AmountOff(formula("customer.isNew ? 1000 : 500"),
                target(Scope.ITEMS, "item.sku in ['ARA-1KG', 'ARA-500']")))
                .when("order.items.exists(i, i.sku in ['ARA-1KG', 'ARA-500'])").build();
        Cart cart = cart(line("ARA-1KG", 2400, 1, "coffee"), line("TEA", 2000, 1));
        Shopper fresh = new Shopper("c-new", Map.of(), List.of(), Instant.parse("2026-11-01T00:00:00Z"), 0, 0);
        Shopper old = new Shopper("c-old", Map.of(), List.of(), Instant.parse("2026-01-01T00:00:00Z"), 1, 2000);

        Evaluation e = request(cart).codes(arabica).shopper(fresh).evaluate();
        assertThat(e.order().discount()).isEqualTo(1000);
        assertThat(lineDiscount(e, "ARA-1KG")).isEqualTo(1000);
        assertThat(lineDiscount(e, "TEA")).isZero();
        assertThat(request(cart).codes(arabica).shopper(old).evaluate().order().discount()).isEqualTo(500);
        Evaluation teaOnly = request(cart(line("TEA", 2000, 1))).codes(arabica).shopper(fresh).evaluate();
        assertThat(teaOnly.rejected().getFirst().reason()).isEqualTo(Reason.CONDITION_NOT_MET);
    }

    @Test
    void s16_stackingByPriority() {
        Promotion p10 = promo("p10", percent(10)).build();
        Promotion a10 = promo("a10", amount(1000)).priority(10).build();
        Evaluation e = request(cart(line("A", 10000, 1))).codes(p10, a10).evaluate();
        assertThat(e.valid()).isTrue();
        assertThat(e.order().discount()).isEqualTo(1900);
        assertThat(e.applied()).extracting(Applied::code).containsExactly("A10", "P10");
        assertThat(e.applied().get(1).discount()).isEqualTo(900);
    }

    @Test
    void s17_exclusivePromotionAppliesAlone() {
        Promotion solo = promo("solo", percent(20)).auto().when("order.subtotal >= 5000").priority(5).exclusive()
                .build();
        Promotion five = promo("save5", amount(500)).build();
        Evaluation e = request(cart(line("A", 6000, 1))).codes(five).automatic(solo).evaluate();
        assertThat(e.valid()).isFalse();
        assertThat(e.order().discount()).isEqualTo(1200);
        assertThat(e.applied().getFirst().promotion().name()).isEqualTo("solo");
        assertThat(e.rejected().getFirst().code()).isEqualTo("SAVE5");
        assertThat(e.rejected().getFirst().reason()).isEqualTo(Reason.EXCLUSIVE_APPLIED);

        Evaluation below = request(cart(line("A", 4000, 1))).codes(five).automatic(solo).evaluate();
        assertThat(below.valid()).isTrue();
        assertThat(below.order().discount()).isEqualTo(500);
    }
}
