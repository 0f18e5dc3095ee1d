package io.tessera.job;

/**
 * A task as {@link Scheduler#enqueue} left it: its id; {@code created} false when a task of that kind and key existed
 * already (nothing was added); and, for {@link Scheduler#enqueueHeld}, the token of the lease this node took for
 * running it inline after the commit.
 */
public record Enqueued(String id, boolean created, String heldBy) {
}
