package io.tessera.discount;

import static io.tessera.discount.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An order without a customer gets only what needs no customer; the rest is customer_required. */
class AnonymousCustomerTest {
    private static final Cart CART = cart(line("A", 10000, 1));

    private static Reason reasonFor(Promotion p) {
        Evaluation e = request(CART).anonymous().codes(p).evaluate();
        return e.rejected().isEmpty() ? null : e.rejected().getFirst().reason();
    }

    @Test
    void promotionsThatNeedNoCustomerApply() {
        Promotion p = promo("p", percent(10)).when("order.subtotal > 5000")
                .limits(new Limits(100L, null, null, null, new PeriodLimit(10, Period.DAY), 100000L, null)).build();
        Evaluation e = request(CART).anonymous().codes(p).evaluate();
        assertThat(e.valid()).isTrue();
        assertThat(e.applied().getFirst().counters()).extracting(CounterUse::counter)
                .containsExactly(LimitCounters.TOTAL, "period:DAY:2026-11-27", LimitCounters.BUDGET_DISCOUNT);
    }

    @Test
    void aConditionOnTheCustomerIsNotEvaluated() {
        // customer.isNew would hold for an anonymous order: the reason proves it was not evaluated
        assertThat(reasonFor(promo("p", percent(10)).when("customer.isNew").build()))
                .isEqualTo(Reason.CUSTOMER_REQUIRED);
    }

    @Test
    void perCustomerLimitsNeedACustomer() {
        assertThat(reasonFor(promo("p", percent(10)).limits(new Limits(null, null, 1L, null, null, null, null))
                .build())).isEqualTo(Reason.CUSTOMER_REQUIRED);
        assertThat(reasonFor(promo("p", percent(10)).limits(new Limits(null, null, null,
                new PeriodLimit(1, Period.MONTH), null, null, null)).build())).isEqualTo(Reason.CUSTOMER_REQUIRED);
    }

    @Test
    void personalCodesNeedACustomer() {
        Promotion p = promo("p", percent(10)).build();
        Evaluation e = request(CART).anonymous().codes(new CodeRef("P-1", p, true, "c-1", 0, true)).evaluate();
        assertThat(e.rejected().getFirst().reason()).isEqualTo(Reason.CUSTOMER_REQUIRED);
    }

    @Test
    void aDynamicAmountOnTheCustomerNeedsACustomer() {
        assertThat(reasonFor(promo("p", new Discount.AmountOff(formula("customer.isNew ? 1000 : 500"),
                Target.ORDER)).build())).isEqualTo(Reason.CUSTOMER_REQUIRED);
    }

    @Test
    void aConditionNotOnTheCustomerIsStillChecked() {
        assertThat(reasonFor(promo("p", percent(10)).when("order.subtotal > 50000").build()))
                .isEqualTo(Reason.CONDITION_NOT_MET);
    }

    @Test
    void automaticPromotionsOnTheCustomerAreExplained() {
        Promotion welcome = promo("welcome", percent(10)).auto().when("customer.isNew").build();
        Evaluation e = request(CART).anonymous().automatic(welcome).explain().evaluate();
        assertThat(e.valid()).isTrue();
        assertThat(e.applied()).isEmpty();
        assertThat(e.notApplied()).extracting(Rejection::reason).containsExactly(Reason.CUSTOMER_REQUIRED);
        assertThat(e.notApplied().getFirst().message()).isEqualTo("campaign welcome needs a known customer");
    }

    @Test
    void aNullShopperIsAnonymous() {
        Promotion p = promo("p", percent(10)).when("customer.isNew").build();
        EvaluationRequest r = request(CART).codes(p).build();
        Evaluation e = Engine.evaluate(new EvaluationRequest(r.cart(), null, null, r.now(), null, 5, r.codes(),
                null, Usage.NONE, false));
        assertThat(e.rejected().getFirst().reason()).isEqualTo(Reason.CUSTOMER_REQUIRED);
    }
}
