package io.tessera.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A task as stored: its {@code kind} (which handler runs it), the project it belongs to (null for work of no
 * project), the caller-chosen {@code key} that makes its enqueue idempotent (or null), its JSON {@code payload}, the
 * instant it is {@code dueAt}, and how many claims of it ended without it finishing ({@code attempts}, this claim
 * included).
 */
public record Task(String id, String kind, String projectId, String key, JsonNode payload, Instant dueAt,
                   int attempts) {
}
