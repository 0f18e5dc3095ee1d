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
 * A checkout or a qualification reads the codes it names by their whole key, each one ({@link CodeStore#findSql}),
 * under a custom plan and the generic one alike: written as {@code code in (…)}, the load fixture's database (never
 * analyzed) planned three codes as a scan of the project's 1,004 codes filtered by code. That plan needs stale
 * statistics, which this test database may not have, so this holds the statement's form: no code row is read but
 * the ones named.
 */
class CodeListPlanTest extends ServerPerDatabase {
    @Test
    void severalCodesAreReadByTheirKeysWhateverThePlan() throws Exception {
        assumeTrue(database.equals(TestDatabases.POSTGRES), "a PostgreSQL planner question");
        String name = "list-" + Long.toString(System.nanoTime(), 36);
        assertThat(api().post("/v1/campaigns", Map.of("name", name, "type", "CODES",
                "codes", Map.of("mode", "UNIVERSAL", "code", name.toUpperCase()),
                "discount", Map.of("type", "AMOUNT", "amount", 10))).status()).isEqualTo(201);
        var db = server.app().database();
        var campaign = db.dsl().fetchOne("select project_id, id from campaigns where name = ?", name);
        String projectId = campaign.get(0, String.class);
        db.dsl().execute("insert into codes (project_id, code, campaign_id, is_unique, active, created_at) "
                + "select ?, ? || '-' || g, ?, true, true, now() from generate_series(1, 1000) g", projectId,
                name.toUpperCase(), campaign.get(1, String.class));
        List<String> named = List.of(name.toUpperCase() + "-7", name.toUpperCase() + "-500", "NO-SUCH-CODE");
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
                st.execute("set plan_cache_mode = " + mode);
                List<String> plan = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("explain (analyze, costs off, timing off) "
                        + CodeStore.findSql(named.size()))) {
                    for (int i = 0; i < named.size(); i++) {
                        ps.setString(2 * i + 1, projectId);
                        ps.setString(2 * i + 2, named.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) plan.add(rs.getString(1));
                    }
                }
                String text = mode + ":\n" + String.join("\n", plan);
                assertThat(plan).as(text).noneMatch(l -> l.contains("Rows Removed by Filter"));
                assertThat(plan).as(text).filteredOn(l -> l.strip().startsWith("Index Cond:")).hasSize(named.size())
                        .allMatch(l -> l.contains("code"));
            }
            st.execute("reset plan_cache_mode");
        }
    }
}
