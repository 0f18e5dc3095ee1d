package io.tessera.discount;

import java.util.Locale;

/** Why a discount did not apply; declared in the documented reporting order (the first that holds is reported). */
public enum Reason {
    CODE_NOT_FOUND, CODE_INACTIVE, CAMPAIGN_INACTIVE, NOT_STARTED, EXPIRED, CONDITION_NOT_MET, CUSTOMER_REQUIRED,
    CODE_OWNED_BY_OTHER, SELF_REFERRAL, CURRENCY_MISMATCH, REDEMPTION_LIMIT, CODE_LIMIT, CUSTOMER_LIMIT, PERIOD_LIMIT,
    CUSTOMER_PERIOD_LIMIT, BUDGET_EXHAUSTED, EXCLUSIVE_APPLIED, GROUP_CONFLICT, STACKING_LIMIT, NO_EFFECT,
    /** Loyalty points asked for at checkout that the member does not hold (never produced by the engine itself). */
    INSUFFICIENT_POINTS;

    /** The stable snake_case name used in the API. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
