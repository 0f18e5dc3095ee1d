package io.tessera.redemption;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Json;
import java.time.Instant;

/** A stored redemption as the API shows it (listing, reading, rollback). */
public record RedemptionView(String id, String status, String customer, String orderId, JsonNode order,
                             JsonNode applied, Instant createdAt, Instant rolledBackAt, String rollbackReason,
                             String rolledBackBy) {
    static RedemptionView of(RedemptionStore.Stored r) {
        JsonNode stored = Json.parse(r.response());
        return new RedemptionView(r.id(), r.status(), r.customerId(), r.orderId(), stored.get("order"),
                stored.get("applied"), r.createdAt(), r.rolledBackAt(), r.rollbackReason(), r.rolledBackBy());
    }
}
