package io.tessera.discount;

/** Redemption limits of a promotion; a null field is no limit. {@code perCode} applies to unique codes only. */
public record Limits(Long redemptions, Long perCode, Long perCustomer, PeriodLimit perCustomerPerPeriod,
                     PeriodLimit perPeriod, Long budgetDiscount, Long budgetOrders) {
    public static final Limits NONE = new Limits(null, null, null, null, null, null, null);

    /** How often one unique code may be redeemed: {@code perCode}, 1 unless set. */
    public long codeLimit() {
        return perCode == null ? 1 : perCode;
    }

    /** True when a limit is counted per customer, which an anonymous order cannot satisfy. */
    public boolean perCustomerLimited() {
        return perCustomer != null || perCustomerPerPeriod != null;
    }
}
