package io.tessera.discount;

import static io.tessera.discount.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Order of application, sequential stacking, exclusive campaigns, groups and the per-order limit. */
class StackingTest {
    private final Cart cart = cart(line("A", 10000, 1));

    @Test
    void eachDiscountComputesOnWhatThePreviousLeft() {
        Promotion tenPercent = promo("p10", percent(10)).priority(10).build();
        Promotion thousand = promo("a10", amount(1000)).build();
        Evaluation e = request(cart).codes(thousand, tenPercent).evaluate();
        assertThat(e.applied()).extracting(Applied::code).containsExactly("P10", "A10");
        assertThat(e.applied()).extracting(Applied::discount).containsExactly(1000L, 1000L);
    }

    @Test
    void equalPriorityListedCodesInRequestOrderThenAutomaticInCreationOrder() {
        Promotion autoLate = promo("late", amount(100)).auto().sequence(20).build();
        Promotion autoEarly = promo("early", amount(100)).auto().sequence(10).build();
        Promotion second = promo("second", amount(100)).build();
        Promotion first = promo("first", amount(100)).build();
        Evaluation e = request(cart).codes(first, second).automatic(autoLate, autoEarly).evaluate();
        assertThat(e.applied()).extracting(a -> a.promotion().name())
                .containsExactly("first", "second", "early", "late");
    }

    @Test
    void higherPriorityAutomaticBeforeListedCodes() {
        Promotion auto = promo("auto", percent(50)).auto().priority(1).build();
        Promotion code = promo("code", percent(50)).build();
        Evaluation e = request(cart).codes(code).automatic(auto).evaluate();
        assertThat(e.applied()).extracting(a -> a.promotion().name()).containsExactly("auto", "code");
        assertThat(e.applied()).extracting(Applied::discount).containsExactly(5000L, 2500L);
    }

    @Test
    void nothingGoesBelowZero() {
        Promotion a = promo("a", amount(7000)).build();
        Promotion b = promo("b", amount(7000)).build();
        Promotion c = promo("c", percent(10)).build();
        Evaluation e = request(cart(900, line("A", 10000, 1))).codes(a, b, c).evaluate();
        assertThat(e.applied()).extracting(Applied::discount).containsExactly(7000L, 3000L);
        assertThat(e.rejected()).extracting(Rejection::reason).containsExactly(Reason.NO_EFFECT);
        assertThat(e.order().total()).isEqualTo(900);
        assertThat(e.order().items().getFirst().total()).isZero();
    }

    @Test
    void freeShippingStacksWithItemDiscounts() {
        Promotion ship = promo("ship", new Discount.FreeShipping(null)).build();
        Promotion ten = promo("ten", percent(10)).build();
        Evaluation e = request(cart(500, line("A", 10000, 1))).codes(ship, ten).evaluate();
        assertThat(e.order().shippingDiscount()).isEqualTo(500);
        assertThat(e.order().discount()).isEqualTo(1000);
        assertThat(e.order().total()).isEqualTo(9000);
    }

    @Test
    void theFirstEffectiveExclusiveAppliesAlone() {
        Promotion ex1 = promo("ex1", percent(20)).exclusive().priority(1).build();
        Promotion ex2 = promo("ex2", percent(30)).exclusive().build();
        Promotion plain = promo("plain", amount(100)).priority(5).build();
        Evaluation e = request(cart).codes(plain, ex2, ex1).evaluate();
        assertThat(e.applied()).extracting(Applied::code).containsExactly("EX1");
        assertThat(e.rejected()).extracting(Rejection::code, Rejection::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("PLAIN", Reason.EXCLUSIVE_APPLIED),
                org.assertj.core.groups.Tuple.tuple("EX2", Reason.EXCLUSIVE_APPLIED));
        assertThat(e.rejected().getFirst().message()).isEqualTo("exclusive campaign ex1 applies alone");
    }

    @Test
    void anExclusiveWithoutEffectDoesNotBlockOthers() {
        Promotion ship = promo("ship", new Discount.FreeShipping(null)).exclusive().priority(9).build();
        Promotion ten = promo("ten", percent(10)).build();
        Evaluation e = request(cart).codes(ship, ten).evaluate();
        assertThat(e.applied()).extracting(Applied::code).containsExactly("TEN");
        assertThat(e.rejected()).extracting(Rejection::reason).containsExactly(Reason.NO_EFFECT);
    }

    @Test
    void oneCampaignPerGroup() {
        Promotion a = promo("a", amount(100)).group("welcome").build();
        Promotion b = promo("b", amount(200)).group("welcome").priority(1).build();
        Promotion c = promo("c", amount(300)).group("other").build();
        Evaluation e = request(cart).codes(a, b, c).evaluate();
        assertThat(e.applied()).extracting(Applied::code).containsExactly("B", "C");
        assertThat(e.rejected()).extracting(Rejection::code, Rejection::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("A", Reason.GROUP_CONFLICT));
        assertThat(e.rejected().getFirst().message()).isEqualTo("campaign b of group welcome already applies to "
                + "this order");
    }

    @Test
    void aGroupIsTakenOnlyByADiscountThatApplies() {
        Promotion ship = promo("ship", new Discount.FreeShipping(null)).group("g").build();
        Promotion ten = promo("ten", percent(10)).group("g").build();
        Evaluation e = request(cart).codes(ship, ten).evaluate();
        assertThat(e.applied()).extracting(Applied::code).containsExactly("TEN");
    }

    @Test
    void maxDiscountsPerOrder() {
        Promotion a = promo("a", amount(100)).build();
        Promotion b = promo("b", amount(100)).build();
        Promotion c = promo("c", amount(100)).build();
        Promotion free = promo("none", new Discount.FreeShipping(null)).build();
        Evaluation e = request(cart).codes(free, a, b, c).maxDiscounts(2).evaluate();
        assertThat(e.applied()).extracting(Applied::code).containsExactly("A", "B");
        assertThat(e.rejected()).extracting(Rejection::code, Rejection::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("NONE", Reason.NO_EFFECT),
                org.assertj.core.groups.Tuple.tuple("C", Reason.STACKING_LIMIT));
        assertThat(e.rejected().get(1).message()).isEqualTo("at most 2 discounts apply to one order");
    }

    @Test
    void aCampaignAppliesOnceEvenWithTwoOfItsCodes() {
        Promotion unique = promo("uniq", amount(100)).build();
        Evaluation e = request(cart).codes(code("U-1", unique), code("U-2", unique)).evaluate();
        assertThat(e.applied()).extracting(Applied::code).containsExactly("U-1");
        assertThat(e.rejected()).extracting(Rejection::code, Rejection::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("U-2", Reason.GROUP_CONFLICT));
    }

    @Test
    void aCodeListedTwiceCountsOnce() {
        Promotion p = promo("twice", amount(100)).build();
        Evaluation e = request(cart).codes(code("TWICE", p), code("TWICE", p)).evaluate();
        assertThat(e.valid()).isTrue();
        assertThat(e.applied()).hasSize(1);
        assertThat(e.rejected()).isEmpty();
    }
}
