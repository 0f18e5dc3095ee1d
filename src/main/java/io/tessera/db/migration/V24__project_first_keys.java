package io.tessera.db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Per-project tables get primary keys that start with {@code project_id}, so a database sharded by project (Citus,
 * YugabyteDB; docs/scaling.md) keeps each row with its project's rows. The old key stays indexed (not unique): lookups
 * by it alone stay fast, and ids are unique by generation. In Java because the old primary key's name differs between
 * the databases (PostgreSQL: {@code <table>_pkey}; H2: a generated name), so it is read from the JDBC metadata.
 * V28 does the same for the remaining tables.
 */
public final class V24__project_first_keys extends BaseJavaMigration {
    /** Table to its current primary key's columns. */
    private static final Map<String, List<String>> TABLES = new TreeMap<>(Map.of(
            "events", List.of("id"),
            "messages", List.of("id"),
            "automations", List.of("id"),
            "loyalty_buckets", List.of("id"),
            "loyalty_rewards", List.of("id"),
            "automation_counts", List.of("automation_id", "customer_id"),
            "automation_segment_states", List.of("automation_id", "customer_id")));

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (Statement st = c.createStatement()) {
            for (var t : TABLES.entrySet()) {
                String table = t.getKey();
                String old = String.join(", ", t.getValue());
                st.execute("alter table " + table + " drop constraint \"" + primaryKeyName(c, table) + "\"");
                st.execute("alter table " + table + " add constraint " + table + "_pkey primary key (project_id, "
                        + old + ")");
                st.execute("create index " + table + "_by_" + String.join("_", t.getValue()) + " on " + table
                        + " (" + old + ")");
            }
        }
    }

    private static String primaryKeyName(Connection c, String table) throws SQLException {
        try (ResultSet rs = c.getMetaData().getPrimaryKeys(null, c.getSchema(), table)) {
            if (!rs.next()) throw new IllegalStateException(table + " has no primary key");
            return rs.getString("PK_NAME");
        }
    }
}
