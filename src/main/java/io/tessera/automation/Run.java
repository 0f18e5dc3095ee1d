package io.tessera.automation;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One time an automation fired for a customer: its {@code trigger} and the trigger's data (the order, event, tier or
 * points it saw), when its actions are due, and how it ended: {@code SCHEDULED} until {@code DONE} (with the
 * {@code outputs} of its actions), {@code SKIPPED} (with the reason in {@code error}) or {@code FAILED}.
 */
record Run(String id, long seq, String projectId, String automationId, String customer, String trigger,
           JsonNode triggerData, Instant dueAt, String status, String error, JsonNode outputs, Instant createdAt,
           Instant finishedAt) {

    static final String SCHEDULED = "SCHEDULED", DONE = "DONE", SKIPPED = "SKIPPED", FAILED = "FAILED";

    /** As {@code GET /v1/automations/{name}/runs} shows it. */
    Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("customer", customer);
        m.put("trigger", trigger);
        m.put("dueAt", dueAt);
        m.put("status", status);
        m.put("error", error);
        m.put("outputs", outputs);
        m.put("createdAt", createdAt);
        m.put("finishedAt", finishedAt);
        return m;
    }
}
