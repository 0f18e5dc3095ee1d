package io.tessera.db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A redemption's stored answer (a few kB of JSON, kept for idempotent replays) is compressed with lz4 rather than
 * PostgreSQL's default pglz: profiling the database under redemption load found pglz compressing it among the top
 * costs of a redemption; lz4 compresses several times faster. Only where the server was built with lz4 (it says so in
 * {@code default_toast_compression}'s values); H2 has no such setting. Rows already stored keep their compression.
 */
public final class V29__lz4_responses extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        if (!c.getMetaData().getDatabaseProductName().equals("PostgreSQL")) return;
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select 1 from pg_settings where name = 'default_toast_compression' "
                    + "and 'lz4' = any(enumvals)")) {
                if (!rs.next()) return;
            }
            st.execute("alter table redemptions alter column response set compression lz4");
        }
    }
}
