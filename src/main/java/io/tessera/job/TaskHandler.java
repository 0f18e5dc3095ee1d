package io.tessera.job;

import java.time.Instant;
import org.jooq.DSLContext;

/**
 * Runs the tasks of one kind; registered with {@link Scheduler#register} when the server is wired.
 *
 * <p>A handler runs at least once per task and, with leases, once at a time across nodes; make it idempotent where a
 * crash between its effects and the task's completion could repeat it. Best: write the effects and
 * {@link RunningTask#complete(DSLContext)} in one transaction, so the task is done exactly when its effects are.
 */
public interface TaskHandler {

    /**
     * Does the task's work as of {@link RunningTask#now()}. Return {@link Outcome#DONE} when it is finished (the
     * scheduler marks it done if the handler did not), or {@link Outcome#PAUSED} to give it back unfinished because
     * {@link RunningTask#stopping()} (it runs again, on this node's next start or on another node, not counted as a
     * failed attempt). Throwing counts as a failed attempt: it is retried later, then given up (see {@link Retry}).
     */
    Outcome run(RunningTask task);

    /**
     * Called in the transaction that marks the task FAILED after its last attempt, to record the failure where users
     * see it (a job's status, an automation run's error).
     */
    default void failed(DSLContext tx, Task task, String error, Instant now) {
    }

    enum Outcome { DONE, PAUSED }
}
