package io.tessera.discount;

import static io.tessera.discount.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every discount type of api.md on every target scope it supports. */
class DiscountTypesTest {
    private static final Cart COFFEE_AND_TEA = cart(line("A", 1000, 1, "coffee"), line("B", 3000, 1, "coffee"),
            line("C", 5000, 1, "tea"));

    private static Evaluation apply(Discount discount, Cart cart) {
        return request(cart).codes(promo("x", discount).build()).evaluate();
    }

    @Nested
    class Percent {
        @Test
        void orderScopeTakesThePercentOfAllItemsAndSpreadsIt() {
            Evaluation e = apply(percent(10), COFFEE_AND_TEA);
            assertThat(e.order().discount()).isEqualTo(900);
            assertThat(e.applied().getFirst().items()).containsExactly(new LineDiscount(0, "A", 100),
                    new LineDiscount(1, "B", 300), new LineDiscount(2, "C", 500));
        }

        @Test
        void itemsScopeCoversTheSelectedLinesOnly() {
            Evaluation e = apply(new Discount.Percent(fixed(10), null, target(Scope.ITEMS,
                    "'coffee' in item.categories")), COFFEE_AND_TEA);
            assertThat(e.order().discount()).isEqualTo(400);
            assertThat(lineDiscount(e, "A")).isEqualTo(100);
            assertThat(lineDiscount(e, "B")).isEqualTo(300);
            assertThat(lineDiscount(e, "C")).isZero();
        }

        @Test
        void eachUnitRoundsPerUnit() {
            // 10 % of 1005 is 100.5 -> 101 per unit; on the line as a whole it would be 301.5 -> 302
            Evaluation e = apply(new Discount.Percent(fixed(10), null, target(Scope.EACH_UNIT)),
                    cart(line("X", 1005, 3)));
            assertThat(e.order().discount()).isEqualTo(303);
            assertThat(apply(percent(10), cart(line("X", 1005, 3))).order().discount()).isEqualTo(302);
        }

        @Test
        void decimalPercentRoundsHalfUp() {
            assertThat(apply(percent(12.5), cart(line("A", 1000, 1))).order().discount()).isEqualTo(125);
            assertThat(apply(percent(12.5), cart(line("A", 1004, 1))).order().discount()).isEqualTo(126); // 125.5
            assertThat(apply(percent(12.5), cart(line("A", 1003, 1))).order().discount()).isEqualTo(125); // 125.375
            assertThat(apply(percent(33.333), cart(line("A", 300, 1))).order().discount()).isEqualTo(100); // 99.999
        }

        @Test
        void cheapestAndMostExpensiveTakeOneUnit() {
            Cart cart = cart(line("A", 3000, 1), line("B", 1200, 2));
            Evaluation cheapest = apply(new Discount.Percent(fixed(50), null, target(Scope.CHEAPEST)), cart);
            assertThat(cheapest.applied().getFirst().items()).containsExactly(new LineDiscount(1, "B", 600));
            Evaluation dearest = apply(new Discount.Percent(fixed(50), null, target(Scope.MOST_EXPENSIVE)), cart);
            assertThat(dearest.applied().getFirst().items()).containsExactly(new LineDiscount(0, "A", 1500));
        }

        @Test
        void cheapestAmongSelectedWithTiesToTheEarlierLine() {
            Cart cart = cart(line("A", 900, 1, "tea"), line("B", 1500, 1, "coffee"), line("C", 1500, 1, "coffee"));
            Evaluation e = apply(new Discount.Percent(fixed(100), null,
                    target(Scope.CHEAPEST, "'coffee' in item.categories")), cart);
            assertThat(e.applied().getFirst().items()).containsExactly(new LineDiscount(1, "B", 1500));
        }

        @Test
        void maxCapsTheDiscountOnEveryScope() {
            assertThat(apply(new Discount.Percent(fixed(50), fixed(300), Target.ORDER), cart(line("A", 1000, 1)))
                    .order().discount()).isEqualTo(300);
            Evaluation eachUnit = apply(new Discount.Percent(fixed(50), fixed(600), target(Scope.EACH_UNIT)),
                    cart(line("A", 1000, 2), line("B", 500, 1)));
            // 1000 + 250 capped at 600, spread 1000:250
            assertThat(eachUnit.applied().getFirst().items()).containsExactly(new LineDiscount(0, "A", 480),
                    new LineDiscount(1, "B", 120));
            assertThat(apply(new Discount.Percent(fixed(100), fixed(700), target(Scope.CHEAPEST)),
                    cart(line("A", 1000, 1))).order().discount()).isEqualTo(700);
        }
    }

    @Nested
    class AmountOff {
        @Test
        void itemsScopeSpreadsOverTheSelectedLines() {
            Evaluation e = apply(new Discount.AmountOff(fixed(1000), target(Scope.ITEMS,
                    "'coffee' in item.categories")), COFFEE_AND_TEA);
            assertThat(lineDiscount(e, "A")).isEqualTo(250);
            assertThat(lineDiscount(e, "B")).isEqualTo(750);
            assertThat(lineDiscount(e, "C")).isZero();
        }

        @Test
        void neverMoreThanTheTarget() {
            Evaluation e = apply(new Discount.AmountOff(fixed(5000), target(Scope.ITEMS,
                    "'coffee' in item.categories")), COFFEE_AND_TEA);
            assertThat(e.order().discount()).isEqualTo(4000);
        }

        @Test
        void eachUnitNeverTakesAUnitBelowZero() {
            Evaluation e = apply(new Discount.AmountOff(fixed(300), target(Scope.EACH_UNIT)),
                    cart(line("A", 1000, 2), line("B", 200, 1)));
            assertThat(lineDiscount(e, "A")).isEqualTo(600);
            assertThat(lineDiscount(e, "B")).isEqualTo(200);
        }

        @Test
        void cheapestAndMostExpensiveUnit() {
            Cart cart = cart(line("A", 1000, 2), line("B", 200, 1));
            assertThat(apply(new Discount.AmountOff(fixed(500), target(Scope.CHEAPEST)), cart)
                    .applied().getFirst().items()).containsExactly(new LineDiscount(1, "B", 200));
            assertThat(apply(new Discount.AmountOff(fixed(500), target(Scope.MOST_EXPENSIVE)), cart)
                    .applied().getFirst().items()).containsExactly(new LineDiscount(0, "A", 500));
        }
    }

    @Nested
    class FixedPrice {
        private final Cart cart = cart(line("A", 1000, 2, "x"), line("B", 300, 1, "x"), line("C", 2000, 1));

        @Test
        void everyCoveredUnitCostsThePrice() {
            Evaluation items = apply(new Discount.FixedPrice(fixed(400), target(Scope.ITEMS, "'x' in item.categories")),
                    cart);
            assertThat(lineDiscount(items, "A")).isEqualTo(1200);
            assertThat(lineDiscount(items, "B")).isZero();
            assertThat(lineDiscount(items, "C")).isZero();
            Evaluation order = apply(new Discount.FixedPrice(fixed(400), Target.ORDER), cart);
            assertThat(order.order().discount()).isEqualTo(1200 + 1600);
        }

        @Test
        void oneUnit() {
            assertThat(apply(new Discount.FixedPrice(fixed(100), target(Scope.CHEAPEST)), cart)
                    .applied().getFirst().items()).containsExactly(new LineDiscount(1, "B", 200));
            assertThat(apply(new Discount.FixedPrice(fixed(100), target(Scope.MOST_EXPENSIVE)), cart)
                    .applied().getFirst().items()).containsExactly(new LineDiscount(2, "C", 1900));
        }

        @Test
        void allUnitsAlreadyCheaperIsNoEffect() {
            Evaluation e = apply(new Discount.FixedPrice(fixed(5000), target(Scope.EACH_UNIT)), cart);
            assertThat(e.rejected().getFirst().reason()).isEqualTo(Reason.NO_EFFECT);
        }
    }

    @Nested
    class FreeShipping {
        @Test
        void takesTheShippingUpToMax() {
            Evaluation capped = apply(new Discount.FreeShipping(fixed(500)), cart(795, line("A", 1000, 1)));
            assertThat(capped.order().shippingDiscount()).isEqualTo(500);
            assertThat(capped.order().total()).isEqualTo(1295);
            Applied a = capped.applied().getFirst();
            assertThat(a.discount()).isEqualTo(500);
            assertThat(a.shippingDiscount()).isEqualTo(500);
            assertThat(a.itemsDiscount()).isZero();
            assertThat(a.items()).isEmpty();
        }

        @Test
        void noShippingIsNoEffect() {
            Evaluation e = apply(new Discount.FreeShipping(null), cart(line("A", 1000, 1)));
            assertThat(e.rejected().getFirst().reason()).isEqualTo(Reason.NO_EFFECT);
        }
    }

    @Nested
    class FreeItem {
        @Test
        void discountsUnitsAlreadyInTheOrder() {
            Evaluation e = apply(new Discount.FreeItem("MUG", 1, 800, "mug", List.of("kitchen")),
                    cart(line("COF", 1500, 1), line("MUG", 700, 2)));
            assertThat(e.order().items()).hasSize(2);
            assertThat(lineDiscount(e, "MUG")).isEqualTo(700);
            assertThat(e.order().subtotal()).isEqualTo(2900);
        }

        @Test
        void addsTheUnitsTheOrderLacks() {
            Evaluation e = apply(new Discount.FreeItem("MUG", 3, 800, "mug", List.of("kitchen")),
                    cart(line("MUG", 700, 1)));
            assertThat(e.order().items()).containsExactly(
                    new PricedLine("MUG", 1, 700, 700, 700, 0, false),
                    new PricedLine("MUG", 2, 800, 1600, 1600, 0, true));
            assertThat(e.order().subtotal()).isEqualTo(2300);
            assertThat(e.order().discount()).isEqualTo(2300);
            assertThat(e.order().total()).isZero();
            assertThat(e.applied().getFirst().items()).containsExactly(new LineDiscount(0, "MUG", 700),
                    new LineDiscount(1, "MUG", 1600));
        }

        @Test
        void anAddedLineIsNotDiscountedAgain() {
            Promotion gift = promo("gift", new Discount.FreeItem("MUG", 1, 800, null, null)).priority(1).build();
            Promotion tenPercent = promo("ten", percent(10)).build();
            Evaluation e = request(cart(line("COF", 1500, 1))).codes(gift, tenPercent).evaluate();
            assertThat(e.order().subtotal()).isEqualTo(2300);
            assertThat(e.order().discount()).isEqualTo(800 + 150);
            assertThat(e.order().total()).isEqualTo(1350);
        }
    }

    @Nested
    class BuyXGetY {
        @Test
        void differentBuyAndGetSelectors() {
            Discount twoShoesOneSock = new Discount.BuyXGetY(selector("'shoes' in item.categories"), 2,
                    selector("'socks' in item.categories"), 1, null, null);
            Evaluation e = apply(twoShoesOneSock, cart(line("SHOE", 8000, 2, "shoes"), line("SOCK", 500, 3, "socks")));
            assertThat(e.applied().getFirst().items()).containsExactly(new LineDiscount(1, "SOCK", 500));
        }

        @Test
        void buyUnitsThatCannotBeGetUnitsAreUsedFirst() {
            Discount anyThenSocks = new Discount.BuyXGetY(selector("true"), 1,
                    selector("'socks' in item.categories"), 1, null, null);
            Evaluation e = apply(anyThenSocks, cart(line("SHOE", 8000, 1, "shoes"), line("S1", 500, 1, "socks"),
                    line("S2", 300, 1, "socks")));
            // shoe bought, cheapest sock free; the other sock has nothing left to get
            assertThat(e.applied().getFirst().items()).containsExactly(new LineDiscount(2, "S2", 300));
        }

        @Test
        void maxApplicationsStopsRepetition() {
            Discount capped = new Discount.BuyXGetY(selector("item.sku == 'BEAN'"), 10,
                    selector("item.sku == 'BEAN'"), 1, null, 2);
            assertThat(apply(capped, cart(line("BEAN", 500, 40))).order().discount()).isEqualTo(1000);
        }

        @Test
        void percentOffTheGetUnits() {
            Discount halfOff = new Discount.BuyXGetY(selector("true"), 2, selector("true"), 2, fixed(25), null);
            Evaluation e = apply(halfOff, cart(line("A", 1000, 1), line("B", 2000, 1), line("C", 3000, 1),
                    line("D", 4000, 1)));
            // buy D and C, get A and B at 25 % off
            assertThat(e.applied().getFirst().items()).containsExactly(new LineDiscount(0, "A", 250),
                    new LineDiscount(1, "B", 500));
        }

        @Test
        void manyUnitsCostNoMoreThanOne() {
            Discount beans = new Discount.BuyXGetY(selector("item.sku == 'BEAN'"), 10,
                    selector("item.sku == 'BEAN'"), 1, null, null);
            long t0 = System.nanoTime();
            Evaluation e = apply(beans, cart(line("BEAN", 500, 10_000_000)));
            assertThat(e.order().discount()).isEqualTo(909_090L * 500);
            assertThat(System.nanoTime() - t0).isLessThan(5_000_000_000L);
        }

        @Test
        void unitsOfALineShareWhatEarlierDiscountsLeft() {
            Promotion first = promo("first", new Discount.AmountOff(fixed(1), Target.ORDER)).priority(1).build();
            Promotion bogo = promo("bogo", new Discount.BuyXGetY(selector("true"), 1, selector("true"), 1, null,
                    null)).build();
            // 3 units worth 2999: 1000, 1000, 999 -> the 999 unit is free
            Evaluation e = request(cart(line("A", 1000, 3))).codes(first, bogo).evaluate();
            assertThat(e.applied().get(1).discount()).isEqualTo(999);
        }
    }

    @Nested
    class Tiered {
        @Test
        void quantityBasisOnTheTargetWithAmountAndPercentTiers() {
            Discount tiers = new Discount.Tiered(Discount.Basis.QUANTITY, List.of(
                    new Discount.Tier(5, fixed(10), null), new Discount.Tier(3, null, fixed(500))),
                    target(Scope.ITEMS, "'coffee' in item.categories"));
            Evaluation four = apply(tiers, cart(line("COF", 1000, 4, "coffee"), line("TEA", 2000, 3)));
            assertThat(four.order().discount()).isEqualTo(500);
            assertThat(lineDiscount(four, "TEA")).isZero();
            Evaluation six = apply(tiers, cart(line("COF", 1000, 6, "coffee"), line("TEA", 2000, 3)));
            assertThat(six.order().discount()).isEqualTo(600);
            Evaluation two = apply(tiers, cart(line("COF", 1000, 2, "coffee"), line("TEA", 2000, 3)));
            assertThat(two.rejected().getFirst().reason()).isEqualTo(Reason.CONDITION_NOT_MET);
            assertThat(two.rejected().getFirst().message()).contains("first tier");
        }
    }

    @Nested
    class Params {
        private final Promotion perCurrency = promo("multi", new Discount.AmountOff(
                new Param.PerCurrency(Map.of("USD", 1000L, "EUR", 900L)), Target.ORDER)).build();

        @Test
        void perCurrencyAmounts() {
            assertThat(request(new Cart("USD", List.of(line("A", 5000, 1)), 0)).codes(perCurrency).evaluate()
                    .order().discount()).isEqualTo(1000);
            assertThat(request(new Cart("EUR", List.of(line("A", 5000, 1)), 0)).codes(perCurrency).evaluate()
                    .order().discount()).isEqualTo(900);
            Evaluation gbp = request(new Cart("GBP", List.of(line("A", 5000, 1)), 0)).codes(perCurrency).evaluate();
            assertThat(gbp.rejected().getFirst().reason()).isEqualTo(Reason.CURRENCY_MISMATCH);
            assertThat(gbp.rejected().getFirst().message()).isEqualTo("code MULTI has no amount in GBP");
        }

        @Test
        void dynamicAmountsRoundHalfUp() {
            Discount dynamic = new Discount.AmountOff(formula("double(order.subtotal) * 0.0125"), Target.ORDER);
            assertThat(apply(dynamic, cart(line("A", 1000, 1))).order().discount()).isEqualTo(13); // 12.5
            assertThat(apply(dynamic, cart(line("A", 999, 1))).order().discount()).isEqualTo(12); // 12.4875
        }

        @Test
        void dynamicPercentAndCap() {
            Discount loyal = new Discount.Percent(formula("customer.orders.count >= 3 ? 15.5 : 5.0"),
                    formula("context.cap"), Target.ORDER);
            Shopper regular = new Shopper("c-9", Map.of(), List.of(), null, 3, 90000);
            Promotion p = promo("loyal", loyal).build();
            assertThat(request(cart(line("A", 1000, 1))).shopper(regular).context(Map.of("cap", 10_000)).codes(p)
                    .evaluate().order().discount()).isEqualTo(155);
            assertThat(request(cart(line("A", 1000, 1))).context(Map.of("cap", 30)).codes(p)
                    .evaluate().order().discount()).isEqualTo(30);
        }

        @Test
        void aFailingFormulaIsConditionNotMetAndZeroIsNoEffect() {
            Evaluation failing = apply(new Discount.AmountOff(formula("customer.attributes.bonus"), Target.ORDER),
                    cart(line("A", 1000, 1)));
            assertThat(failing.rejected().getFirst().reason()).isEqualTo(Reason.CONDITION_NOT_MET);
            Evaluation negative = apply(new Discount.AmountOff(formula("order.subtotal - 5000"), Target.ORDER),
                    cart(line("A", 1000, 1)));
            assertThat(negative.rejected().getFirst().reason()).isEqualTo(Reason.NO_EFFECT);
        }
    }
}
