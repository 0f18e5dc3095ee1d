package io.tessera.loyalty;

import io.tessera.campaign.LoyaltySettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A member's buckets that hold points, read at one instant, and what the member earned by then: balance, pending and
 * expiring points, "earned" and the tier are computed from them, so they are exact at any instant, also before an
 * expiry task has run.
 */
record Account(List<Bucket> buckets, Earned earned, Instant at) {
    static final Duration YEAR = Duration.ofDays(365);

    /** Earnings available by the instant, net of reversals: in all, and in the 365 days before it. */
    record Earned(long lifetime, long last365Days) {
    }

    /** Spending and expiry take the earliest-expiring points first; points that never expire go last. */
    static final Comparator<Bucket> SPEND_ORDER = Comparator
            .comparing(Bucket::expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Bucket::availableAt).thenComparing(Bucket::id);

    /** An amount of points at an instant: an expiry, or pending points becoming available. */
    record Amount(long points, Instant at) {
    }

    long balance() {
        long sum = 0;
        for (Bucket b : buckets) if (b.liveAt(at)) sum += b.remaining();
        return sum;
    }

    /** Points held now that will expire, per instant, soonest first. */
    List<Amount> expiring() {
        Map<Instant, Long> by = new TreeMap<>();
        for (Bucket b : buckets) if (b.liveAt(at) && b.expiresAt() != null) by.merge(b.expiresAt(), b.remaining(), Long::sum);
        return amounts(by);
    }

    /** Points earned but not available yet, per instant they become available, soonest first. */
    List<Amount> pending() {
        Map<Instant, Long> by = new TreeMap<>();
        for (Bucket b : buckets) if (b.pendingAt(at)) by.merge(b.availableAt(), b.remaining(), Long::sum);
        return amounts(by);
    }

    /**
     * "Earned" on {@code basis}: earnings that became available (by {@code at}; for the last-365-days basis, within the
     * 365 days before), net of reversals. Transfers received, spends and expiry do not change it.
     */
    long earned(LoyaltySettings.TierBasis basis) {
        long sum = basis == LoyaltySettings.TierBasis.EARNED_LAST_365_DAYS ? earned.last365Days() : earned.lifetime();
        return Math.max(0, sum);
    }

    long earnedLifetime() {
        return earned(LoyaltySettings.TierBasis.EARNED_LIFETIME);
    }

    /** The tier at {@code at}, or null (no tiers, or none reached). */
    LoyaltySettings.Tier tier(LoyaltySettings settings) {
        return settings.tierFor(earned(settings.tierBasis()));
    }

    /** The spendable buckets in the order points are taken from them. */
    List<Bucket> spendable() {
        List<Bucket> live = new ArrayList<>();
        for (Bucket b : buckets) if (b.liveAt(at) && !b.expired()) live.add(b);
        live.sort(SPEND_ORDER);
        return live;
    }

    private static List<Amount> amounts(Map<Instant, Long> by) {
        List<Amount> out = new ArrayList<>(by.size());
        by.forEach((t, p) -> out.add(new Amount(p, t)));
        return out;
    }
}
