package io.tessera.discount;

import io.tessera.rule.Activation;
import io.tessera.rule.RuleException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * The checks that do not depend on other discounts, in the documented reporting order: existence, activity, dates,
 * customer, condition, ownership, currency and limits. The discount budget is checked later, once the discount is
 * known (see {@link Candidate#budgetLeft}).
 */
final class Eligibility {
    private final EvaluationRequest request;
    private final Shopper shopper;
    private final Instant now;
    private final ZoneId zone;
    private final Activation activation;
    private final SelectorMatches matches;
    private final Basket original;
    private final long cartSubtotal;

    Eligibility(EvaluationRequest request, Shopper shopper, ZoneId zone, Activation activation,
                SelectorMatches matches) {
        this.request = request;
        this.shopper = shopper;
        this.now = request.now();
        this.zone = zone;
        this.activation = activation;
        this.matches = matches;
        this.original = new Basket(request.cart());
        this.cartSubtotal = request.cart().subtotal();
    }

    /** Rejects the candidate with the first reason that holds, or leaves it with its resolved terms. */
    void check(Candidate c) {
        Promotion p = c.promotion;
        CodeRef code = c.code;
        if (p == null) {
            c.reject(Reason.CODE_NOT_FOUND, () -> "code " + code.code() + " does not exist");
        } else if (code != null && !code.active()) {
            c.reject(Reason.CODE_INACTIVE, () -> c.subject() + " is deactivated");
        } else if (!p.active()) {
            c.reject(Reason.CAMPAIGN_INACTIVE, () -> "campaign " + p.name() + " is not active");
        } else if (p.startsAt() != null && now.isBefore(p.startsAt())) {
            c.reject(Reason.NOT_STARTED, () -> c.subject() + " is valid from " + day(p.startsAt()));
        } else if (p.endsAt() != null && now.isAfter(p.endsAt())) {
            c.reject(Reason.EXPIRED, () -> c.subject() + " expired on " + day(p.endsAt()));
        } else if (shopper.anonymous() && needsCustomer(c)) {
            c.reject(Reason.CUSTOMER_REQUIRED, () -> c.subject() + " needs a known customer");
        } else {
            checkOrder(c);
        }
    }

    private void checkOrder(Candidate c) {
        Promotion p = c.promotion;
        c.view = activation.forCampaign(p.metadata());
        if (p.condition() != null) {
            try {
                if (!p.condition().holds(c.view)) {
                    c.reject(Reason.CONDITION_NOT_MET, () -> "the order does not meet the conditions of "
                            + c.subject());
                    return;
                }
            } catch (RuleException e) {
                c.reject(Reason.CONDITION_NOT_MET, () -> "the condition of " + c.subject() + " " + e.getMessage());
                return;
            }
        }
        Discount.Tier tier = null;
        if (p.discount() instanceof Discount.Tiered tiered) {
            tier = reachedTier(tiered, c);
            if (tier == null) {
                RuleException failure = matches.failure(tiered, c.view);
                c.reject(Reason.CONDITION_NOT_MET, () -> failure != null
                        ? "the selector of " + c.subject() + " " + failure.getMessage()
                        : "the order does not reach the first tier of " + c.subject());
                return;
            }
        }
        Terms terms = Terms.resolve(p.discount(), tier, c.view, request.cart().currency());
        if (terms.failure() == Reason.CONDITION_NOT_MET) {
            c.reject(Reason.CONDITION_NOT_MET, () -> "the discount of " + c.subject() + " cannot be computed for this "
                    + "order: " + terms.failureDetail());
            return;
        }
        CodeRef code = c.code;
        String owner = code == null ? null : code.owner();
        if (owner != null && !owner.equals(shopper.id()) && p.kind() != PromotionKind.REFERRAL) {
            c.reject(Reason.CODE_OWNED_BY_OTHER, () -> c.subject() + " belongs to another customer");
        } else if (owner != null && owner.equals(shopper.id()) && p.kind() == PromotionKind.REFERRAL) {
            c.reject(Reason.SELF_REFERRAL, () -> c.subject() + " is the customer's own referral code");
        } else if (p.currency() != null && !p.currency().equals(request.cart().currency())) {
            c.reject(Reason.CURRENCY_MISMATCH, () -> c.subject() + " is for orders in " + p.currency() + ", not "
                    + request.cart().currency());
        } else if (terms.failure() == Reason.CURRENCY_MISMATCH) {
            c.reject(Reason.CURRENCY_MISMATCH, () -> c.subject() + " has " + terms.failureDetail());
        } else {
            c.terms = terms;
            checkLimits(c);
        }
    }

    /**
     * An anonymous order cannot satisfy a rule or formula reading the customer, a per-customer limit, or a personal
     * code; such a candidate is not evaluated further.
     */
    private static boolean needsCustomer(Candidate c) {
        Promotion p = c.promotion;
        return (p.condition() != null && p.condition().usesCustomer())
                || (p.limits() != null && p.limits().perCustomerLimited())
                || (c.code != null && c.code.owner() != null)
                || Terms.usesCustomer(p.discount());
    }

    /** The highest tier whose minimum the target's original amount (or quantity) reaches, or null. */
    private Discount.Tier reachedTier(Discount.Tiered tiered, Candidate c) {
        boolean[] covered = new DiscountCalculator(original, matches, c.view).covered(tiered.target());
        long basis = 0;
        for (int i = 0; i < covered.length; i++) {
            if (!covered[i]) continue;
            basis += tiered.basis() == Discount.Basis.QUANTITY ? original.quantity(i) : original.remaining(i);
        }
        Discount.Tier reached = null;
        for (Discount.Tier t : tiered.tiers()) {
            if (t.min() <= basis && (reached == null || t.min() > reached.min())) reached = t;
        }
        return reached;
    }

    private void checkLimits(Candidate c) {
        Promotion p = c.promotion;
        if (p.limits() == null) return;
        List<CounterUse> uses = LimitCounters.plan(p, shopper, now, zone, 0, cartSubtotal);
        CounterUse exceeded = null;
        for (CounterUse use : uses) {
            long used = request.usage().used(p.id(), use.counter());
            if (use.counter().equals(LimitCounters.BUDGET_DISCOUNT)) {
                c.budgetLeft = Math.max(0, use.limit() - used);
            } else if (used + use.amount() > use.limit()
                    && (exceeded == null || use.reason().ordinal() < exceeded.reason().ordinal())) {
                exceeded = use;
            }
        }
        CodeRef code = c.code;
        long perCode = p.limits().codeLimit();
        boolean codeUsedUp = code != null && code.unique() && code.redemptions() >= perCode;
        if (codeUsedUp && (exceeded == null || Reason.CODE_LIMIT.ordinal() < exceeded.reason().ordinal())) {
            c.reject(Reason.CODE_LIMIT, () -> c.subject() + " was already redeemed"
                    + (perCode == 1 ? "" : " " + perCode + " times"));
        } else if (exceeded != null) {
            CounterUse limit = exceeded;
            c.reject(limit.reason(), () -> limitMessage(c, limit));
        }
    }

    private String limitMessage(Candidate c, CounterUse use) {
        Limits l = c.promotion.limits();
        return switch (use.reason()) {
            case REDEMPTION_LIMIT -> c.subject() + " reached its limit of " + redemptions(use.limit());
            case CUSTOMER_LIMIT -> c.subject() + " can be redeemed " + times(use.limit()) + " per customer";
            case PERIOD_LIMIT -> c.subject() + " reached its limit of " + redemptions(use.limit()) + " per "
                    + l.perPeriod().period().name().toLowerCase(java.util.Locale.ROOT);
            case CUSTOMER_PERIOD_LIMIT -> c.subject() + " can be redeemed " + times(use.limit()) + " per customer per "
                    + l.perCustomerPerPeriod().period().name().toLowerCase(java.util.Locale.ROOT);
            default -> "campaign " + c.promotion.name() + " has used up its budget of " + use.limit()
                    + " in order value";
        };
    }

    private static String redemptions(long n) {
        return n == 1 ? "1 redemption" : n + " redemptions";
    }

    private static String times(long n) {
        return n == 1 ? "once" : n + " times";
    }

    private LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, zone);
    }
}
