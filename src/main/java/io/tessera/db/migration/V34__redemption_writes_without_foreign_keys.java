package io.tessera.db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The rows every redemption writes carry no foreign key (docs/decisions.md, "No foreign keys on a redemption's
 * rows"): a redemption's lines and the counters it took referenced the redemption, and the redemption its project.
 * Each such row's check is a lookup of the parent that also locks it ({@code for key share}), a lock PostgreSQL writes
 * to its log: six per redemption of the load fixture, 30 % of a grouped redemption's database CPU under pgbench
 * ({@code bench/redemption-sql.sh}). The one code path that writes those rows writes them in the redemption's own
 * transaction, and nothing deletes a redemption or a project. Constraint names differ between the databases, so they
 * are read from the JDBC metadata.
 */
public final class V34__redemption_writes_without_foreign_keys extends BaseJavaMigration {
    /** Each table a redemption writes → the parent its foreign key referenced. */
    private static final Map<String, String> DROPPED = Map.of(
            "redemption_lines", "redemptions",
            "redemption_counters", "redemptions",
            "redemptions", "projects");

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (Statement st = c.createStatement()) {
            for (var e : DROPPED.entrySet()) {
                for (String fk : foreignKeys(c, e.getKey(), e.getValue())) {
                    st.execute("alter table " + e.getKey() + " drop constraint \"" + fk + "\"");
                }
            }
        }
    }

    /** The names of {@code table}'s foreign keys to {@code parent}. */
    private static List<String> foreignKeys(Connection c, String table, String parent) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getImportedKeys(null, c.getSchema(), table)) {
            while (rs.next()) {
                String name = rs.getString("FK_NAME");
                if (rs.getString("PKTABLE_NAME").equalsIgnoreCase(parent) && !out.contains(name)) out.add(name);
            }
        }
        return out;
    }
}
