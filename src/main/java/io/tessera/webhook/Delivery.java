package io.tessera.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event for one webhook, as stored: {@code body} is the exact JSON sent on every attempt; {@code taskToken} names
 * the one scheduled task that may act on it (null when none is due); {@code roundAttempts} counts the attempts since
 * it was last queued, which is where it stands in the retry schedule.
 */
record Delivery(String id, long seq, String projectId, String webhookId, String eventId, String eventType,
                String status, int attempts, int roundAttempts, String taskToken, Integer responseStatus,
                Long durationMs, Instant nextAttemptAt, String lastError, String body, String requestHeaders,
                Instant createdAt) {
    static final String PENDING = "PENDING";
    static final String DELIVERED = "DELIVERED";
    static final String FAILED = "FAILED";
    static final String SKIPPED = "SKIPPED";

    /** A line of the delivery log. */
    Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("event", eventId);
        m.put("type", eventType);
        m.put("status", status);
        m.put("attempts", attempts);
        m.put("responseStatus", responseStatus);
        m.put("durationMs", durationMs);
        m.put("nextAttemptAt", nextAttemptAt);
        m.put("createdAt", createdAt);
        return m;
    }

    /** The log line with what was sent last (body, headers with signatures; never the secret) and the last error. */
    Map<String, Object> detail(String url) {
        Map<String, Object> m = view();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("url", url);
        JsonNode headers = requestHeaders == null ? null : Json.parse(requestHeaders.getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        request.put("headers", headers);
        request.put("body", body);
        m.put("request", request);
        m.put("lastError", lastError);
        return m;
    }
}
