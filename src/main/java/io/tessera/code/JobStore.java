package io.tessera.code;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.db.Database;
import io.tessera.db.Sql;
import io.tessera.core.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The jobs table. A node works on a job only while it holds the job's lease: {@code lease_owner} is a token unique to
 * one claim, and every progress write is conditional on it, so a node that lost its lease (stalled past
 * {@code lease_until}, then claimed elsewhere) can no longer record anything.
 */
public final class JobStore {
    static final String KIND = "GENERATE_CODES";
    private static final String SELECT = "select j.*, m.name as campaign_name from jobs j "
            + "join campaigns m on m.id = j.campaign_id ";
    private final Database db;

    public JobStore(Database db) {
        this.db = db;
    }

    /** Inserts a RUNNING job already leased to {@code token}. */
    public void insert(DSLContext tx, GenerationJob job, String token, Instant leaseUntil) {
        tx.execute("insert into jobs (id, project_id, campaign_id, kind, status, total, done, params, lease_owner, "
                        + "lease_until, created_at) values (?, ?, ?, ?, 'RUNNING', ?, 0, ?, ?, ?, ?)",
                job.id(), job.projectId(), job.campaignId(), KIND, job.total(),
                Json.text(Map.of("pattern", job.pattern(), "charset", job.charset())), token, ts(leaseUntil),
                ts(job.createdAt()));
    }

    public Optional<GenerationJob> find(String projectId, String id) {
        return db.dsl().fetchOptional(SELECT + "where j.project_id = ? and j.id = ?", projectId, id).map(JobStore::job);
    }

    Optional<GenerationJob> find(String id) {
        return db.dsl().fetchOptional(SELECT + "where j.id = ?", id).map(JobStore::job);
    }

    /** Codes that RUNNING jobs of the campaign are still to make. */
    public long pending(DSLContext tx, String campaignId) {
        return Sql.longValue(tx.fetchValue("select sum(total - done) from jobs where campaign_id = ? "
                + "and status = 'RUNNING'", campaignId));
    }

    /** RUNNING jobs nobody holds: never leased, released at a shutdown, or whose node stopped renewing. */
    List<String> unheld(Instant now) {
        return db.dsl().fetch("select id from jobs where status = 'RUNNING' and (lease_until is null or lease_until < ?) "
                + "order by created_at", ts(now)).map(r -> r.get("id", String.class));
    }

    /** Takes the lease if nobody holds it; exactly one of several nodes trying at once succeeds. */
    boolean claim(String id, String token, Instant now, Instant until) {
        return db.dsl().execute("update jobs set lease_owner = ?, lease_until = ? where id = ? and status = 'RUNNING' "
                + "and (lease_until is null or lease_until < ?)", token, ts(until), id, ts(now)) == 1;
    }

    boolean renew(String id, String token, Instant until) {
        return db.dsl().execute("update jobs set lease_until = ? where id = ? and lease_owner = ? and status = 'RUNNING'",
                ts(until), id, token) == 1;
    }

    /** Counts {@code landed} more codes, in the transaction that inserted them; false when the lease is lost. */
    boolean progress(DSLContext tx, String id, String token, long landed, Instant until) {
        return tx.execute("update jobs set done = done + ?, lease_until = ? where id = ? and lease_owner = ? "
                + "and status = 'RUNNING'", landed, ts(until), id, token) == 1;
    }

    boolean finish(String id, String token, Instant now) {
        return db.dsl().execute("update jobs set status = 'DONE', finished_at = ?, lease_owner = null, lease_until = null "
                + "where id = ? and lease_owner = ? and status = 'RUNNING'", ts(now), id, token) == 1;
    }

    boolean fail(String id, String token, String error, Instant now) {
        String message = error.length() > 1000 ? error.substring(0, 1000) : error;
        return db.dsl().execute("update jobs set status = 'FAILED', error = ?, finished_at = ?, lease_owner = null, "
                + "lease_until = null where id = ? and lease_owner = ? and status = 'RUNNING'", message, ts(now), id,
                token) == 1;
    }

    /** Gives the job back (at shutdown) so that the next node or start resumes it at once. */
    void release(String id, String token) {
        db.dsl().execute("update jobs set lease_owner = null, lease_until = null where id = ? and lease_owner = ?",
                id, token);
    }

    static GenerationJob job(Record r) {
        JsonNode params = Json.parse(r.get("params", String.class));
        return new GenerationJob(r.get("id", String.class), r.get("project_id", String.class),
                r.get("campaign_id", String.class), r.get("campaign_name", String.class), r.get("status", String.class),
                Sql.longValue(r.get("total")), Sql.longValue(r.get("done")), params.path("pattern").asText(),
                params.path("charset").asText(), r.get("error", String.class), instant(r, "created_at"),
                instant(r, "finished_at"));
    }
}
