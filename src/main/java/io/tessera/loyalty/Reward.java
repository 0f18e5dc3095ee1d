package io.tessera.loyalty;

import java.time.Instant;

/**
 * A reward of a program's catalogue as the API shows it: what it costs in points, the campaign whose code a claim
 * publishes to the member, and what is left of its {@code stock} (null: unlimited).
 */
public record Reward(String program, String name, long cost, Grant grant, Long stock, boolean archived,
                     Instant createdAt, Instant updatedAt) {

    /** What a claim gives: a code of {@code campaign} (a CODES campaign with UNIQUE codes). */
    public record Grant(String campaign) {
    }

    static Reward of(String program, RewardStore.Row r) {
        return new Reward(program, r.name(), r.cost(), new Grant(r.campaignName()), r.stock(), r.archived(),
                r.createdAt(), r.updatedAt());
    }
}
