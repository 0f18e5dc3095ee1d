package io.tessera.outbox;

import java.time.Instant;
import java.util.Map;

/**
 * An event as written to the outbox: {@code id} is stable (receivers de-duplicate on it), {@code data} the resource as
 * the API shows it. {@code webhook}, when set, names the one webhook the event is meant for (an automation's
 * {@code WEBHOOK} action); null: every webhook subscribed to {@code type}.
 */
public record OutboxEvent(String id, String projectId, String type, Map<String, Object> data, Instant createdAt,
                          String webhook) {
}
