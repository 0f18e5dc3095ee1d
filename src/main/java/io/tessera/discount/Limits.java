package io.tessera.discount;

/** Redemption limits of a promotion; a null field is no limit. {@code perCode} applies to unique codes only. */
public record Limits(Long redemptions, Long perCode, Long perCustomer, PeriodLimit perCustomerPerPeriod,
                     PeriodLimit perPeriod, Long budgetDiscount, Long budgetOrders) {
    public static final Limits NONE = new Limits(null, null, null, null, null, null, null);
    /** A per-code limit no code reaches (referral codes, shared freely). */
    public static final long UNLIMITED = Long.MAX_VALUE / 4;

    /** How often one unique code may be redeemed: {@code perCode}, 1 unless set. */
    public long codeLimit() {
        return perCode == null ? 1 : perCode;
    }

    public Limits withPerCode(Long limit) {
        return new Limits(redemptions, limit, perCustomer, perCustomerPerPeriod, perPeriod, budgetDiscount, budgetOrders);
    }

    /** True when a redemption takes from a counter ({@link LimitCounters#plan}); the per-code limit is the code's own. */
    public boolean counted() {
        return redemptions != null || perCustomer != null || perPeriod != null || perCustomerPerPeriod != null
                || budgetDiscount != null || budgetOrders != null;
    }

    /** True when a limit is counted per customer, which an anonymous order cannot satisfy. */
    public boolean perCustomerLimited() {
        return perCustomer != null || perCustomerPerPeriod != null;
    }
}
