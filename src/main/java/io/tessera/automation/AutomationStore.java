package io.tessera.automation;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import io.tessera.core.Json;
import io.tessera.db.Database;
import io.tessera.db.Sql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** Automations, their runs, per-customer run counts and segment memberships: SQL only. */
final class AutomationStore {
    private final Database db;

    AutomationStore(Database db) {
        this.db = db;
    }

    /** An automation row: the definition as stored, compiled by the caller. */
    record Row(String id, String projectId, String name, String on, String definition, boolean active,
               Instant createdAt, Instant updatedAt) {
    }

    // ---- automations ----

    void insert(DSLContext tx, String projectId, String id, String name, String on, String definition, boolean active,
                Instant now) {
        tx.execute("insert into automations (id, project_id, name, trigger_on, definition, active, created_at, "
                + "updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)", id, projectId, name, on, definition, active, ts(now),
                ts(now));
        bump(tx, projectId);
    }

    void update(DSLContext tx, Row row, String on, String definition, boolean active, Instant now) {
        tx.execute("update automations set trigger_on = ?, definition = ?, active = ?, updated_at = ? "
                + "where project_id = ? and id = ?", on, definition, active, ts(now), row.projectId(), row.id());
        bump(tx, row.projectId());
    }

    /** Deletes the automation with its limit counts and segment memberships; its runs stay (see the service). */
    void delete(DSLContext tx, Row row) {
        tx.execute("delete from automation_counts where project_id = ? and automation_id = ?", row.projectId(),
                row.id());
        tx.execute("delete from automation_segment_states where project_id = ? and automation_id = ?", row.projectId(),
                row.id());
        tx.execute("delete from automations where project_id = ? and id = ?", row.projectId(), row.id());
        bump(tx, row.projectId());
    }

    /** Every node reloads the project's automations (as for campaigns: the project's config version). */
    private static void bump(DSLContext tx, String projectId) {
        tx.execute("update projects set config_version = config_version + 1 where id = ?", projectId);
    }

    Optional<Row> find(DSLContext dsl, String projectId, String name, boolean forUpdate) {
        return dsl.fetchOptional("select * from automations where project_id = ? and name = ?"
                + (forUpdate ? " for update" : ""), projectId, name).map(AutomationStore::row);
    }

    Optional<Row> byId(DSLContext dsl, String projectId, String id) {
        return dsl.fetchOptional("select * from automations where project_id = ? and id = ?", projectId, id)
                .map(AutomationStore::row);
    }

    List<Row> all(DSLContext dsl, String projectId) {
        return dsl.fetch("select * from automations where project_id = ? order by name", projectId)
                .map(AutomationStore::row);
    }

    List<Row> page(String projectId, String afterName, int limit) {
        return db.dsl().fetch("select * from automations where project_id = ? and name > ? order by name limit ?",
                projectId, afterName, limit).map(AutomationStore::row);
    }

    List<Row> on(DSLContext dsl, String projectId, String trigger) {
        return dsl.fetch("select * from automations where project_id = ? and trigger_on = ? and active = true",
                projectId, trigger).map(AutomationStore::row);
    }

    private static Row row(Record r) {
        return new Row(r.get("id", String.class), r.get("project_id", String.class), r.get("name", String.class),
                r.get("trigger_on", String.class), r.get("definition", String.class), r.get("active", Boolean.class),
                instant(r, "created_at"), instant(r, "updated_at"));
    }

    // ---- runs ----

    /** Inserts a SCHEDULED run; false (nothing added) when the automation has a run of that key already. */
    boolean insertRun(DSLContext tx, Run run, String runKey) {
        long seq = Sql.longValue(tx.fetchValue("select nextval('automation_run_seq')"));
        return tx.execute("insert into automation_runs (id, seq, project_id, automation_id, customer_id, trigger_on, "
                        + "trigger_data, run_key, due_at, status, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "on conflict do nothing", run.id(), seq, run.projectId(), run.automationId(), run.customer(),
                run.trigger(), Json.text(run.triggerData()), runKey, ts(run.dueAt()), Run.SCHEDULED,
                ts(run.createdAt())) == 1;
    }

    Optional<Run> run(DSLContext dsl, String projectId, String id, boolean forUpdate) {
        return dsl.fetchOptional("select * from automation_runs where project_id = ? and id = ?"
                + (forUpdate ? " for update" : ""), projectId, id).map(AutomationStore::run);
    }

    /** Ends a SCHEDULED run; false when it had ended already. */
    boolean finish(DSLContext tx, String projectId, String id, String status, String error, Object outputs,
                   Instant now) {
        return tx.execute("update automation_runs set status = ?, error = ?, outputs = ?, finished_at = ? "
                        + "where project_id = ? and id = ? and status = 'SCHEDULED'", status, cut(error),
                outputs == null ? null : Json.text(outputs), ts(now), projectId, id) == 1;
    }

    /** The error of a failed attempt, shown while the run waits for its next one. */
    void attemptFailed(String projectId, String id, String error) {
        db.dsl().execute("update automation_runs set error = ? where project_id = ? and id = ? "
                + "and status = 'SCHEDULED'", cut(error), projectId, id);
    }

    /** Newest first, before {@code beforeSeq}; {@code status} and {@code customer} null for all. */
    List<Run> runs(String projectId, String automationId, String status, String customer, long beforeSeq, int limit) {
        List<Object> args = new ArrayList<>(List.of(projectId, automationId, beforeSeq));
        String sql = "select * from automation_runs where project_id = ? and automation_id = ? and seq < ?";
        if (status != null) {
            sql += " and status = ?";
            args.add(status);
        }
        if (customer != null) {
            sql += " and customer_id = ?";
            args.add(customer);
        }
        args.add(limit);
        return db.dsl().fetch(sql + " order by seq desc limit ?", args.toArray()).map(AutomationStore::run);
    }

    /** A customer's runs in the project, oldest first, with their automation's name (null once deleted). */
    List<Record> customerRuns(String projectId, String customer) {
        return db.dsl().fetch("select r.*, a.name as automation_name from automation_runs r left join automations a "
                + "on a.project_id = r.project_id and a.id = r.automation_id where r.project_id = ? "
                + "and r.customer_id = ? order by r.seq", projectId, customer);
    }

    static Run run(Record r) {
        String outputs = r.get("outputs", String.class);
        return new Run(r.get("id", String.class), Sql.longValue(r.get("seq")), r.get("project_id", String.class),
                r.get("automation_id", String.class), r.get("customer_id", String.class),
                r.get("trigger_on", String.class), Json.parse(r.get("trigger_data", String.class)),
                instant(r, "due_at"), r.get("status", String.class), r.get("error", String.class),
                outputs == null ? null : Json.parse(outputs), instant(r, "created_at"), instant(r, "finished_at"));
    }

    private static String cut(String error) {
        return error == null || error.length() <= 1000 ? error : error.substring(0, 1000);
    }

    // ---- limit.perCustomer ----

    /** Takes one of the customer's {@code limit} runs; false when all are taken. One guarded statement decides. */
    boolean takeRun(DSLContext tx, String projectId, String automationId, String customer, int limit) {
        tx.execute("insert into automation_counts (automation_id, customer_id, project_id, runs) values (?, ?, ?, 0) "
                + "on conflict do nothing", automationId, customer, projectId);
        return tx.execute("update automation_counts set runs = runs + 1 where project_id = ? and automation_id = ? "
                + "and customer_id = ? and runs < ?", projectId, automationId, customer, limit) == 1;
    }

    /** A run that was SKIPPED does not count against the limit. */
    void giveBackRun(DSLContext tx, String projectId, String automationId, String customer) {
        tx.execute("update automation_counts set runs = runs - 1 where project_id = ? and automation_id = ? "
                + "and customer_id = ? and runs > 0", projectId, automationId, customer);
    }

    // ---- segment_entered ----

    /**
     * Records whether the customer is in the automation's segment now; true when that is an entry: inside now, and
     * known to be outside before (or, with no state recorded yet, {@code unknownWasInside} false).
     */
    boolean entered(DSLContext tx, String projectId, String automationId, String customer, boolean inside,
                    boolean unknownWasInside) {
        int inserted = tx.execute("insert into automation_segment_states (automation_id, customer_id, project_id, "
                + "inside) values (?, ?, ?, ?) on conflict do nothing", automationId, customer, projectId, inside);
        if (inserted == 1) return inside && !unknownWasInside;
        int changed = tx.execute("update automation_segment_states set inside = ? where project_id = ? "
                + "and automation_id = ? and customer_id = ? and inside = ?", inside, projectId, automationId, customer,
                !inside);
        return inside && changed == 1;
    }

    // ---- birthdays ----

    void setBirthday(DSLContext tx, String projectId, String customer, String monthDay) {
        tx.execute("update customers set birthday_md = ? where project_id = ? and id = ?", monthDay, projectId,
                customer);
    }

    /** Customers born on one of {@code monthDays} (MMDD), after {@code afterId} in id order. */
    List<String> bornOn(String projectId, List<String> monthDays, String afterId, int limit) {
        List<Object> args = new ArrayList<>(List.of(projectId));
        args.addAll(monthDays);
        args.add(afterId);
        args.add(limit);
        return db.dsl().fetch("select id from customers where project_id = ? and birthday_md in ("
                + String.join(", ", java.util.Collections.nCopies(monthDays.size(), "?")) + ") and id > ? "
                + "order by id limit ?", args.toArray()).map(r -> r.get("id", String.class));
    }

    // ---- erasure ----

    void erase(DSLContext tx, String projectId, String customer, String pseudonym) {
        tx.execute("update automation_runs set customer_id = ?, trigger_data = '{}' where project_id = ? "
                + "and customer_id = ?", pseudonym, projectId, customer);
        // The counts keep limits right under the pseudonym (merged if the same id was erased before).
        tx.execute("update automation_counts set customer_id = ? where project_id = ? and customer_id = ? and not "
                + "exists (select 1 from automation_counts c where c.project_id = automation_counts.project_id "
                + "and c.automation_id = automation_counts.automation_id and c.customer_id = ?)", pseudonym, projectId,
                customer, pseudonym);
        tx.execute("delete from automation_counts where project_id = ? and customer_id = ?", projectId, customer);
        tx.execute("delete from automation_segment_states where project_id = ? and customer_id = ?", projectId,
                customer);
        tx.execute("update customers set birthday_md = null where project_id = ? and id in (?, ?)", projectId, customer,
                pseudonym);
    }
}
