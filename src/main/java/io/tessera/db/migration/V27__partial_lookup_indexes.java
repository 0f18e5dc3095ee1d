package io.tessera.db.migration;

import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * PostgreSQL: the indexes by birthday and by a code's owner hold only the rows that have one. Whole, each began with
 * {@code project_id} like the primary key and was the smaller of the two: a generic plan made while the table was
 * small (a server's prepared lookup by id, planned once and kept per connection until the next ANALYZE) chose it for
 * {@code project_id = $1 and id = $2} and read every row of the project to find one. A partial index serves only the
 * queries that name its column's value (which implies it is not null), never a lookup by id. H2 has no partial indexes
 * and plans every statement anew; nothing changes there.
 */
public final class V27__partial_lookup_indexes extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        if (!context.getConnection().getMetaData().getDatabaseProductName().equals("PostgreSQL")) return;
        try (Statement st = context.getConnection().createStatement()) {
            st.execute("drop index customers_birthday");
            st.execute("create index customers_birthday on customers (project_id, birthday_md) where birthday_md is not null");
            st.execute("drop index codes_customer");
            st.execute("create index codes_customer on codes (project_id, customer_id) where customer_id is not null");
        }
    }
}
