package io.tessera.discount;

import static io.tessera.discount.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every rejection reason, and for each the next one in the documented order holding at the same time: the first
 * in order is reported.
 */
class RejectionReasonsTest {
    private static final Cart CART = cart(line("A", 10000, 1));
    private static final Shopper OTHER = new Shopper("c-2", Map.of(), List.of(), null, 0, 0);

    private static Rejection rejectionOf(CodeRef code) {
        return rejectionOf(request(CART).codes(code));
    }

    private static Rejection rejectionOf(RequestBuilder request) {
        Evaluation e = request.evaluate();
        assertThat(e.valid()).isFalse();
        assertThat(e.rejected()).hasSize(1);
        return e.rejected().getFirst();
    }

    private static Usage used(String counter, long amount) {
        return (promotion, c) -> c.equals(counter) ? amount : 0;
    }

    private static Limits limits(Long redemptions, Long perCode, Long perCustomer, PeriodLimit perCustomerPerPeriod,
                                 PeriodLimit perPeriod, Long budgetDiscount) {
        return new Limits(redemptions, perCode, perCustomer, perCustomerPerPeriod, perPeriod, budgetDiscount, null);
    }

    @Test
    void codeNotFound() {
        Rejection r = rejectionOf(CodeRef.notFound("NOPE"));
        assertThat(r.reason()).isEqualTo(Reason.CODE_NOT_FOUND);
        assertThat(r.promotion()).isNull();
        assertThat(r.code()).isEqualTo("NOPE");
        assertThat(r.message()).isEqualTo("code NOPE does not exist");
    }

    @Test
    void codeInactiveBeforeCampaignInactive() {
        Promotion off = promo("off", amount(100)).inactive().build();
        Rejection r = rejectionOf(new CodeRef("OFF", off, false, null, 0, false));
        assertThat(r.reason()).isEqualTo(Reason.CODE_INACTIVE);
        assertThat(r.message()).isEqualTo("code OFF is deactivated");
    }

    @Test
    void campaignInactiveBeforeNotStarted() {
        Promotion off = promo("off", amount(100)).inactive().between("2027-01-01T00:00:00Z", null).build();
        Rejection r = rejectionOf(code("OFF", off));
        assertThat(r.reason()).isEqualTo(Reason.CAMPAIGN_INACTIVE);
        assertThat(r.message()).isEqualTo("campaign off is not active");
    }

    @Test
    void notStartedBeforeConditionNotMet() {
        Promotion later = promo("later", amount(100)).between("2027-01-01T00:00:00Z", null).when("false").build();
        Rejection r = rejectionOf(code("LATER", later));
        assertThat(r.reason()).isEqualTo(Reason.NOT_STARTED);
        assertThat(r.message()).isEqualTo("code LATER is valid from 2027-01-01");
    }

    @Test
    void expiredBeforeConditionNotMet() {
        Promotion old = promo("old10", amount(100)).between(null, "2026-10-01T12:00:00Z").when("false").build();
        Rejection r = rejectionOf(code("OLD10", old));
        assertThat(r.reason()).isEqualTo(Reason.EXPIRED);
        assertThat(r.message()).isEqualTo("code OLD10 expired on 2026-10-01");
    }

    @Test
    void conditionNotMetBeforeOwnedByOther() {
        Promotion p = promo("p", amount(100)).when("order.subtotal > 50000").build();
        Rejection r = rejectionOf(new CodeRef("P-1", p, true, "c-2", 0, true));
        assertThat(r.reason()).isEqualTo(Reason.CONDITION_NOT_MET);
        assertThat(r.message()).isEqualTo("the order does not meet the conditions of code P-1");
    }

    @Test
    void customerRequiredBeforeOwnedByOther() {
        Promotion p = promo("p", amount(100)).build();
        Rejection r = rejectionOf(request(CART).anonymous().codes(new CodeRef("P-1", p, true, "c-2", 0, true)));
        assertThat(r.reason()).isEqualTo(Reason.CUSTOMER_REQUIRED);
        assertThat(r.message()).isEqualTo("code P-1 needs a known customer");
    }

    @Test
    void ownedByOtherBeforeCurrencyMismatch() {
        Promotion p = promo("p", amount(100)).currency("EUR").build();
        Rejection r = rejectionOf(new CodeRef("P-1", p, true, "c-2", 0, true));
        assertThat(r.reason()).isEqualTo(Reason.CODE_OWNED_BY_OTHER);
        assertThat(r.message()).isEqualTo("code P-1 belongs to another customer");
    }

    @Test
    void ownCodeApplies() {
        Promotion p = promo("p", amount(100)).build();
        assertThat(request(CART).codes(new CodeRef("P-1", p, true, "c-1", 0, true)).evaluate().valid()).isTrue();
    }

    @Test
    void selfReferralBeforeCurrencyMismatch() {
        Promotion referral = promo("friends", amount(100)).kind(PromotionKind.REFERRAL).currency("EUR").build();
        Rejection r = rejectionOf(new CodeRef("FR-1", referral, true, "c-1", 0, true));
        assertThat(r.reason()).isEqualTo(Reason.SELF_REFERRAL);
        assertThat(r.message()).isEqualTo("code FR-1 is the customer's own referral code");
    }

    @Test
    void referralCodesAreMeantToBeShared() {
        Promotion referral = promo("friends", amount(100)).kind(PromotionKind.REFERRAL).build();
        assertThat(request(CART).shopper(OTHER).codes(new CodeRef("FR-1", referral, true, "c-1", 0, true))
                .evaluate().valid()).isTrue();
    }

    @Test
    void currencyMismatchBeforeRedemptionLimit() {
        Promotion p = promo("p", amount(100)).currency("EUR").limits(limits(1L, null, null, null, null, null)).build();
        Rejection r = rejectionOf(request(CART).codes(code("P", p)).usage(used(LimitCounters.TOTAL, 1)));
        assertThat(r.reason()).isEqualTo(Reason.CURRENCY_MISMATCH);
        assertThat(r.message()).isEqualTo("code P is for orders in EUR, not USD");
    }

    @Test
    void redemptionLimitBeforeCodeLimit() {
        Promotion p = promo("p", amount(100)).limits(limits(10L, null, null, null, null, null)).build();
        Rejection r = rejectionOf(request(CART).codes(new CodeRef("P-1", p, true, null, 1, true))
                .usage(used(LimitCounters.TOTAL, 10)));
        assertThat(r.reason()).isEqualTo(Reason.REDEMPTION_LIMIT);
        assertThat(r.message()).isEqualTo("code P-1 reached its limit of 10 redemptions");
    }

    @Test
    void codeLimitBeforeCustomerLimit() {
        Promotion p = promo("p", amount(100)).limits(limits(null, null, 1L, null, null, null)).build();
        Rejection r = rejectionOf(request(CART).codes(new CodeRef("P-1", p, true, null, 1, true))
                .usage(used("customer:c-1", 1)));
        assertThat(r.reason()).isEqualTo(Reason.CODE_LIMIT);
        assertThat(r.message()).isEqualTo("code P-1 was already redeemed");
    }

    @Test
    void perCodeAllowsSeveralRedemptionsOfAUniqueCode() {
        Promotion p = promo("p", amount(100)).limits(limits(null, 3L, null, null, null, null)).build();
        assertThat(request(CART).codes(new CodeRef("P-1", p, true, null, 2, true)).evaluate().valid()).isTrue();
        assertThat(rejectionOf(new CodeRef("P-1", p, true, null, 3, true)).reason()).isEqualTo(Reason.CODE_LIMIT);
        // a universal code is not limited per code
        assertThat(request(CART).codes(new CodeRef("P", p, true, null, 99, false)).evaluate().valid()).isTrue();
    }

    @Test
    void customerLimitBeforePeriodLimit() {
        Promotion p = promo("p", amount(100)).limits(limits(null, null, 2L, null, new PeriodLimit(5, Period.DAY),
                null)).build();
        Usage usage = (id, c) -> c.equals("customer:c-1") ? 2 : c.equals("period:DAY:2026-11-27") ? 5 : 0;
        Rejection r = rejectionOf(request(CART).codes(code("P", p)).usage(usage));
        assertThat(r.reason()).isEqualTo(Reason.CUSTOMER_LIMIT);
        assertThat(r.message()).isEqualTo("code P can be redeemed 2 times per customer");
    }

    @Test
    void periodLimitBeforeCustomerPeriodLimit() {
        Promotion p = promo("p", amount(100)).limits(limits(null, null, null, new PeriodLimit(1, Period.WEEK),
                new PeriodLimit(500, Period.MONTH), null)).build();
        Usage usage = (id, c) -> c.equals("period:MONTH:2026-11-01") ? 500
                : c.equals("customer-period:c-1:WEEK:2026-11-23") ? 1 : 0;
        Rejection r = rejectionOf(request(CART).codes(code("P", p)).usage(usage));
        assertThat(r.reason()).isEqualTo(Reason.PERIOD_LIMIT);
        assertThat(r.message()).isEqualTo("code P reached its limit of 500 redemptions per month");
    }

    @Test
    void customerPeriodLimitBeforeBudget() {
        Promotion p = promo("p", amount(100)).limits(limits(null, null, null, new PeriodLimit(1, Period.WEEK), null,
                100L)).build();
        Usage usage = (id, c) -> c.equals("customer-period:c-1:WEEK:2026-11-23") ? 1
                : c.equals(LimitCounters.BUDGET_DISCOUNT) ? 100 : 0;
        Rejection r = rejectionOf(request(CART).codes(code("P", p)).usage(usage));
        assertThat(r.reason()).isEqualTo(Reason.CUSTOMER_PERIOD_LIMIT);
        assertThat(r.message()).isEqualTo("code P can be redeemed once per customer per week");
    }

    @Test
    void periodsAreCalendarPeriodsInTheProjectZone() {
        Promotion p = promo("p", amount(100)).limits(limits(null, null, null, null, new PeriodLimit(1, Period.DAY),
                null)).build();
        // 23:30 UTC on the 27th is already the 28th in Berlin
        EvaluationRequest base = request(CART).codes(code("P", p)).at("2026-11-27T23:30:00Z")
                .usage(used("period:DAY:2026-11-27", 1)).build();
        EvaluationRequest berlin = new EvaluationRequest(base.cart(), base.shopper(), base.context(), base.now(),
                java.time.ZoneId.of("Europe/Berlin"), 5, base.codes(), base.automatic(), base.usage(), false);
        assertThat(Engine.evaluate(base).valid()).isFalse();
        assertThat(Engine.evaluate(berlin).valid()).isTrue();
    }

    @Test
    void budgetBeforeExclusiveApplied() {
        Promotion solo = promo("solo", percent(20)).auto().exclusive().build();
        Promotion p = promo("p", amount(3000)).limits(limits(null, null, null, null, null, 5000L)).build();
        Rejection r = rejectionOf(request(CART).codes(code("P", p)).automatic(solo)
                .usage(used(LimitCounters.BUDGET_DISCOUNT, 3000)));
        assertThat(r.reason()).isEqualTo(Reason.BUDGET_EXHAUSTED);
        assertThat(r.message()).isEqualTo("a discount of 3000 exceeds what is left of the budget of campaign p (2000)");
    }

    @Test
    void orderValueBudget() {
        Promotion p = promo("p", amount(100)).limits(new Limits(null, null, null, null, null, null, 50000L)).build();
        Rejection r = rejectionOf(request(CART).codes(code("P", p)).usage(used(LimitCounters.BUDGET_ORDERS, 45000)));
        assertThat(r.reason()).isEqualTo(Reason.BUDGET_EXHAUSTED);
        assertThat(request(CART).codes(code("P", p)).usage(used(LimitCounters.BUDGET_ORDERS, 40000)).evaluate()
                .valid()).isTrue();
    }

    @Test
    void exclusiveAppliedBeforeGroupConflict() {
        Promotion solo = promo("solo", percent(20)).auto().exclusive().group("g").build();
        Promotion p = promo("p", amount(100)).group("g").build();
        assertThat(rejectionOf(request(CART).codes(code("P", p)).automatic(solo)).reason())
                .isEqualTo(Reason.EXCLUSIVE_APPLIED);
    }

    @Test
    void groupConflictBeforeStackingLimit() {
        Promotion first = promo("first", amount(100)).group("g").priority(1).build();
        Promotion p = promo("p", amount(100)).group("g").build();
        assertThat(rejectionOf(request(CART).codes(code("P", p)).automatic(first).maxDiscounts(1)).reason())
                .isEqualTo(Reason.GROUP_CONFLICT);
    }

    @Test
    void stackingLimitBeforeNoEffect() {
        Promotion first = promo("first", amount(100)).priority(1).build();
        Promotion ship = promo("ship", new Discount.FreeShipping(null)).build();
        assertThat(rejectionOf(request(CART).codes(code("SHIP", ship)).automatic(first).maxDiscounts(1)).reason())
                .isEqualTo(Reason.STACKING_LIMIT);
    }

    @Test
    void noEffect() {
        Promotion ship = promo("ship", new Discount.FreeShipping(null)).build();
        Rejection r = rejectionOf(code("SHIP", ship));
        assertThat(r.reason()).isEqualTo(Reason.NO_EFFECT);
        assertThat(r.reason().code()).isEqualTo("no_effect");
        assertThat(r.message()).isEqualTo("code SHIP gives no discount on this order");
    }

    @Test
    void rejectionsKeepTheRequestOrderAndTheRestStillApplies() {
        Promotion good = promo("good", amount(100)).build();
        Evaluation e = request(CART).codes(CodeRef.notFound("ZZZ"), code("GOOD", good), CodeRef.notFound("AAA"))
                .evaluate();
        assertThat(e.valid()).isFalse();
        assertThat(e.rejected()).extracting(Rejection::code).containsExactly("ZZZ", "AAA");
        assertThat(e.applied()).extracting(Applied::code).containsExactly("GOOD");
        assertThat(e.order().discount()).isEqualTo(100);
    }
}
