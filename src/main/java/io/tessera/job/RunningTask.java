package io.tessera.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.jooq.DSLContext;

/** A task while this node holds its lease: what a {@link TaskHandler} gets. */
public final class RunningTask {
    private final Task task;
    private final String token;
    private final Instant now;
    private final Scheduler scheduler;
    private boolean completed;

    RunningTask(Task task, String token, Instant now, Scheduler scheduler) {
        this.task = task;
        this.token = token;
        this.now = now;
        this.scheduler = scheduler;
    }

    public Task task() {
        return task;
    }

    public JsonNode payload() {
        return task.payload();
    }

    /**
     * The instant the work happens at: the real time, or with the test clock on, the instant given to
     * {@code POST /v1/test-clock/advance} (or, for work due at once, the instant it was scheduled at).
     */
    public Instant now() {
        return now;
    }

    /** The node is shutting down: a long task should stop at its next safe point and return {@code PAUSED}. */
    public boolean stopping() {
        return scheduler.stopping();
    }

    /**
     * Renews the lease inside {@code tx} (the transaction that records a step of the work); throws {@link LeaseLost}
     * when another claim took the task, so that the step rolls back.
     */
    public void checkpoint(DSLContext tx) {
        if (!scheduler.store().renew(tx, task.id(), token, scheduler.leaseEnd())) throw new LeaseLost(task.id());
    }

    /**
     * Marks the task DONE inside {@code tx}, the transaction of its last effects: the task is finished exactly when
     * they are. Throws {@link LeaseLost} when another claim took the task, so that the effects roll back.
     */
    public void complete(DSLContext tx) {
        if (!scheduler.store().complete(tx, task.id(), token, scheduler.realNow())) throw new LeaseLost(task.id());
        completed = true;
    }

    String token() {
        return token;
    }

    boolean completed() {
        return completed;
    }
}
