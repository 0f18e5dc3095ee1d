package io.tessera.project;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Input;
import io.tessera.core.Json;
import java.util.Set;

/**
 * Which changes made in the admin UI by a user who is not an owner wait for an owner's approval (project setting
 * {@code approvals}; none when the project has no policy): changes to an active campaign when {@code campaigns}, and
 * points adjustments of more than {@code pointsAbove} points (either way) when it is set.
 */
public record ApprovalPolicy(boolean campaigns, Long pointsAbove) {
    public static final ApprovalPolicy NONE = new ApprovalPolicy(false, null);

    /** Whether an adjustment of {@code points} needs an approval. */
    public boolean points(long points) {
        return pointsAbove != null && Math.abs(points) > pointsAbove;
    }

    /** The policy in {@code field} of {@code in} (an object with campaigns and pointsAbove); null when absent. */
    public static ApprovalPolicy read(Input parent, String field) {
        Input in = parent.object(field, false);
        if (in == null) return null;
        in.allow(Set.of("campaigns", "pointsAbove"));
        Boolean campaigns = in.bool("campaigns", false);
        Long above = in.integer("pointsAbove", false, 0, 1_000_000_000_000L);
        return new ApprovalPolicy(Boolean.TRUE.equals(campaigns), above);
    }

    static ApprovalPolicy parse(String stored) {
        if (stored == null) return NONE;
        JsonNode n = Json.parse(stored);
        return new ApprovalPolicy(n.path("campaigns").asBoolean(false),
                n.hasNonNull("pointsAbove") ? n.get("pointsAbove").asLong() : null);
    }

    String stored() {
        return this.equals(NONE) ? null : Json.text(this);
    }
}
