package io.tessera.code;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import io.tessera.db.Database;
import io.tessera.db.Pipeline;
import io.tessera.db.Sql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

/** The codes table: every code of a project, unique across the project by its primary key. */
public final class CodeStore {
    private final Database db;
    private final BulkCodes bulk;

    public CodeStore(Database db) {
        this.db = db;
        this.bulk = new BulkCodes(db);
    }

    public void insertUniversal(DSLContext tx, String projectId, String campaignId, String code, Instant now) {
        tx.execute("insert into codes (project_id, code, campaign_id, is_unique, active, created_at) "
                + "values (?, ?, ?, false, true, ?)", projectId, code, campaignId, ts(now));
        CodeCounts.add(tx, projectId, campaignId, 1, 0);
    }

    /** The listed codes that exist in the project, by code. */
    public Map<String, CodeRow> find(String projectId, Collection<String> codes) {
        if (codes.isEmpty()) return new HashMap<>();
        Pipeline reads = new Pipeline(db);
        Pipeline.Read<CodeRow> found = find(reads, projectId, codes);
        reads.run();
        return byCode(found.rows());
    }

    /**
     * Adds the read of the listed codes (not empty) to {@code reads}; {@link #byCode} keys them once it ran. One lookup
     * by the whole key per code, not {@code code in (…)}: on a table whose statistics were stale or never gathered,
     * PostgreSQL planned the list as a scan of the project's codes filtered by code (1,004 rows read for 3 codes in
     * the load fixture; a project of a million codes would read them all). A lookup by the whole key has no such plan
     * ({@code KeyLookupPlanTest}, {@code CodeListPlanTest}).
     */
    public static Pipeline.Read<CodeRow> find(Pipeline reads, String projectId, Collection<String> codes) {
        Set<String> distinct = new LinkedHashSet<>(codes);
        List<Object> args = new ArrayList<>(distinct.size() * 2);
        for (String code : distinct) {
            args.add(projectId);
            args.add(code);
        }
        return reads.read(findSql(distinct.size()), rs -> row(Sql.Columns.of(rs)), args.toArray());
    }

    /** The read of {@code n} codes: {@code n} lookups by (project_id, code), one after another. */
    static String findSql(int n) {
        return String.join(" union all ", Collections.nCopies(n, "select code, campaign_id, is_unique, "
                + "active, customer_id, redemptions, published_at, created_at from codes where project_id = ? and code = ?"));
    }

    public static Map<String, CodeRow> byCode(List<CodeRow> rows) {
        Map<String, CodeRow> out = new HashMap<>();
        for (CodeRow r : rows) out.put(r.code(), r);
        return out;
    }

    public CodeRow find(String projectId, String code) {
        return find(projectId, List.of(code)).get(code);
    }

    /** A code as the API shows it: with its campaign's name, and for a universal code its standing redemptions. */
    public record Described(CodeRow row, String campaign) {
    }

    public Optional<Described> describe(String projectId, String code) {
        return describe(db.dsl(), projectId, code);
    }

    /** The code with its campaign's name, read within {@code tx} (e.g. locked by an update before). */
    public Optional<Described> describe(DSLContext tx, String projectId, String code) {
        return tx.fetchOptional("select c.*, m.name as campaign_name from codes c "
                        + "join campaigns m on m.project_id = c.project_id and m.id = c.campaign_id "
                        + "where c.project_id = ? and c.code = ?", projectId, code)
                .map(r -> described(tx, r, r.get("campaign_name", String.class)));
    }

    /** Unique codes count their redemptions in their row; a universal code's are counted from the ledger. */
    private Described described(DSLContext tx, Record r, String campaign) {
        CodeRow row = row(r);
        if (!row.unique()) {
            long standing = Sql.longValue(tx.fetchValue("select count(*) from redemption_lines l "
                    + "join redemptions r on r.project_id = l.project_id "
                    + "and r.id = l.redemption_id where l.project_id = ? and l.code = ? "
                    + "and r.status = 'REDEEMED'", r.get("project_id", String.class), row.code()));
            row = new CodeRow(row.code(), row.campaignId(), false, row.active(), row.customerId(), standing,
                    row.publishedAt(), row.createdAt());
        }
        return new Described(row, campaign);
    }

    /** Every code published to the customer, oldest publication first, with campaign names. */
    /**
     * A customer's codes with their campaign's name, by a key lookup per code found rather than a join: a join let the
     * planner start from the project's campaigns and probe the customer's codes once per campaign (105 probes per
     * qualification in the load fixture, before its tables were analyzed). A code's campaign always exists (foreign
     * key). {@code HeldCodesPlanTest} checks a customer without codes reads no campaign.
     */
    static final String HELD_BY = "select c.*, (select m.name from campaigns m where m.project_id = c.project_id "
            + "and m.id = c.campaign_id) as campaign_name from codes c where c.project_id = ? and c.customer_id = ? "
            + "order by c.published_at, c.code";

    public List<Described> heldBy(String projectId, String customerId) {
        Pipeline reads = new Pipeline(db);
        Pipeline.Read<Described> held = heldBy(reads, projectId, customerId);
        reads.run();
        return held.rows();
    }

    /** Adds the read of the customer's codes ({@link #heldBy(String, String)}) to {@code reads}. */
    public static Pipeline.Read<Described> heldBy(Pipeline reads, String projectId, String customerId) {
        return reads.read(HELD_BY, rs -> {
            Sql.Columns c = Sql.Columns.of(rs);
            return new Described(row(c), c.string("campaign_name"));
        }, projectId, customerId);
    }

    /** The universal codes of the project's unarchived campaigns, in campaign creation order. */
    public List<CodeRow> universal(DSLContext tx, String projectId) {
        return tx.fetch("select c.* from codes c "
                + "join campaigns m on m.project_id = c.project_id and m.id = c.campaign_id "
                + "where c.project_id = ? and c.is_unique = false and m.archived = false order by m.seq", projectId)
                .map(CodeStore::row);
    }

    public boolean setActive(DSLContext tx, String projectId, String code, boolean active) {
        return tx.execute("update codes set active = ? where project_id = ? and code = ?", active, projectId,
                code) == 1;
    }

    /** How many codes the campaign has. */
    public long count(DSLContext tx, String campaignId) {
        return Sql.longValue(tx.fetchValue("select count(*) from codes where campaign_id = ?", campaignId));
    }

    /**
     * Which codes of a campaign to list: {@code status} unused (never published nor redeemed), published (held by a
     * customer) or redeemed (at least once); {@code prefix} (upper-case) and {@code customer}; null = any.
     */
    public record Filter(String status, String prefix, String customer) {
        public static final List<String> STATUSES = List.of("unused", "published", "redeemed");
    }

    /** A page in code order after {@code after} (exclusive; null = from the start), {@code limit} rows at most. */
    public List<Described> list(String campaignId, String campaignName, Filter filter, String after, int limit) {
        List<Object> args = new ArrayList<>();
        String sql = select(campaignId, filter, after, args) + " order by code limit ?";
        args.add(limit);
        List<Described> out = new ArrayList<>(limit);
        for (Record r : db.dsl().fetch(sql, args.toArray())) out.add(described(db.dsl(), r, campaignName));
        return out;
    }

    /**
     * Streams every matching code in code order to {@code sink} through a database cursor (rows fetched a page at a
     * time), so an export of millions of codes holds only one page in memory.
     */
    public void stream(String campaignId, String campaignName, Filter filter, Consumer<Described> sink) {
        List<Object> args = new ArrayList<>();
        String sql = select(campaignId, filter, null, args) + " order by code";
        // PostgreSQL honours the fetch size only inside a transaction (otherwise it reads the whole result first).
        db.transaction(tx -> {
            try (Cursor<Record> cursor = tx.resultQuery(sql, args.toArray()).fetchSize(2_000).fetchLazy()) {
                for (Record r : cursor) sink.accept(r.get("is_unique", Boolean.class) ? new Described(row(r), campaignName)
                        : described(tx, r, campaignName));
            }
            return null;
        });
    }

    private static String select(String campaignId, Filter filter, String after, List<Object> args) {
        StringBuilder sql = new StringBuilder("select * from codes where campaign_id = ?");
        args.add(campaignId);
        if (filter.status() != null) {
            sql.append(switch (filter.status()) {
                case "unused" -> " and customer_id is null and redemptions = 0";
                case "published" -> " and customer_id is not null";
                case "redeemed" -> " and redemptions > 0";
                default -> throw new IllegalArgumentException(filter.status());
            });
        }
        if (filter.customer() != null) {
            sql.append(" and customer_id = ?");
            args.add(filter.customer());
        }
        if (filter.prefix() != null && !filter.prefix().isEmpty()) {
            sql.append(" and code like ? escape '!'");
            args.add(filter.prefix().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        if (after != null) {
            sql.append(" and code > ?");
            args.add(after);
        }
        return sql.toString();
    }

    /**
     * Inserts imported codes as unique codes of the campaign; returns, per code, whether it was new (false = the
     * project already had it, possibly in another campaign).
     */
    public boolean[] importCodes(DSLContext tx, String projectId, String campaignId, List<String> codes, Instant now) {
        return bulk.insertEach(tx, projectId, campaignId, codes, now);
    }

    public static CodeRow row(Record r) {
        return row(Sql.Columns.of(r));
    }

    private static CodeRow row(Sql.Columns c) {
        return new CodeRow(c.string("code"), c.string("campaign_id"), c.bool("is_unique"), c.bool("active"),
                c.string("customer_id"), c.longValue("redemptions"), c.instant("published_at"), c.instant("created_at"));
    }
}
