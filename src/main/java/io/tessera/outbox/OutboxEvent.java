package io.tessera.outbox;

import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An event as written to the outbox: {@code id} is stable (receivers de-duplicate on it), {@code data} the resource as
 * the API shows it. {@code webhook}, when set, names the one webhook the event is meant for (an automation's
 * {@code WEBHOOK} action); null: every webhook subscribed to {@code type}. The data is built on first use: most
 * events (a redemption in a project without webhooks) are wanted by no subscriber and never need it.
 */
public record OutboxEvent(String id, String projectId, String type, Supplier<Map<String, Object>> payload,
                          Instant createdAt, String webhook) {
    public Map<String, Object> data() {
        return payload.get();
    }
}
