package io.tessera.job;

/**
 * This node's claim of a task ran out and another node took it (this node stalled past the lease). Thrown by
 * {@link RunningTask#checkpoint} and {@link RunningTask#complete} inside the caller's transaction, so that the work
 * done under the lost claim rolls back; the scheduler then drops the task without touching it.
 */
public final class LeaseLost extends RuntimeException {
    LeaseLost(String taskId) {
        super("lease of task " + taskId + " lost to another claim", null, false, false);
    }
}
