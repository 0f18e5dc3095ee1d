package io.tessera.automation;

import io.tessera.core.ProjectContext;
import io.tessera.job.NewTask;
import io.tessera.job.Retry;
import io.tessera.job.RunningTask;
import io.tessera.job.Scheduler;
import io.tessera.job.TaskHandler;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jooq.DSLContext;

/**
 * The {@code birthday} trigger: one sweep task per project and day, due at 00:00 in the project's time zone, which
 * starts a run of every active birthday automation for each customer born on that day (found by the indexed
 * {@code customers.birthday_md}; on 28 February of a year without 29 February, those born on the 29th too), then
 * schedules the next day's sweep. Task keys ({@code birthdays:<project>:<day>}) make each day's sweep exist once,
 * whoever schedules it, and run keys ({@code birthday:<year>}) make a customer fire once a year per automation, even if
 * a sweep is run again after a crash. The chain starts with the first birthday automation and stops on a day with none.
 */
public final class BirthdaySweep implements TaskHandler {
    public static final String KIND = "automation.birthdays";
    public static final Retry RETRY = new Retry(5, Duration.ofMinutes(1));
    static final int BATCH = 500;
    private final Automations automations;
    private final AutomationTriggers triggers;
    private final Function<String, Optional<ProjectContext>> projects;
    private final Scheduler scheduler;
    private final BirthdayBackfill backfill;

    public BirthdaySweep(Automations automations, AutomationTriggers triggers,
                         Function<String, Optional<ProjectContext>> projects, Scheduler scheduler,
                         BirthdayBackfill backfill) {
        this.backfill = backfill;
        this.automations = automations;
        this.triggers = triggers;
        this.projects = projects;
        this.scheduler = scheduler;
    }

    /**
     * Schedules the sweep of the next midnight in the project's zone, within {@code tx} (nothing if it exists), and the
     * project's one backfill of birthdays stored before they were indexed.
     */
    void schedule(DSLContext tx, ProjectContext p, Instant now) {
        backfill.schedule(tx, p.id(), now);
        enqueue(tx, p.id(), LocalDate.ofInstant(now, p.zone()).plusDays(1), p.zone(), now);
    }

    private void enqueue(DSLContext tx, String projectId, LocalDate day, ZoneId zone, Instant now) {
        scheduler.enqueue(tx, NewTask.at(KIND, projectId, Map.of("day", day.toString()),
                day.atStartOfDay(zone).toInstant()).withKey("birthdays:" + projectId + ":" + day), now);
    }

    @Override
    public Outcome run(RunningTask task) {
        String projectId = task.task().projectId();
        LocalDate day = LocalDate.parse(task.payload().get("day").asText());
        ProjectContext p = projects.apply(projectId).orElse(null);
        if (p == null) return Outcome.DONE;
        List<Automation> listening = new ArrayList<>();
        for (AutomationStore.Row row : automations.store.on(automations.db.dsl(), projectId, "birthday")) {
            listening.add(automations.compile(row));
        }
        if (listening.isEmpty()) return Outcome.DONE; // the chain stops; the next birthday automation starts it again
        Instant now = task.now().truncatedTo(ChronoUnit.MICROS);
        Instant midnight = day.atStartOfDay(p.zone()).toInstant();
        List<String> born = new ArrayList<>(List.of(AutomationTriggers.monthDay(day.toString())));
        if (day.getMonth() == Month.FEBRUARY && day.getDayOfMonth() == 28 && !day.isLeapYear()) born.add("0229");
        Map<String, Object> data = Map.of("birthday", Map.of("date", day.toString()));
        String after = "";
        while (true) {
            List<String> batch = automations.store.bornOn(projectId, born, after, BATCH);
            if (!batch.isEmpty()) automations.db.transaction(tx -> {
                task.checkpoint(tx);
                for (String customer : batch) {
                    for (Automation a : listening) {
                        triggers.start(tx, projectId, a, customer, null, data, "birthday:" + day.getYear(),
                                midnight.plus(a.delay()), now);
                    }
                }
                return null;
            });
            if (batch.size() < BATCH) break;
            after = batch.getLast();
            // Runs already started are kept by their keys: the sweep may stop here and be resumed whole.
            if (task.stopping()) return Outcome.PAUSED;
        }
        automations.db.transaction(tx -> {
            // Scheduled as of this sweep's midnight, not of "now": with the test clock an advance runs the chain day by
            // day itself, and a next day that counted as due at once would be left to the poller, racing the advance.
            enqueue(tx, projectId, day.plusDays(1), p.zone(), midnight);
            task.complete(tx);
            return null;
        });
        return Outcome.DONE;
    }
}
