package io.tessera.campaign;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.db.Database;
import io.tessera.db.Sql;
import io.tessera.core.Json;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** Campaign rows. Writes also bump the project's config version so every node reloads its active campaigns. */
public final class CampaignStore {
    private final Database db;

    public CampaignStore(Database db) {
        this.db = db;
    }

    public long nextSequence() {
        return Sql.longValue(db.dsl().fetchValue("select nextval('campaign_seq')"));
    }

    public void insert(DSLContext tx, String projectId, String id, String name, String type, boolean active, long seq,
                       ObjectNode definition, Instant now) {
        tx.execute("insert into campaigns (id, project_id, name, type, active, archived, seq, definition, created_at, updated_at) "
                + "values (?, ?, ?, ?, ?, false, ?, ?, ?, ?)", id, projectId, name, type, active, seq,
                Json.text(definition), ts(now), ts(now));
        bump(tx, projectId);
    }

    public void update(DSLContext tx, String projectId, String id, boolean active, boolean archived,
                       ObjectNode definition, Instant now) {
        tx.execute("update campaigns set active = ?, archived = ?, definition = ?, updated_at = ? "
                + "where project_id = ? and id = ?", active, archived, Json.text(definition), ts(now), projectId, id);
        bump(tx, projectId);
    }

    static void bump(DSLContext tx, String projectId) {
        tx.execute("update projects set config_version = config_version + 1 where id = ?", projectId);
    }

    public Optional<StoredCampaign> find(String projectId, String name) {
        return find(db.dsl(), projectId, name);
    }

    public Optional<StoredCampaign> find(DSLContext dsl, String projectId, String name) {
        return dsl.fetchOptional("select * from campaigns where project_id = ? and name = ?", projectId, name)
                .map(CampaignStore::row);
    }

    /** Locks the row for the rest of {@code tx} (concurrent PATCHes apply one after another). */
    public Optional<StoredCampaign> findForUpdate(DSLContext tx, String projectId, String name) {
        return tx.fetchOptional("select * from campaigns where project_id = ? and name = ? for update", projectId, name)
                .map(CampaignStore::row);
    }

    /** A page in creation order, after {@code afterSeq}. */
    public List<StoredCampaign> list(String projectId, long afterSeq, int limit, Boolean archived) {
        String filter = archived == null ? "" : " and archived = " + archived;
        return db.dsl().fetch("select * from campaigns where project_id = ? and seq > ?" + filter
                + " order by seq limit ?", projectId, afterSeq, limit).map(CampaignStore::row);
    }

    public List<StoredCampaign> all(String projectId) {
        return all(db.dsl(), projectId);
    }

    public List<StoredCampaign> all(DSLContext tx, String projectId) {
        return tx.fetch("select * from campaigns where project_id = ? order by seq",
                projectId).map(CampaignStore::row);
    }

    static StoredCampaign row(Record r) {
        return new StoredCampaign(r.get("id", String.class), r.get("name", String.class), Sql.longValue(r.get("seq")),
                r.get("archived", Boolean.class), (ObjectNode) Json.parse(r.get("definition", String.class)),
                instant(r, "created_at"), instant(r, "updated_at"));
    }
}
