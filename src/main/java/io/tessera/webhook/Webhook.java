package io.tessera.webhook;

import java.time.Instant;
import java.util.List;

/**
 * A stored webhook. {@code secret} never leaves the server except as signatures; {@code failingSince} is the first
 * failed attempt since the last success (null when the last attempt succeeded).
 */
record Webhook(String id, String projectId, String name, String url, List<String> events, String secret,
               int rateLimit, boolean enabled, String disabledReason, Instant failingSince, Instant createdAt,
               Instant updatedAt) {

    /** Its throttle's lane in {@link io.tessera.job.SendSlots}. */
    String lane() {
        return "webhook:" + id;
    }

    /** As the API shows it: never the secret. */
    View view() {
        return new View(name, url, events, rateLimit, enabled ? "ENABLED" : "DISABLED", disabledReason, createdAt,
                updatedAt);
    }

    /** {@code GET /v1/webhooks/{name}}. */
    record View(String name, String url, List<String> events, int rateLimit, String status, String disabledReason,
                Instant createdAt, Instant updatedAt) {
    }
}
