package io.tessera.loyalty;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import io.tessera.db.Database;
import io.tessera.db.Sql;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** The rewards catalogue of loyalty programs: SQL only. */
final class RewardStore {
    private static final String SELECT = "select r.*, c.name as campaign_name from loyalty_rewards r "
            + "join campaigns c on c.project_id = r.project_id and c.id = r.campaign_id ";
    private final Database db;

    RewardStore(Database db) {
        this.db = db;
    }

    /** A stored reward, with the name of the campaign it grants a code of. */
    record Row(String id, String name, long cost, String campaignId, String campaignName, Long stock, boolean archived,
               Instant createdAt, Instant updatedAt) {
    }

    Optional<Row> find(DSLContext dsl, String projectId, String programId, String name) {
        return dsl.fetchOptional(SELECT + "where r.project_id = ? and r.program_id = ? and r.name = ?", projectId,
                programId, name).map(RewardStore::row);
    }

    Optional<Row> findForUpdate(DSLContext tx, String projectId, String programId, String name) {
        // Locks the reward's row alone (no join in a "for update"): patches and archives of one reward queue here.
        if (tx.fetchOptional("select id from loyalty_rewards where project_id = ? and program_id = ? and name = ? "
                + "for update", projectId, programId, name).isEmpty()) return Optional.empty();
        return find(tx, projectId, programId, name);
    }

    /** Rewards in name order after {@code afterName}; {@code archived} null lists both. */
    List<Row> list(String projectId, String programId, Boolean archived, String afterName, int limit) {
        String filter = archived == null ? "" : " and r.archived = " + archived;
        return db.dsl().fetch(SELECT + "where r.project_id = ? and r.program_id = ? and r.name > ?" + filter
                + " order by r.name limit ?", projectId, programId, afterName, limit).map(RewardStore::row);
    }

    void insert(DSLContext tx, String projectId, String programId, String id, String name, long cost,
                String campaignId, Long stock, Instant now) {
        tx.execute("insert into loyalty_rewards (id, project_id, program_id, name, cost, campaign_id, stock, archived, "
                + "created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, false, ?, ?)", id, projectId, programId, name,
                cost, campaignId, stock, ts(now), ts(now));
    }

    void update(DSLContext tx, String projectId, String id, long cost, String campaignId, Long stock, boolean archived,
                Instant now) {
        tx.execute("update loyalty_rewards set cost = ?, campaign_id = ?, stock = ?, archived = ?, updated_at = ? "
                + "where project_id = ? and id = ?", cost, campaignId, stock, archived, ts(now), projectId, id);
    }

    /** Takes one from the reward's stock; false when none is left (guarded: never below zero). */
    boolean takeStock(DSLContext tx, String projectId, String id) {
        return tx.execute("update loyalty_rewards set stock = stock - 1 where project_id = ? and id = ? and stock > 0",
                projectId, id) == 1;
    }

    /**
     * Locks the (existing) customer's row, before the member's: the order an order's points take (the customer, then
     * the member), so a claim and an order of one customer never deadlock.
     */
    void lockCustomer(DSLContext tx, String projectId, String customerId) {
        tx.execute("select id from customers where project_id = ? and id = ? for update", projectId, customerId);
    }

    private static Row row(Record r) {
        Object stock = r.get("stock");
        return new Row(r.get("id", String.class), r.get("name", String.class), Sql.longValue(r.get("cost")),
                r.get("campaign_id", String.class), r.get("campaign_name", String.class),
                stock == null ? null : Sql.longValue(stock), r.get("archived", Boolean.class),
                instant(r, "created_at"), instant(r, "updated_at"));
    }
}
