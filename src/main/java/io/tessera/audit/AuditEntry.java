package io.tessera.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One recorded change: who, what, when, and the resource before and after (null when it did not exist);
 * {@code requestedBy} names who asked for a change an owner approved (null otherwise).
 */
public record AuditEntry(String id, Instant at, ActorView actor, String action, String resource, JsonNode before,
                         JsonNode after, ActorView requestedBy) {
    /** The actor as the API shows it: {@code {"type": "key"|"user"|"system", "id", "name"}}. */
    public record ActorView(String type, String id, String name) {
    }
}
