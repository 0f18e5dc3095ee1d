package io.tessera.discount;

import io.tessera.rule.Activation;
import io.tessera.rule.RuleException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The numbers of one discount for this order: every {@link Param} resolved (constants as they are, per-currency
 * amounts in the order's currency, formulas evaluated) and, for a tiered discount, the tier reached.
 */
final class Terms {
    private final Map<Param, BigDecimal> values = new IdentityHashMap<>(4);
    private final Discount.Tier tier;
    private Reason failure;
    private String failureDetail;

    private Terms(Discount.Tier tier) {
        this.tier = tier;
    }

    /**
     * Resolves the parameters {@code discount} needs. A formula that fails makes the terms fail with
     * {@code CONDITION_NOT_MET}, which wins over a missing currency ({@code CURRENCY_MISMATCH}).
     */
    static Terms resolve(Discount discount, Discount.Tier tier, Activation view, String currency) {
        Terms terms = new Terms(tier);
        switch (discount) {
            case Discount.Percent p -> terms.add(p.percent(), view, currency).add(p.max(), view, currency);
            case Discount.AmountOff a -> terms.add(a.amount(), view, currency);
            case Discount.FixedPrice f -> terms.add(f.price(), view, currency);
            case Discount.FreeShipping s -> terms.add(s.max(), view, currency);
            case Discount.BuyXGetY x -> terms.add(x.percent(), view, currency);
            case Discount.Tiered t -> terms.add(tier.percent(), view, currency).add(tier.amount(), view, currency);
            case Discount.FreeItem i -> {
            }
        }
        return terms;
    }

    /** True when a formula of the discount reads {@code customer}: it cannot be computed for an anonymous order. */
    static boolean usesCustomer(Discount discount) {
        return switch (discount) {
            case Discount.Percent p -> usesCustomer(p.percent()) || usesCustomer(p.max());
            case Discount.AmountOff a -> usesCustomer(a.amount());
            case Discount.FixedPrice f -> usesCustomer(f.price());
            case Discount.FreeShipping s -> usesCustomer(s.max());
            case Discount.BuyXGetY x -> usesCustomer(x.percent());
            case Discount.Tiered t -> t.tiers().stream()
                    .anyMatch(tier -> usesCustomer(tier.percent()) || usesCustomer(tier.amount()));
            case Discount.FreeItem i -> false;
        };
    }

    private static boolean usesCustomer(Param p) {
        return p instanceof Param.Dynamic d && d.formula().usesCustomer();
    }

    private Terms add(Param param, Activation view, String currency) {
        if (param == null) return this;
        switch (param) {
            case Param.Fixed f -> values.put(param, f.value());
            case Param.PerCurrency pc -> {
                Long amount = currency == null ? null : pc.amounts().get(currency);
                if (amount != null) values.put(param, BigDecimal.valueOf(amount));
                else fail(Reason.CURRENCY_MISMATCH, "no amount in " + currency);
            }
            case Param.Dynamic d -> {
                try {
                    values.put(param, d.formula().eval(view));
                } catch (RuleException e) {
                    fail(Reason.CONDITION_NOT_MET, "its expression " + e.getMessage());
                }
            }
        }
        return this;
    }

    private void fail(Reason reason, String detail) {
        if (failure == null || reason.ordinal() < failure.ordinal()) {
            failure = reason;
            failureDetail = detail;
        }
    }

    /** Why the terms could not be resolved, or null. */
    Reason failure() {
        return failure;
    }

    String failureDetail() {
        return failureDetail;
    }

    Discount.Tier tier() {
        return tier;
    }

    /** An amount in minor units, rounded half-up; never negative. */
    long amount(Param param) {
        BigDecimal v = values.get(param);
        if (v == null || v.signum() <= 0) return 0;
        BigDecimal rounded = v.setScale(0, RoundingMode.HALF_UP);
        return rounded.unscaledValue().bitLength() < 64 ? rounded.longValue() : Long.MAX_VALUE;
    }

    /** A cap in minor units, or Long.MAX_VALUE when the parameter is absent. */
    long cap(Param param) {
        return param == null ? Long.MAX_VALUE : amount(param);
    }

    /** A percentage as a rate; an absent parameter means 100 %. */
    Rate rate(Param param) {
        return param == null ? Rate.FULL : Rate.ofPercent(values.get(param));
    }
}
