package io.tessera.loyalty;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import io.tessera.core.Ids;
import io.tessera.db.Database;
import io.tessera.db.Sql;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** Loyalty members, buckets and ledger entries: SQL only. */
final class LoyaltyStore {
    private final Database db;

    LoyaltyStore(Database db) {
        this.db = db;
    }

    /** A member row: who, and the tier at their last change. */
    record Member(String customerId, String tier, Instant createdAt, Instant updatedAt) {
    }

    /** Makes sure the member row exists, then locks it for the rest of {@code tx}: the member's writes queue here. */
    void lockMember(DSLContext tx, String projectId, String programId, String customerId, Instant now) {
        tx.execute("insert into loyalty_members (project_id, program_id, customer_id, tier, created_at, updated_at) "
                + "values (?, ?, ?, null, ?, ?) on conflict do nothing", projectId, programId, customerId, ts(now), ts(now));
        tx.execute("select customer_id from loyalty_members where project_id = ? and program_id = ? and customer_id = ? "
                + "for update", projectId, programId, customerId);
    }

    /** Locks the member row if it exists; false for a customer who never had points (nothing is written). */
    boolean lockExisting(DSLContext tx, String projectId, String programId, String customerId) {
        return tx.fetchOptional("select customer_id from loyalty_members where project_id = ? and program_id = ? "
                + "and customer_id = ? for update", projectId, programId, customerId).isPresent();
    }

    Optional<Member> member(DSLContext dsl, String projectId, String programId, String customerId) {
        return dsl.fetchOptional("select * from loyalty_members where project_id = ? and program_id = ? and customer_id = ?",
                projectId, programId, customerId).map(LoyaltyStore::member);
    }

    void setTier(DSLContext tx, String projectId, String programId, String customerId, String tier, Instant now) {
        tx.execute("update loyalty_members set tier = ?, updated_at = ? where project_id = ? and program_id = ? "
                + "and customer_id = ?", tier, ts(now), projectId, programId, customerId);
    }

    /** Members in customer-id order after {@code afterId}, optionally only those of one tier. */
    List<Member> members(String projectId, String programId, String tier, String afterId, int limit) {
        String filter = tier == null ? "" : " and tier = ?";
        Object[] args = tier == null ? new Object[]{projectId, programId, afterId, limit}
                : new Object[]{projectId, programId, afterId, tier, limit};
        return db.dsl().fetch("select * from loyalty_members where project_id = ? and program_id = ? and customer_id > ?"
                + filter + " order by customer_id limit ?", args).map(LoyaltyStore::member);
    }

    /**
     * The member's buckets that still hold points (available or pending, not dropped): the only ones a balance, an
     * expiry, pending points or a spend can involve. Used-up buckets are left in the database (a member with a long
     * history has far more of those) and count only in {@link #earned}.
     */
    List<Bucket> heldBuckets(DSLContext dsl, String projectId, String programId, String customerId) {
        return dsl.fetch("select * from loyalty_buckets where project_id = ? and program_id = ? and customer_id = ? "
                + "and remaining > 0 and dropped = false", projectId, programId, customerId).map(LoyaltyStore::bucket);
    }

    /**
     * What the member earned by {@code at}, net of reversals, over all non-dropped buckets (used up or not): in all,
     * and in the 365 days before {@code at}. Summed by the database, so a read does not carry every bucket ever earned.
     */
    Account.Earned earned(DSLContext dsl, String projectId, String programId, String customerId, Instant at) {
        Record r = dsl.fetchOne("select coalesce(sum(earned - reversed), 0) as lifetime, "
                + "coalesce(sum(case when available_at > ? then earned - reversed else 0 end), 0) as recent "
                + "from loyalty_buckets where project_id = ? and program_id = ? and customer_id = ? and dropped = false "
                + "and available_at <= ?", ts(at.minus(Account.YEAR)), projectId, programId, customerId, ts(at));
        return new Account.Earned(Sql.longValue(r.get("lifetime")), Sql.longValue(r.get("recent")));
    }

    /** The buckets an order earned in a program, with the customer they went to. */
    List<OrderBucket> orderBuckets(DSLContext tx, String projectId, String programId, String orderId) {
        return tx.fetch("select * from loyalty_buckets where project_id = ? and program_id = ? and order_id = ? "
                + "and dropped = false", projectId, programId, orderId)
                .map(r -> new OrderBucket(r.get("customer_id", String.class), bucket(r)));
    }

    record OrderBucket(String customerId, Bucket bucket) {
    }

    Optional<BucketOwner> bucket(DSLContext tx, String projectId, String bucketId) {
        return tx.fetchOptional("select * from loyalty_buckets where project_id = ? and id = ?", projectId, bucketId)
                .map(r -> new BucketOwner(r.get("project_id", String.class), r.get("program_id", String.class),
                        r.get("customer_id", String.class), bucket(r)));
    }

    record BucketOwner(String projectId, String programId, String customerId, Bucket bucket) {
    }

    void insertBucket(DSLContext tx, String projectId, String programId, String customerId, Bucket b, Instant now) {
        tx.execute("insert into loyalty_buckets (id, project_id, program_id, customer_id, points, remaining, earned, "
                        + "reversed, available_at, expires_at, order_id, dropped, expired, created_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, false, false, ?)", b.id(), projectId, programId,
                customerId, b.points(), b.remaining(), b.earned(), ts(b.availableAt()),
                b.expiresAt() == null ? null : ts(b.expiresAt()), b.orderId(), ts(now));
    }

    /**
     * Takes {@code points} from a bucket. Guarded: the member lock already orders spends, but a bucket can never go
     * below zero whatever a read saw; a take that no longer fits fails the whole transaction (the caller may retry).
     */
    void take(DSLContext tx, String projectId, String bucketId, long points) {
        if (tx.execute("update loyalty_buckets set remaining = remaining - ? where project_id = ? and id = ? "
                + "and remaining >= ?", points, projectId, bucketId, points) != 1) {
            throw io.tessera.core.Failure.busy("points of this member changed meanwhile; retry the request");
        }
    }

    void reverse(DSLContext tx, String projectId, String bucketId, long earned) {
        tx.execute("update loyalty_buckets set reversed = reversed + ? where project_id = ? and id = ?", earned,
                projectId, bucketId);
    }

    void drop(DSLContext tx, String projectId, String bucketId) {
        tx.execute("update loyalty_buckets set dropped = true where project_id = ? and id = ?", projectId, bucketId);
    }

    void markExpired(DSLContext tx, String projectId, String bucketId) {
        tx.execute("update loyalty_buckets set expired = true where project_id = ? and id = ?", projectId, bucketId);
    }

    /** What a redemption took from each bucket, for its rollback to give back. */
    void recordRedemptionSpend(DSLContext tx, String projectId, String redemptionId, String bucketId, long points) {
        tx.execute("insert into loyalty_redemption_spends (project_id, redemption_id, bucket_id, points) "
                + "values (?, ?, ?, ?)", projectId, redemptionId, bucketId, points);
    }

    /** One bucket a redemption took points from, with the member it belongs to. */
    record RedemptionSpend(String programId, String customerId, String bucketId, long points) {
    }

    /** What the redemption took, per bucket (none when it paid no points), in the project {@code projectId}. */
    List<RedemptionSpend> redemptionSpends(DSLContext tx, String projectId, String redemptionId) {
        return tx.fetch("select b.program_id, b.customer_id, s.bucket_id, s.points from loyalty_redemption_spends s "
                        + "join loyalty_buckets b on b.project_id = s.project_id and b.id = s.bucket_id "
                        + "where s.project_id = ? and s.redemption_id = ? order by s.bucket_id", projectId, redemptionId)
                .map(r -> new RedemptionSpend(r.get("program_id", String.class), r.get("customer_id", String.class),
                        r.get("bucket_id", String.class), Sql.longValue(r.get("points"))));
    }

    /** Gives points back to a bucket a spend took them from. */
    void giveBack(DSLContext tx, String projectId, String bucketId, long points) {
        tx.execute("update loyalty_buckets set remaining = remaining + ? where project_id = ? and id = ?", points,
                projectId, bucketId);
    }

    /** How many times the member earned by {@code rule} since {@code from}: the per-rule limit. */
    long earnings(DSLContext tx, String projectId, String programId, String customerId, String rule, Instant from) {
        return Sql.longValue(tx.fetchValue("select count(*) from loyalty_entries where project_id = ? and program_id = ? "
                + "and customer_id = ? and rule = ? and type = 'EARN' and at >= ?", projectId, programId, customerId,
                rule, ts(from)));
    }

    Entry append(DSLContext tx, String projectId, String programId, String customerId, Entry.Draft d) {
        long seq = Sql.longValue(tx.fetchValue("select nextval('loyalty_entry_seq')"));
        String id = Ids.next("ltx");
        tx.execute("insert into loyalty_entries (seq, id, project_id, program_id, customer_id, type, points, "
                        + "balance_after, rule, order_id, counterparty, reward, reason, bucket_id, available_at, at, "
                        + "redemption_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", seq, id, projectId,
                programId, customerId, d.type().name(), d.points(), d.balanceAfter(), d.rule(), d.order(),
                d.counterparty(), d.reward(), d.reason(), d.bucket(),
                d.availableAt() == null ? null : ts(d.availableAt()), ts(d.at()), d.redemption());
        return new Entry(id, seq, d.type(), d.points(), d.balanceAfter(), d.rule(), d.order(), d.counterparty(),
                d.reward(), d.reason(), d.availableAt(), d.at(), d.redemption());
    }

    /** The member's ledger, newest first, before sequence {@code beforeSeq}. */
    List<Entry> entries(String projectId, String programId, String customerId, long beforeSeq, int limit) {
        return db.dsl().fetch("select * from loyalty_entries where project_id = ? and program_id = ? and customer_id = ? "
                        + "and seq < ? order by seq desc limit ?", projectId, programId, customerId, beforeSeq, limit)
                .map(r -> new Entry(r.get("id", String.class), Sql.longValue(r.get("seq")),
                        Entry.Type.valueOf(r.get("type", String.class)), Sql.longValue(r.get("points")),
                        Sql.longValue(r.get("balance_after")), r.get("rule", String.class),
                        r.get("order_id", String.class), r.get("counterparty", String.class),
                        r.get("reward", String.class), r.get("reason", String.class), instant(r, "available_at"),
                        instant(r, "at"), r.get("redemption_id", String.class)));
    }

    private static Member member(Record r) {
        return new Member(r.get("customer_id", String.class), r.get("tier", String.class), instant(r, "created_at"),
                instant(r, "updated_at"));
    }

    private static Bucket bucket(Record r) {
        return new Bucket(r.get("id", String.class), Sql.longValue(r.get("points")), Sql.longValue(r.get("remaining")),
                Sql.longValue(r.get("earned")), Sql.longValue(r.get("reversed")), instant(r, "available_at"),
                instant(r, "expires_at"), r.get("order_id", String.class), r.get("dropped", Boolean.class),
                r.get("expired", Boolean.class));
    }
}
