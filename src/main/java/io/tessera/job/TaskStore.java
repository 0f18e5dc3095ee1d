package io.tessera.job;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import io.tessera.db.Database;
import io.tessera.core.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The tasks table. A node works on a task only while it holds the task's lease: {@code lease_owner} is a token unique
 * to one claim, and every write of a running task is conditional on it, so a node that lost its lease (stalled past
 * {@code lease_until}, then claimed elsewhere) can no longer record anything. Leases are timed with the nodes' real
 * clocks, which must roughly agree (within a fraction of the lease).
 */
final class TaskStore {
    private static final String CLAIMABLE = "status = 'PENDING' and (lease_until is null or lease_until < ?)";
    private static final String COLUMNS = "id, kind, project_id, task_key, payload, due_at, attempts";
    private final Database db;

    TaskStore(Database db) {
        this.db = db;
    }

    /** One kind's work at an instant: due and not held, held by a node, and the due time of the oldest not held. */
    record Backlog(long due, long running, Instant oldestDue) {
        static final Backlog NONE = new Backlog(0, 0, null);
    }

    /**
     * The backlog of every kind with PENDING tasks due by {@code now} (a range of the {@code tasks_due} index: tasks
     * due later are not read). A held task is one whose lease runs past {@code realNow}.
     */
    java.util.Map<String, Backlog> backlog(Instant now, Instant realNow) {
        java.util.Map<String, Backlog> out = new java.util.HashMap<>();
        for (Record r : db.dsl().fetch("select kind, sum(case when lease_until > ? then 1 else 0 end) as running, "
                + "sum(case when lease_until is null or lease_until <= ? then 1 else 0 end) as due, "
                + "min(case when lease_until is null or lease_until <= ? then due_at end) as oldest "
                + "from tasks where status = 'PENDING' and due_at <= ? group by kind",
                ts(realNow), ts(realNow), ts(realNow), ts(now))) {
            out.put(r.get("kind", String.class), new Backlog(r.get("due", Long.class), r.get("running", Long.class),
                    instant(r, "oldest")));
        }
        return out;
    }

    /** How many tasks of each kind ended FAILED (gave up after their retries), all time. */
    java.util.Map<String, Long> failed() {
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        for (Record r : db.dsl().fetch("select kind, count(*) as n from tasks where status = 'FAILED' group by kind"))
            out.put(r.get("kind", String.class), r.get("n", Long.class));
        return out;
    }

    /**
     * Inserts a PENDING task (leased to {@code token} when not null); with a key that exists for the kind, inserts
     * nothing. Returns the id of the task that now stands for the request.
     */
    Enqueued insert(DSLContext tx, String id, NewTask t, Instant dueAt, boolean immediate, String token,
                    Instant leaseUntil, Instant createdAt) {
        int n = tx.execute("insert into tasks (id, kind, project_id, task_key, payload, due_at, immediate, status, "
                        + "attempts, lease_owner, lease_until, created_at) values (?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?) "
                        + "on conflict do nothing",
                id, t.kind(), t.projectId(), t.key(), Json.text(t.payload()), ts(dueAt), immediate, token == null ? 0 : 1,
                token, token == null ? null : ts(leaseUntil), ts(createdAt));
        if (n == 1) return new Enqueued(id, true, token);
        String existing = tx.fetchValue("select id from tasks where kind = ? and task_key = ?", t.kind(), t.key())
                instanceof String s ? s : null;
        if (existing == null) throw new IllegalStateException("task " + id + " was neither inserted nor found");
        return new Enqueued(existing, false, null);
    }

    /**
     * Claims up to {@code limit} claimable tasks matching {@code due} (an SQL condition, with its arguments), earliest
     * due first, for {@code token}; each claim counts as an attempt.
     */
    List<Task> claim(String due, List<Object> dueArgs, int limit, String token, Instant now, Instant leaseUntil) {
        if (limit <= 0) return List.of();
        List<Object> args = new ArrayList<>(List.of(token, ts(leaseUntil)));
        if (db.postgres()) {
            // One statement: rows another node is claiming are skipped, not waited for.
            args.addAll(dueArgs);
            args.add(ts(now));
            args.add(limit);
            return db.dsl().fetch("update tasks set lease_owner = ?, lease_until = ?, attempts = attempts + 1 "
                    + "where id in (select id from tasks where " + due + " and " + CLAIMABLE
                    + " order by due_at, id limit ? for update skip locked) returning " + COLUMNS, args.toArray())
                    .map(TaskStore::task);
        }
        // H2 applies LIMIT before skipping locked rows, so there: read candidates without locks and claim each with a
        // conditional update (one winner per task). An H2 file database is held by one process, so the only
        // contenders are this node's poller, the test clock's advance and inline runs.
        List<Object> select = new ArrayList<>(dueArgs);
        select.add(ts(now));
        List<String> candidates = db.dsl().fetch("select id from tasks where " + due + " and " + CLAIMABLE
                        + " order by due_at, id limit " + limit, select.toArray()).map(r -> r.get("id", String.class));
        List<Task> claimed = new ArrayList<>();
        for (String id : candidates) {
            if (db.dsl().execute("update tasks set lease_owner = ?, lease_until = ?, attempts = attempts + 1 "
                    + "where id = ? and " + CLAIMABLE, token, ts(leaseUntil), id, ts(now)) == 1) {
                find(id, token).ifPresent(claimed::add);
            }
        }
        return claimed;
    }

    /** The task if {@code token} holds it. */
    Optional<Task> find(String id, String token) {
        return db.dsl().fetchOptional("select " + COLUMNS + " from tasks where id = ? and lease_owner = ? "
                + "and status = 'PENDING'", id, token).map(TaskStore::task);
    }

    boolean renew(DSLContext tx, String id, String token, Instant until) {
        return tx.execute("update tasks set lease_until = ? where id = ? and lease_owner = ? and status = 'PENDING'",
                ts(until), id, token) == 1;
    }

    boolean complete(DSLContext tx, String id, String token, Instant now) {
        return tx.execute("update tasks set status = 'DONE', finished_at = ?, lease_owner = null, lease_until = null "
                + "where id = ? and lease_owner = ? and status = 'PENDING'", ts(now), id, token) == 1;
    }

    /** A failed attempt to try again at {@code dueAt}; a retry is time-scheduled work, no longer immediate. */
    boolean retry(String id, String token, Instant dueAt, String error) {
        return db.dsl().execute("update tasks set due_at = ?, immediate = false, error = ?, lease_owner = null, "
                + "lease_until = null where id = ? and lease_owner = ? and status = 'PENDING'", ts(dueAt), cut(error),
                id, token) == 1;
    }

    boolean fail(DSLContext tx, String id, String token, String error, Instant now) {
        return tx.execute("update tasks set status = 'FAILED', error = ?, finished_at = ?, lease_owner = null, "
                + "lease_until = null where id = ? and lease_owner = ? and status = 'PENDING'", cut(error), ts(now), id,
                token) == 1;
    }

    /** Gives the task back unfinished (shutdown), not counting this claim as an attempt: it can be claimed at once. */
    void release(String id, String token) {
        db.dsl().execute("update tasks set lease_owner = null, lease_until = null, attempts = attempts - 1 "
                + "where id = ? and lease_owner = ?", id, token);
    }

    private static String cut(String error) {
        return error == null || error.length() <= 1000 ? error : error.substring(0, 1000);
    }

    private static Task task(Record r) {
        return new Task(r.get("id", String.class), r.get("kind", String.class), r.get("project_id", String.class),
                r.get("task_key", String.class), Json.parse(r.get("payload", String.class)), instant(r, "due_at"),
                r.get("attempts", Integer.class));
    }
}
