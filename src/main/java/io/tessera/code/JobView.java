package io.tessera.code;

import java.time.Instant;

/** A code generation job as the API shows it; {@code job} repeats the id (what the creating call answers). */
public record JobView(String job, String id, String type, String campaign, String status, long done, long total,
                      String pattern, String error, Instant createdAt, Instant finishedAt) {
    static JobView of(GenerationJob j) {
        return new JobView(j.id(), j.id(), "CODE_GENERATION", j.campaign(), j.status(), j.done(), j.total(), j.pattern(),
                j.error(), j.createdAt(), j.finishedAt());
    }
}
