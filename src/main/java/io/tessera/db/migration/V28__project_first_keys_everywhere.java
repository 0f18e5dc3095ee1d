package io.tessera.db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The rest of V24: every per-project table's primary key now starts with {@code project_id}, so a database sharded by
 * project (docs/scaling.md) keeps a project's rows, and each checkout's, on one shard. Tables without the column get
 * it from their parent; foreign keys to campaigns, redemptions and webhooks carry the project too, so parent and child
 * are co-located; and unique keys include it (a sharded table enforces only those). The old key stays indexed where
 * code still looks a row up by its id alone. In Java for the same reason as V24: constraint names differ between the
 * databases, so they are read from the JDBC metadata.
 */
public final class V28__project_first_keys_everywhere extends BaseJavaMigration {
    /** A table, its new primary key after project_id, and whether its id alone stays indexed. */
    private record Key(String table, String columns, boolean idIndex) {
    }

    private static final List<Key> KEYS = List.of(
            new Key("campaigns", "id", true),
            new Key("redemptions", "id", true),
            new Key("webhooks", "id", true),
            new Key("jobs", "id", true),
            new Key("webhook_deliveries", "id", true),
            new Key("automation_runs", "id", true),
            new Key("publications", "id", false),
            new Key("redemption_lines", "redemption_id, line_no", false),
            new Key("redemption_counters", "redemption_id, campaign_id, name", false),
            new Key("loyalty_redemption_spends", "redemption_id, bucket_id", false),
            new Key("campaign_limits", "campaign_id", false),
            new Key("counters", "campaign_id, name", false),
            new Key("counter_slots", "campaign_id, name", false),
            new Key("audit_log", "seq", false),
            new Key("loyalty_entries", "seq", false));

    /** A child's reference to a parent's id, made (project_id, x_id) → (project_id, id). */
    private record Reference(String table, String column, String parent) {
    }

    private static final List<Reference> REFERENCES = List.of(
            new Reference("codes", "campaign_id", "campaigns"),
            new Reference("jobs", "campaign_id", "campaigns"),
            new Reference("publications", "campaign_id", "campaigns"),
            new Reference("redemption_lines", "redemption_id", "redemptions"),
            new Reference("redemption_counters", "redemption_id", "redemptions"),
            new Reference("webhook_deliveries", "webhook_id", "webhooks"));

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (Statement st = c.createStatement()) {
            // One pass per table: each row's project is its parent's (looked up by the parent's key).
            addProject(st, "campaign_limits", "campaign_id", "campaigns");
            addProject(st, "counters", "campaign_id", "campaigns");
            addProject(st, "counter_slots", "campaign_id", "campaigns");
            addProject(st, "redemption_counters", "redemption_id", "redemptions");
            addProject(st, "loyalty_redemption_spends", "redemption_id", "redemptions");
            // Foreign keys to the parents' ids go first: a primary key they depend on cannot be dropped.
            for (String parent : List.of("campaigns", "redemptions", "webhooks")) {
                for (String[] fk : referencing(c, parent)) {
                    st.execute("alter table " + fk[0] + " drop constraint \"" + fk[1] + "\"");
                }
            }
            for (Key k : KEYS) {
                st.execute("alter table " + k.table() + " drop constraint \"" + primaryKeyName(c, k.table()) + "\"");
                st.execute("alter table " + k.table() + " add constraint " + k.table() + "_pkey primary key (project_id, "
                        + k.columns() + ")");
                if (k.idIndex()) st.execute("create index " + k.table() + "_by_id on " + k.table() + " (id)");
            }
            for (Reference r : REFERENCES) {
                st.execute("alter table " + r.table() + " add constraint " + r.table() + "_" + r.column() + "_fkey "
                        + "foreign key (project_id, " + r.column() + ") references " + r.parent() + " (project_id, id)");
            }
            // Unique keys other than the primary one lead with their own column (V27) and are made after the new
            // primary key: PostgreSQL's generic plan of a lookup by such a key, on a small table, otherwise took the
            // primary key bounded by the project alone (db.KeyLookupPlanTest). Generated ids stay unique per project.
            for (String table : List.of("audit_log", "loyalty_entries")) {
                st.execute("alter table " + table + " drop constraint \"" + uniqueOnId(c, table) + "\"");
                st.execute("alter table " + table + " add constraint " + table + "_id unique (id, project_id)");
            }
            for (String[] key : List.of(new String[] {"campaigns", "campaigns_name", "name, project_id"},
                    new String[] {"webhooks", "webhooks_name", "name, project_id"},
                    new String[] {"redemptions", "redemptions_idempotency", "idempotency_key, project_id"})) {
                st.execute("alter table " + key[0] + " drop constraint " + key[1]);
                st.execute("alter table " + key[0] + " add constraint " + key[1] + " unique (" + key[2] + ")");
            }
            st.execute("drop index automation_runs_key");
            st.execute("create unique index automation_runs_key on automation_runs (automation_id, customer_id, run_key, "
                    + "project_id)");
            // The new primary key (project_id, seq) is this index.
            st.execute("drop index audit_project");
        }
    }

    private static void addProject(Statement st, String table, String column, String parent) throws SQLException {
        st.execute("alter table " + table + " add column project_id varchar(40)");
        st.execute("update " + table + " set project_id = (select p.project_id from " + parent + " p where p.id = "
                + table + "." + column + ")");
        st.execute("alter table " + table + " alter column project_id set not null");
    }

    /** (table, constraint name) of every foreign key that references {@code parent}. */
    private static List<String[]> referencing(Connection c, String parent) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getExportedKeys(null, c.getSchema(), parent)) {
            while (rs.next()) {
                String[] fk = {rs.getString("FKTABLE_NAME"), rs.getString("FK_NAME")};
                if (out.stream().noneMatch(o -> o[1].equals(fk[1]))) out.add(fk);
            }
        }
        return out;
    }

    private static String primaryKeyName(Connection c, String table) throws SQLException {
        try (ResultSet rs = c.getMetaData().getPrimaryKeys(null, c.getSchema(), table)) {
            if (!rs.next()) throw new IllegalStateException(table + " has no primary key");
            return rs.getString("PK_NAME");
        }
    }

    /** The name of the table's unique constraint on id alone (V4, V9: {@code id ... unique}). */
    private static String uniqueOnId(Connection c, String table) throws SQLException {
        try (var p = c.prepareStatement("select k.constraint_name from information_schema.table_constraints t "
                + "join information_schema.key_column_usage k on k.constraint_schema = t.constraint_schema "
                + "and k.constraint_name = t.constraint_name and k.table_name = t.table_name "
                + "where t.table_schema = ? and t.table_name = ? and t.constraint_type = 'UNIQUE' "
                + "group by k.constraint_name having count(*) = 1 and max(k.column_name) = 'id'")) {
            p.setString(1, c.getSchema());
            p.setString(2, table);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException(table + " has no unique key on id");
                return rs.getString(1);
            }
        }
    }
}
