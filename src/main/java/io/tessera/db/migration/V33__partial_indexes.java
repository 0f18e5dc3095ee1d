package io.tessera.db.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Two indexes hold only the rows their lookups can find (PostgreSQL; H2 has no partial indexes): a redemption's lines
 * by code (most lines are automatic promotions', without a code: four of the load fixture's five) and customers by
 * birthday (most customers have none). Every such lookup compares the column with a value, which implies it is not
 * null, so the planner uses the partial index as before; a redemption then writes 4 index entries fewer, and a new
 * customer one. pgbench with the server's statements (`bench/redemption-sql.sh`): +3–5 % redemptions per second.
 * The indexes are rebuilt in the migration's transaction, holding the tables' write lock meanwhile (seconds for
 * millions of rows).
 */
public final class V33__partial_indexes extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        if (!c.getMetaData().getDatabaseProductName().equals("PostgreSQL")) return;
        try (Statement st = c.createStatement()) {
            st.execute("drop index redemption_lines_code");
            st.execute("create index redemption_lines_code on redemption_lines (project_id, code) where code is not null");
            st.execute("drop index customers_birthday");
            st.execute("create index customers_birthday on customers (birthday_md, project_id) "
                    + "where birthday_md is not null");
        }
    }
}
