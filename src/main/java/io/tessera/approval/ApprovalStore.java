package io.tessera.approval;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tessera.audit.Diff;
import io.tessera.core.Actor;
import io.tessera.core.Json;
import io.tessera.db.Database;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** The {@code approvals} table. */
final class ApprovalStore {
    private static final TypeReference<List<Diff.Change>> CHANGES = new TypeReference<>() {
    };
    private final Database db;

    ApprovalStore(Database db) {
        this.db = db;
    }

    void insert(DSLContext tx, String projectId, Approval a) {
        tx.execute("insert into approvals (id, project_id, kind, target, payload, diff, requested_by, requested_by_name, "
                        + "requested_at, status) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", a.id(), projectId, a.kind(),
                a.target(), Json.text(a.payload()), Json.text(a.diff()), a.requestedBy(), a.requestedByName(),
                ts(a.requestedAt()), a.status().name());
    }

    Optional<Approval> lock(DSLContext tx, String projectId, String id) {
        return tx.fetchOptional("select * from approvals where project_id = ? and id = ? for update", projectId, id)
                .map(ApprovalStore::approval);
    }

    Optional<Approval> find(DSLContext tx, String projectId, String id) {
        return tx.fetchOptional("select * from approvals where project_id = ? and id = ?", projectId, id)
                .map(ApprovalStore::approval);
    }

    void decide(DSLContext tx, String projectId, String id, Approval.Status status, Actor by, Instant at, String error) {
        tx.execute("update approvals set status = ?, decided_by = ?, decided_by_name = ?, decided_at = ?, error = ? "
                + "where project_id = ? and id = ?", status.name(), by.id(), by.name(), ts(at), error, projectId, id);
    }

    /** Pending ones oldest first (the order they were asked in). */
    List<Approval> pending(String projectId, int limit) {
        return db.dsl().fetch("select * from approvals where project_id = ? and status = 'PENDING' "
                + "order by requested_at, id limit ?", projectId, limit).map(ApprovalStore::approval);
    }

    /** Decided ones, latest first. */
    List<Approval> decided(String projectId, int limit) {
        return db.dsl().fetch("select * from approvals where project_id = ? and status <> 'PENDING' "
                + "order by decided_at desc, id limit ?", projectId, limit).map(ApprovalStore::approval);
    }

    private static Approval approval(Record r) {
        try {
            return new Approval(r.get("id", String.class), r.get("kind", String.class), r.get("target", String.class),
                    Json.parse(r.get("payload", String.class)),
                    Json.MAPPER.readValue(r.get("diff", String.class), CHANGES), r.get("requested_by", String.class),
                    r.get("requested_by_name", String.class), instant(r, "requested_at"),
                    r.get("decided_by", String.class), r.get("decided_by_name", String.class),
                    instant(r, "decided_at"),
                    Approval.Status.valueOf(r.get("status", String.class)), r.get("error", String.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("approval " + r.get("id") + " has an unreadable diff", e);
        }
    }
}
