package io.tessera.automation;

import io.tessera.core.Json;
import io.tessera.job.NewTask;
import io.tessera.job.Retry;
import io.tessera.job.RunningTask;
import io.tessera.job.Scheduler;
import io.tessera.job.TaskHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * Fills {@code customers.birthday_md} for customers stored before the automation feature kept it (every change since is
 * kept by {@link AutomationTriggers}): once per project, when its first birthday automation is saved, in batches.
 */
public final class BirthdayBackfill implements TaskHandler {
    public static final String KIND = "automation.birthdays-backfill";
    public static final Retry RETRY = new Retry(5, Duration.ofMinutes(1));
    static final int BATCH = 1000;
    private final Automations automations;
    private final Scheduler scheduler;

    public BirthdayBackfill(Automations automations, Scheduler scheduler) {
        this.automations = automations;
        this.scheduler = scheduler;
    }

    /** Schedules the project's backfill, within {@code tx}; a project's backfill exists once (its key). */
    void schedule(DSLContext tx, String projectId, Instant now) {
        scheduler.enqueue(tx, NewTask.now(KIND, projectId, Map.of()).withKey("birthdays-backfill:" + projectId), now);
    }

    @Override
    public Outcome run(RunningTask task) {
        String projectId = task.task().projectId();
        String after = "";
        while (true) {
            String from = after;
            List<Record> batch = automations.db.dsl().fetch("select id, attributes from customers where project_id = ? "
                    + "and id > ? and birthday_md is null and attributes like ? order by id limit ?", projectId, from,
                    "%\"birthday\"%", BATCH);
            automations.db.transaction(tx -> {
                task.checkpoint(tx);
                for (Record r : batch) {
                    String md = AutomationTriggers.monthDay(Json.toMap(Json.parse(r.get("attributes", String.class)))
                            .get("birthday"));
                    if (md != null) automations.store.setBirthday(tx, projectId, r.get("id", String.class), md);
                }
                if (batch.size() < BATCH) task.complete(tx);
                return null;
            });
            if (batch.size() < BATCH) return Outcome.DONE;
            after = batch.getLast().get("id", String.class);
            if (task.stopping()) return Outcome.PAUSED;
        }
    }
}
