package io.tessera.campaign;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.core.Failure;
import io.tessera.discount.Promotion;
import java.time.Instant;

/**
 * A saved campaign, typed: its compiled promotion (limits, discount, dates) and how its codes are made. Code that needs
 * a campaign's settings reads them here, never from the stored JSON.
 */
public record Campaign(String id, String name, long sequence, boolean archived, Promotion promotion,
                       CampaignParser.CodeSetup codes, ObjectNode definition, Instant createdAt, Instant updatedAt) {

    /** The unique-codes setup; a campaign with one universal code, or none, refuses unique codes (422). */
    public CampaignParser.CodeSetup uniqueCodes() {
        if (codes == null || !codes.unique()) {
            throw Failure.invalid("not_unique_codes", "campaign " + name + (codes != null
                    ? " has one universal code" : " has no codes") + "; unique codes need a campaign with UNIQUE codes",
                    java.util.List.of());
        }
        return codes;
    }

    /** How often one of its unique codes may be redeemed. */
    public long codeLimit() {
        return promotion.limits().codeLimit();
    }

    /** The campaign's discount budget, or null without one. */
    public Long budgetDiscount() {
        return promotion.limits().budgetDiscount();
    }
}
