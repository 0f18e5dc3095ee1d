package io.tessera.code;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.db.Database;
import io.tessera.db.Sql;
import io.tessera.core.Json;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The jobs table: what users see of a generation job (status, done, total). Who works on it, and the lease, are the
 * scheduler's ({@code tasks}); every write here happens in a transaction that also checks that lease.
 */
public final class JobStore {
    static final String KIND = "GENERATE_CODES";
    private static final String SELECT = "select j.*, m.name as campaign_name from jobs j "
            + "join campaigns m on m.project_id = j.project_id and m.id = j.campaign_id ";
    private final Database db;

    public JobStore(Database db) {
        this.db = db;
    }

    /** Running generation jobs, with the codes they have made and the codes they will have made when finished. */
    record Progress(long jobs, long done, long total) {
    }

    /** The progress of every running job together (jobs are few: one per bulk generation asked for). */
    Progress running() {
        Record r = db.dsl().fetchOne("select count(*) as jobs, coalesce(sum(done), 0) as done, "
                + "coalesce(sum(total), 0) as total from jobs where status = 'RUNNING'");
        return new Progress(r.get("jobs", Long.class), r.get("done", Long.class), r.get("total", Long.class));
    }

    /** Inserts a RUNNING job with nothing done yet. */
    void insert(DSLContext tx, GenerationJob job) {
        tx.execute("insert into jobs (id, project_id, campaign_id, kind, status, total, done, params, created_at) "
                        + "values (?, ?, ?, ?, 'RUNNING', ?, 0, ?, ?)",
                job.id(), job.projectId(), job.campaignId(), KIND, job.total(),
                Json.text(Map.of("pattern", job.pattern(), "charset", job.charset())), ts(job.createdAt()));
    }

    public Optional<GenerationJob> find(String projectId, String id) {
        return db.dsl().fetchOptional(SELECT + "where j.project_id = ? and j.id = ?", projectId, id).map(JobStore::job);
    }

    /** Codes that RUNNING jobs of the campaign are still to make. */
    public long pending(DSLContext tx, String projectId, String campaignId) {
        return Sql.longValue(tx.fetchValue("select sum(total - done) from jobs where project_id = ? "
                + "and campaign_id = ? and status = 'RUNNING'", projectId, campaignId));
    }

    /** Counts {@code landed} more codes, in the transaction that inserted them. */
    void progress(DSLContext tx, String projectId, String id, long landed) {
        tx.execute("update jobs set done = done + ? where project_id = ? and id = ? and status = 'RUNNING'", landed,
                projectId, id);
    }

    void finish(DSLContext tx, String projectId, String id, Instant now) {
        tx.execute("update jobs set status = 'DONE', finished_at = ? where project_id = ? and id = ? "
                + "and status = 'RUNNING'", ts(now), projectId, id);
    }

    void fail(DSLContext tx, String projectId, String id, String error, Instant now) {
        String message = error.length() > 1000 ? error.substring(0, 1000) : error;
        tx.execute("update jobs set status = 'FAILED', error = ?, finished_at = ? where project_id = ? and id = ? "
                + "and status = 'RUNNING'", message, ts(now), projectId, id);
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
