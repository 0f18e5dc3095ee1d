package io.tessera.code;

import io.tessera.campaign.CodePattern;
import java.time.Instant;

/**
 * A durable request to generate {@code total} codes of {@code pattern} for a campaign; {@code done} is how many exist
 * so far. Status: RUNNING, DONE or FAILED ({@code error} says why).
 */
public record GenerationJob(String id, String projectId, String campaignId, String campaign, String status, long total,
                            long done, String pattern, String charset, String error, Instant createdAt,
                            Instant finishedAt) {
    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";

    public CodePattern codePattern() {
        return CodePattern.of(pattern, charset);
    }
}
