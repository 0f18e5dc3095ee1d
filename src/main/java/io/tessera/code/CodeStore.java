package io.tessera.code;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import io.tessera.db.Database;
import io.tessera.db.Sql;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.impl.DSL;

/** The codes table: every code of a project, unique across the project by its primary key. */
public final class CodeStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int CHUNK = 500;
    private final Database db;

    public CodeStore(Database db) {
        this.db = db;
    }

    public void insertUniversal(DSLContext tx, String projectId, String campaignId, String code, Instant now) {
        tx.execute("insert into codes (project_id, code, campaign_id, is_unique, active, created_at) "
                + "values (?, ?, ?, false, true, ?)", projectId, code, campaignId, ts(now));
    }

    /**
     * Generates and inserts {@code count} new unique codes within {@code tx}; codes that already exist in the project
     * are replaced by fresh ones before inserting. Returns the codes made.
     */
    public List<String> generate(DSLContext tx, String projectId, String campaignId, CodePattern pattern, long count,
                                 Instant now) {
        List<String> made = new ArrayList<>((int) Math.min(count, 1_000_000));
        long left = count;
        while (left > 0) {
            int n = (int) Math.min(left, CHUNK);
            Set<String> batch = new LinkedHashSet<>(n * 2);
            while (batch.size() < n) batch.add(pattern.generate(RANDOM));
            batch.removeAll(existing(tx, projectId, batch));
            List<Query> inserts = new ArrayList<>(batch.size());
            for (String code : batch) {
                inserts.add(tx.query("insert into codes (project_id, code, campaign_id, is_unique, active, created_at) "
                        + "values (?, ?, ?, true, true, ?)", projectId, code, campaignId, ts(now)));
            }
            tx.batch(inserts).execute();
            made.addAll(batch);
            left -= batch.size();
        }
        return made;
    }

    private static Set<String> existing(DSLContext tx, String projectId, Collection<String> codes) {
        Set<String> found = new java.util.HashSet<>();
        tx.select(DSL.field(DSL.name("code"), String.class))
                .from(DSL.table(DSL.name("codes")))
                .where(DSL.field(DSL.name("project_id")).eq(projectId))
                .and(DSL.field(DSL.name("code"), String.class).in(codes))
                .fetch()
                .forEach(r -> found.add(r.value1()));
        return found;
    }

    /** The listed codes that exist in the project, by code. */
    public Map<String, CodeRow> find(String projectId, Collection<String> codes) {
        Map<String, CodeRow> out = new HashMap<>();
        if (codes.isEmpty()) return out;
        db.dsl().select(DSL.asterisk()).from(DSL.table(DSL.name("codes")))
                .where(DSL.field(DSL.name("project_id")).eq(projectId))
                .and(DSL.field(DSL.name("code"), String.class).in(codes))
                .fetch()
                .forEach(r -> out.put(r.get("code", String.class), row(r)));
        return out;
    }

    public CodeRow find(String projectId, String code) {
        return find(projectId, List.of(code)).get(code);
    }

    public static CodeRow row(Record r) {
        return new CodeRow(r.get("code", String.class), r.get("campaign_id", String.class),
                r.get("is_unique", Boolean.class), r.get("active", Boolean.class), r.get("customer_id", String.class),
                Sql.longValue(r.get("redemptions")), instant(r, "published_at"), instant(r, "created_at"));
    }
}
