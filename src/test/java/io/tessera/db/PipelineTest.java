package io.tessera.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.core.Ids;
import io.tessera.testing.ServerPerDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the redemption relies on: statements run in order, each seeing the ones before it, and fail as they would alone. */
class PipelineTest extends ServerPerDatabase {
    private final String project = Ids.next("prj");
    private final String campaign = Ids.next("cmp");

    @Test
    void runsInOrderGivingEachWriteItsCountAndEachQueryItsRows() {
        Database db = server.app().database();
        List<Long> seen = new ArrayList<>();
        Pipeline batch = new Pipeline(db);
        db.transaction(tx -> {
            int first = batch.add("insert into counters (project_id, campaign_id, name, used) values (?, ?, ?, ?) "
                    + "on conflict do nothing", project, campaign, "c", 2L);
            int again = batch.add("insert into counters (project_id, campaign_id, name, used) values (?, ?, ?, ?) "
                    + "on conflict do nothing", project, campaign, "c", 5L);
            int guarded = batch.add("update counters set used = used + ? where campaign_id = ? and name = ? and used + ? <= ?",
                    1L, campaign, "c", 1L, 3L);
            int refused = batch.add("update counters set used = used + ? where campaign_id = ? and name = ? and used + ? <= ?",
                    1L, campaign, "c", 1L, 3L);
            batch.query("select used from counters where campaign_id = ?", rs -> {
                while (rs.next()) seen.add(rs.getLong(1));
            }, campaign);
            batch.run(tx);
            assertThat(List.of(batch.count(first), batch.count(again), batch.count(guarded), batch.count(refused)))
                    .containsExactly(1, 0, 1, 0);
            return null;
        });
        assertThat(seen).containsExactly(3L);
    }

    @Test
    void theFirstFailureThrowsAsItWouldAloneAndTheTransactionLeavesNothing() {
        Database db = server.app().database();
        assertThatThrownBy(() -> db.transaction(tx -> {
            Pipeline batch = new Pipeline(db);
            batch.add("insert into counters (project_id, campaign_id, name, used) values (?, ?, ?, ?)", project, campaign,
                    "d", 1L);
            batch.add("insert into counters (project_id, campaign_id, name, used) values (?, ?, ?, ?)", project, campaign,
                    "d", 1L);
            batch.run(tx);
            return null;
        })).satisfies(e -> assertThat(Database.isUniqueViolation(e)).isTrue());
        assertThat(db.dsl().fetch("select * from counters where campaign_id = ?", campaign).size())
                .isZero();
    }
}
