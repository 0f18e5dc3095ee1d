package io.tessera.loyalty;

import java.time.Instant;

/**
 * One credit of points. {@code remaining} is what spends and reversals left of it; it is spendable from
 * {@code availableAt} until {@code expiresAt} (exclusive; never when null). {@code earned} is what it counts as earned
 * for tiers (0 for points received by transfer), {@code reversed} how much of that a reversal took back.
 */
record Bucket(String id, long points, long remaining, long earned, long reversed, Instant availableAt,
              Instant expiresAt, String orderId, boolean dropped, boolean expired) {

    /**
     * Held at {@code t}: available and not expired by then (whether or not the expiry task ran yet), not dropped. An
     * expiry already written to the ledger still shows at earlier instants, but its points are never spent again.
     */
    boolean liveAt(Instant t) {
        return !dropped && !availableAt.isAfter(t) && (expiresAt == null || expiresAt.isAfter(t))
                && remaining > 0;
    }

    /** Still pending at {@code t}: earned but not available yet. */
    boolean pendingAt(Instant t) {
        return !dropped && availableAt.isAfter(t) && remaining > 0;
    }
}
