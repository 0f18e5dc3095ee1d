package io.tessera.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One recorded change: who, what, when, and the resource before and after (null when it did not exist). */
public record AuditEntry(String id, Instant at, ActorView actor, String action, String resource, JsonNode before,
                         JsonNode after) {
    /** The actor as the API shows it: {@code {"type": "key"|"user"|"system", "id", "name"}}. */
    public record ActorView(String type, String id, String name) {
    }
}
