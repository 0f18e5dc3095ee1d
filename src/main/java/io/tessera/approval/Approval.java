package io.tessera.approval;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.audit.Diff;
import java.time.Instant;
import java.util.List;

/**
 * A change waiting for an owner (or decided by one): its {@code kind} ({@code campaign.patch},
 * {@code campaign.archive}, {@code points.adjust}), what it changes ({@code target}, as the audit log names it), the
 * {@code payload} the service is called with on approval, and the {@code diff} shown to the owner.
 */
public record Approval(String id, String kind, String target, JsonNode payload, List<Diff.Change> diff,
                       String requestedBy, String requestedByName, Instant requestedAt, String decidedBy,
                       String decidedByName, Instant decidedAt, Status status, String error) {
    public enum Status { PENDING, APPROVED, REJECTED }

    public boolean pending() {
        return status == Status.PENDING;
    }
}
