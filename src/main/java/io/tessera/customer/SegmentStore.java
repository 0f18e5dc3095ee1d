package io.tessera.customer;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import io.tessera.db.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.Record;

/** Segments: dynamic ones hold a CEL condition over the customer, static ones a member list. */
public final class SegmentStore {
    private final Database db;

    public SegmentStore(Database db) {
        this.db = db;
    }

    public record Segment(String name, String condition, Instant createdAt) {
        public boolean dynamic() {
            return condition != null;
        }
    }

    public void insert(DSLContext tx, String projectId, String name, String condition, Instant now) {
        tx.execute("insert into segments (project_id, name, condition, created_at) values (?, ?, ?, ?)",
                projectId, name, condition, ts(now));
        tx.execute("update projects set config_version = config_version + 1 where id = ?", projectId);
    }

    public void addMembers(DSLContext tx, String projectId, String segment, Collection<String> customers) {
        List<Query> q = new ArrayList<>();
        for (String c : customers) {
            q.add(tx.query("insert into segment_members (project_id, segment, customer_id) values (?, ?, ?) "
                    + "on conflict do nothing", projectId, segment, c));
        }
        if (!q.isEmpty()) tx.batch(q).execute();
    }

    public boolean removeMember(DSLContext tx, String projectId, String segment, String customer) {
        return tx.execute("delete from segment_members where project_id = ? and segment = ? and customer_id = ?",
                projectId, segment, customer) == 1;
    }

    public Optional<Segment> find(String projectId, String name) {
        return db.dsl().fetchOptional("select * from segments where project_id = ? and name = ?", projectId, name)
                .map(SegmentStore::row);
    }

    public List<Segment> all(String projectId) {
        return all(db.dsl(), projectId);
    }

    public List<Segment> all(DSLContext tx, String projectId) {
        return tx.fetch("select * from segments where project_id = ? order by name", projectId)
                .map(SegmentStore::row);
    }

    /** A page in name order, after {@code afterName}. */
    public List<Segment> page(String projectId, String afterName, int limit) {
        return db.dsl().fetch("select * from segments where project_id = ? and name > ? order by name limit ?",
                projectId, afterName == null ? "" : afterName, limit).map(SegmentStore::row);
    }

    public List<String> members(String projectId, String segment, String after, int limit) {
        return db.dsl().fetch("select customer_id from segment_members where project_id = ? and segment = ? "
                        + "and customer_id > ? order by customer_id limit ?", projectId, segment, after == null ? "" : after, limit)
                .map(r -> r.get(0, String.class));
    }

    /** Names of the static segments {@code customerId} belongs to. */
    public List<String> staticSegmentsOf(DSLContext tx, String projectId, String customerId) {
        return tx.fetch("select segment from segment_members where project_id = ? and customer_id = ?",
                projectId, customerId).map(r -> r.get(0, String.class));
    }

    public boolean delete(DSLContext tx, String projectId, String name) {
        tx.execute("delete from segment_members where project_id = ? and segment = ?", projectId, name);
        int n = tx.execute("delete from segments where project_id = ? and name = ?", projectId, name);
        tx.execute("update projects set config_version = config_version + 1 where id = ?", projectId);
        return n == 1;
    }

    private static Segment row(Record r) {
        return new Segment(r.get("name", String.class), r.get("condition", String.class), instant(r, "created_at"));
    }
}
