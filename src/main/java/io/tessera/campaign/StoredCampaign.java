package io.tessera.campaign;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** A campaign row: its canonical definition as saved, and bookkeeping. */
public record StoredCampaign(String id, String name, long sequence, boolean archived, ObjectNode definition,
                             Instant createdAt, Instant updatedAt) {
}
