package io.tessera.redemption;

import io.tessera.core.Failure;
import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import io.tessera.customer.CustomerStore;
import io.tessera.db.Database;
import io.tessera.db.Pipeline;
import io.tessera.db.Sql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** Redemptions: the stored answer, the discounts they applied, what they took from limits, and rollbacks. */
public final class RedemptionStore {
    private final Database db;
    private final CounterStore counters;
    private final CustomerStore customers;
    private final Rollups rollups;

    public RedemptionStore(Database db, CounterStore counters, CustomerStore customers, Rollups rollups) {
        this.db = db;
        this.counters = counters;
        this.customers = customers;
        this.rollups = rollups;
    }

    /**
     * One more redemption of a unique code, if it stays active, within perCode, and owned by nobody else — or, for a
     * {@code referral} code (shared by its owner), owned by anyone but the customer.
     */
    public boolean takeCode(DSLContext tx, String projectId, String code, long perCode, String customerId,
                            boolean referral) {
        return tx.execute("update codes set redemptions = redemptions + 1 where project_id = ? and code = ? "
                + "and active = true and redemptions < ? and (customer_id is null or customer_id "
                + (referral ? "<>" : "=") + " ?)", projectId, code, perCode, customerId == null ? "" : customerId) == 1;
    }

    public record NewRedemption(String id, String projectId, String customerId, String orderId, String idempotencyKey,
                                String requestHash, long discount, long shippingDiscount, long orderValue,
                                String response, Instant createdAt) {
    }

    public record Line(String campaignId, String code, long discount, String day) {
    }

    /**
     * The redemption, its lines and the per-customer counters it takes, in {@code batch}. The redemption goes first: a
     * concurrent request with the same idempotency key waits there, then conflicts.
     */
    public void insert(Pipeline batch, NewRedemption r, List<Line> lines, Collection<CounterStore.Taken> taken) {
        batch.row(REDEMPTIONS, r.id(), r.projectId(), r.customerId(), r.orderId(), r.idempotencyKey(), r.requestHash(),
                "REDEEMED", r.discount(), r.shippingDiscount(), r.orderValue(), r.response(), ts(r.createdAt()));
        int pos = 0;
        for (Line l : lines) {
            batch.row(LINES, r.id(), pos++, r.projectId(), l.campaignId(), l.code(), l.discount(), l.day());
        }
        // What a rollback gives back: the per-customer counters, known now (slot rows are recorded as taken).
        for (CounterStore.Taken t : taken) batch.row(TAKEN, r.projectId(), r.id(), t.campaignId(), t.counter(), t.amount());
    }

    /** A pipeline's redemptions, lines and counters taken go as one multi-row insert each (a group commit's too). */
    private static final Pipeline.Insert REDEMPTIONS = new Pipeline.Insert("redemptions", "id, project_id, customer_id, "
            + "order_id, idempotency_key, request_hash, status, discount, shipping_discount, order_value, response, "
            + "created_at", "", 0);
    private static final Pipeline.Insert LINES = new Pipeline.Insert("redemption_lines", "redemption_id, line_no, "
            + "project_id, campaign_id, code, discount, local_day", "", 0);
    private static final Pipeline.Insert TAKEN = new Pipeline.Insert("redemption_counters", "project_id, redemption_id, "
            + "campaign_id, name, amount", "", 0);

    public record Stored(String id, String customerId, String orderId, String status, String requestHash,
                         String response, long discount, long shippingDiscount, long orderValue, Instant createdAt,
                         Instant rolledBackAt, String rollbackReason, String rolledBackBy) {
    }

    public Optional<Stored> byKey(String projectId, String key) {
        return db.dsl().fetchOptional("select * from redemptions where project_id = ? and idempotency_key = ?",
                projectId, key).map(RedemptionStore::stored);
    }

    public Optional<Stored> find(String projectId, String id) {
        return db.dsl().fetchOptional("select * from redemptions where project_id = ? and id = ?", projectId, id)
                .map(RedemptionStore::stored);
    }

    /**
     * Marks the redemption rolled back, takes it out of its customer's {@code customer.redeemed} and gives back every
     * counter and code it took, once: a second rollback finds
     * the status already changed and returns false.
     */
    public boolean rollback(DSLContext tx, String projectId, String id, String reason, String actor, Instant now) {
        // The rollup lock first, before any row a redemption takes: a rollup of the redemption's day either ran before
        // (and is corrected below) or runs after this commits (and sees it rolled back).
        String closed = rollups.lock(tx, projectId);
        int n = tx.execute("update redemptions set status = 'ROLLED_BACK', rolled_back_at = ?, rollback_reason = ?, "
                + "rolled_back_by = ? where project_id = ? and id = ? and status = 'REDEEMED'", ts(now), reason, actor,
                projectId, id);
        if (n == 0) return false;
        rollups.takeBack(tx, projectId, id, closed);
        // customer.redeemed first, under the customer's row lock, as a redemption takes it before any counter.
        List<String> campaigns = new ArrayList<>();
        String customer = null;
        for (Record r : tx.fetch("select distinct c.name, r.customer_id from redemptions r "
                + "join redemption_lines l on l.project_id = r.project_id and l.redemption_id = r.id "
                + "join campaigns c on c.project_id = l.project_id and c.id = l.campaign_id "
                + "where r.project_id = ? and r.id = ? and r.customer_id is not null", projectId, id)) {
            campaigns.add(r.get("name", String.class));
            customer = r.get("customer_id", String.class);
        }
        if (customer != null) customers.addRedeemed(tx, projectId, customer, campaigns, -1);
        // Then its unique codes, then its counters: the order in which a redemption takes them. Given back the other
        // way round, a rollback holding a campaign-wide counter's slot and a redemption of the same code holding the
        // code's row could each wait for the other (when every slot is held).
        // One by one in code order (Java's, as a redemption sorts its takes; one statement would lock them in its
        // plan's order).
        java.util.TreeSet<String> codes = new java.util.TreeSet<>(tx.fetch("select code from redemption_lines "
                + "where project_id = ? and redemption_id = ? and code is not null", projectId, id)
                .getValues(0, String.class));
        for (String code : codes) {
            tx.execute("update codes set redemptions = redemptions - 1 where project_id = ? and code = ? "
                    + "and is_unique = true and redemptions > 0", projectId, code);
        }
        counters.giveBack(tx, projectId, id);
        return true;
    }

    /** Newest first, optionally filtered by campaign id, customer or code; keyset on (created_at, id). */
    public io.tessera.core.Page<Stored> list(String projectId, String campaignId, String customerId, String code, String orderId, String cursor,
                     int limit) {
        StringBuilder sql = new StringBuilder("select r.* from redemptions r where r.project_id = ?");
        List<Object> args = new ArrayList<>(List.of(projectId));
        if (orderId != null) {
            sql.append(" and r.order_id = ?");
            args.add(orderId);
        }
        if (customerId != null) {
            sql.append(" and r.customer_id = ?");
            args.add(customerId);
        }
        if (campaignId != null || code != null) {
            sql.append(" and exists (select 1 from redemption_lines l where l.project_id = r.project_id "
                    + "and l.redemption_id = r.id");
            if (campaignId != null) {
                sql.append(" and l.campaign_id = ?");
                args.add(campaignId);
            }
            if (code != null) {
                sql.append(" and l.code = ?");
                args.add(code);
            }
            sql.append(")");
        }
        if (cursor != null) {
            String decoded;
            try {
                decoded = new String(java.util.Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw io.tessera.core.Failure.invalid("cursor", "is not a cursor returned by this list");
            }
            int bar = decoded.indexOf('|');
            Instant at;
            try {
                at = Instant.parse(decoded.substring(0, Math.max(0, bar)));
            } catch (java.time.DateTimeException e) {
                throw io.tessera.core.Failure.invalid("cursor", "is not a cursor returned by this list");
            }
            sql.append(" and (r.created_at < ? or (r.created_at = ? and r.id < ?))");
            args.add(ts(at));
            args.add(ts(at));
            args.add(decoded.substring(bar + 1));
        }
        sql.append(" order by r.created_at desc, r.id desc limit ?");
        args.add(limit + 1);
        List<Stored> rows = db.dsl().fetch(sql.toString(), args.toArray()).map(RedemptionStore::stored);
        String next = null;
        if (rows.size() > limit) {
            Stored last = rows.get(limit - 1);
            next = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (last.createdAt() + "|" + last.id()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            rows = rows.subList(0, limit);
        }
        return new io.tessera.core.Page<>(rows, next);
    }

    public record CampaignStats(long redemptions, long rolledBack, long discountGiven, long ordersValue,
                                long codesRedeemed, List<Map<String, Object>> byDay) {
    }

    /** Closed days from the rollup, later days from the lines (see {@link Rollups}). */
    public CampaignStats stats(String projectId, String campaignId) {
        Rollups.CampaignFigures f = rollups.campaign(projectId, campaignId);
        return new CampaignStats(f.redemptions(), f.rolledBack(), f.discount(), f.ordersValue(), f.codesRedeemed(),
                f.byDay());
    }

    /**
     * How many codes the campaign has and how many were published (kept with the codes: {@code code_counts}), and
     * how many of its unique codes were redeemed at least once ({@code codesRedeemed} of its stats).
     */
    public Map<String, Object> codeStats(String projectId, String campaignId, long redeemed) {
        Record r = db.dsl().fetchOne("select coalesce(sum(total), 0) as total, coalesce(sum(published), 0) as published "
                + "from code_counts where project_id = ? and campaign_id = ?", projectId, campaignId);
        return Map.of("total", Sql.longValue(r.get("total")), "published", Sql.longValue(r.get("published")),
                "redeemed", redeemed);
    }

    static Stored stored(Record r) {
        return new Stored(r.get("id", String.class), r.get("customer_id", String.class), r.get("order_id", String.class),
                r.get("status", String.class), r.get("request_hash", String.class), r.get("response", String.class),
                Sql.longValue(r.get("discount")), Sql.longValue(r.get("shipping_discount")),
                Sql.longValue(r.get("order_value")), instant(r, "created_at"), instant(r, "rolled_back_at"),
                r.get("rollback_reason", String.class), r.get("rolled_back_by", String.class));
    }
}
