package io.tessera.loyalty;

import io.tessera.campaign.LoyaltySettings;
import java.time.Instant;

/** A loyalty program: a LOYALTY campaign, typed. It earns while active, unarchived and within its dates. */
record Program(String id, String name, boolean active, boolean archived, Instant startsAt, Instant endsAt,
               LoyaltySettings settings) {

    boolean earnsAt(Instant t) {
        return active && !archived && (startsAt == null || !t.isBefore(startsAt)) && (endsAt == null || t.isBefore(endsAt));
    }
}
