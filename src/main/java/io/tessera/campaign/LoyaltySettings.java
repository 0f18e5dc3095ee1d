package io.tessera.campaign;

import io.tessera.discount.PeriodLimit;
import io.tessera.rule.Condition;
import io.tessera.rule.Formula;
import java.math.BigDecimal;
import java.util.List;

/**
 * The {@code loyalty} section of a {@code LOYALTY} campaign, validated and compiled: earning rules, tiers, expiry and
 * the value of a point. Parsed by {@link CampaignParser}; the loyalty feature reads it, campaigns never depend on it.
 *
 * @param expiryDays points expire this many days after they become available; null: never
 * @param pointValue what {@code points} points are worth in minor units of the project's currency; null: not set
 */
public record LoyaltySettings(List<EarningRule> earning, List<Tier> tiers, TierBasis tierBasis, Integer expiryDays,
                              Integer notifyDaysBefore, PointValue pointValue) {

    /** What "earned" counts for tiers: every earning, or only those that became available in the last 365 days. */
    public enum TierBasis { EARNED_LIFETIME, EARNED_LAST_365_DAYS }

    /**
     * One earning rule: {@code eventType} null for {@code order_paid}, else the type of {@code event:<type>};
     * {@code condition} null means always; {@code limit} null means no per-customer cap.
     */
    public record EarningRule(String name, String eventType, Condition condition, Formula points, PeriodLimit limit,
                              int pendingDays) {
        public boolean onOrderPaid() {
            return eventType == null;
        }
    }

    /** A tier reached once "earned" is at least {@code min}; its {@code multiplier} scales earning (1 by default). */
    public record Tier(String name, long min, BigDecimal multiplier) {
    }

    public record PointValue(long points, long amount) {
    }

    /** The highest tier whose {@code min} is reached by {@code earned}; null when none is (or there are no tiers). */
    public Tier tierFor(long earned) {
        Tier reached = null;
        for (Tier t : tiers) if (earned >= t.min()) reached = t;
        return reached;
    }
}
