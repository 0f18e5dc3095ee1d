package io.tessera.job;

import java.time.Instant;

/**
 * Work to schedule: a {@code kind} (a handler registered for it runs it), the project it belongs to (null for work of
 * no project), a {@code payload} serialised as JSON (keep it small: ids, not resources), and {@code dueAt}, the
 * instant it is due (null: at once).
 *
 * <p>{@code key}, when set, makes the enqueue idempotent: a second task of the same kind and key is not created, the
 * existing one is returned instead (e.g. one task per automation run, whoever schedules it first).
 */
public record NewTask(String kind, String projectId, String key, Object payload, Instant dueAt) {

    /** Work of a project due at once. */
    public static NewTask now(String kind, String projectId, Object payload) {
        return new NewTask(kind, projectId, null, payload, null);
    }

    /** Work of a project due at {@code dueAt}. */
    public static NewTask at(String kind, String projectId, Object payload, Instant dueAt) {
        return new NewTask(kind, projectId, null, payload, dueAt);
    }

    /** The same task, enqueued at most once for this key (per kind). */
    public NewTask withKey(String newKey) {
        return new NewTask(kind, projectId, newKey, payload, dueAt);
    }
}
