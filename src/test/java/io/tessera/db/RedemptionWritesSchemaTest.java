package io.tessera.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.ServerPerDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rows every redemption writes carry no foreign key (V34): each key's check looked the parent up and locked it, a
 * third of a grouped redemption's database CPU. Fails when one comes back, on either database.
 */
class RedemptionWritesSchemaTest extends ServerPerDatabase {
    @Test
    void aRedemptionsRowsReferenceNothing() throws SQLException {
        for (String table : List.of("redemptions", "redemption_lines", "redemption_counters", "customers", "counters")) {
            assertThat(foreignKeys(table)).as(table).isEmpty();
        }
    }

    @Test
    void otherTablesKeepTheirs() throws SQLException {
        // The migration drops only those three (and the lookup above finds keys where there are some).
        assertThat(foreignKeys("webhook_deliveries")).contains("webhooks");
    }

    /** The tables {@code table}'s foreign keys reference. */
    private List<String> foreignKeys(String table) throws SQLException {
        List<String> parents = new ArrayList<>();
        try (Connection c = server.connect(); ResultSet rs = c.getMetaData().getImportedKeys(null, c.getSchema(), table)) {
            while (rs.next()) parents.add(rs.getString("PKTABLE_NAME").toLowerCase());
        }
        return parents;
    }
}
