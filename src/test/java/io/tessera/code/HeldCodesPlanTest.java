package io.tessera.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A qualification and a wallet read the customer's codes with their campaigns' names ({@link CodeStore#HELD_BY}):
 * the customer's codes first, by their index, and a campaign only for a code found, under a custom plan and the
 * generic one alike. Written as a join, that held only while the tables' statistics were fresh (on this test database
 * the join passes too): in the load fixture, not yet analyzed, the planner started from the project's campaigns and
 * probed the codes once per campaign, on every qualification. The scalar subquery makes it the statement's form.
 */
class HeldCodesPlanTest extends ServerPerDatabase {
    @Test
    void aCustomerWithoutCodesReadsNoCampaignWhateverThePlan() throws Exception {
        assumeTrue(database.equals(TestDatabases.POSTGRES), "a PostgreSQL planner question");
        String prefix = "held-" + Long.toString(System.nanoTime(), 36);
        for (int i = 0; i < 30; i++) {
            assertThat(api().post("/v1/campaigns", Map.of("name", prefix + "-" + i, "type", "AUTO",
                    "condition", "order.subtotal >= " + (1000 + i),
                    "discount", Map.of("type", "AMOUNT", "amount", 10 + i))).status()).isEqualTo(201);
        }
        var db = server.app().database();
        String projectId = db.dsl().fetchValue("select project_id from campaigns where name = ?", prefix + "-0")
                .toString();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
                st.execute("set plan_cache_mode = " + mode);
                List<String> plan = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("explain (analyze, costs off, timing off) "
                        + CodeStore.HELD_BY)) {
                    ps.setString(1, projectId);
                    ps.setString(2, "nobody-" + prefix);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) plan.add(rs.getString(1));
                    }
                }
                assertThat(plan).as(mode + ": " + String.join("\n", plan))
                        .filteredOn(l -> l.contains(" on campaigns")).allMatch(l -> l.contains("never executed"));
                assertThat(plan).as(mode).anyMatch(l -> l.contains("codes_customer"));
            }
            st.execute("reset plan_cache_mode");
        }
    }
}
