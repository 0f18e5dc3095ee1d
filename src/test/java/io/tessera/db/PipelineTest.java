package io.tessera.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.core.Ids;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.StatementLog;
import io.tessera.testing.TestDatabases;
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

    private static final Pipeline.Insert COUNTERS = new Pipeline.Insert("counters", "project_id, campaign_id, name, used",
            "on conflict do nothing", 3);
    private static final Pipeline.Insert SLOTS = new Pipeline.Insert("counter_slots", "project_id, campaign_id, name, "
            + "used, cap", "", 0);

    @Test
    void rowsOfOneInsertGoAsOneStatementWhereTheFirstWasAddedAndEachKnowsWhetherItWasInserted() throws Exception {
        Database db = server.app().database();
        db.dsl().execute("insert into counters (project_id, campaign_id, name, used) values (?, ?, 'old', 7)", project,
                campaign);
        List<Long> seen = new ArrayList<>();
        List<String> statements;
        try (StatementLog log = StatementLog.on(db)) {
            db.transaction(tx -> {
                Pipeline batch = new Pipeline(db);
                int before = batch.add("update counters set used = used + 1 where project_id = ? and name = 'old'", project);
                int a = batch.row(COUNTERS, project, campaign, "a", 1L);
                int old = batch.row(COUNTERS, project, campaign, "old", 1L);
                // Added after a row of the insert, run after the whole insert: it sees every row.
                batch.query("select sum(used) from counters where project_id = ?", rs -> {
                    while (rs.next()) seen.add(rs.getLong(1));
                }, project);
                int b = batch.row(COUNTERS, project, campaign, "b", 2L);
                int again = batch.row(COUNTERS, project, campaign, "a", 5L);
                batch.row(SLOTS, project, campaign, "s#0", 0L, 5L);
                batch.row(SLOTS, project, campaign, "s#1", 0L, 5L);
                batch.run(tx);
                assertThat(batch.count(before)).isEqualTo(1);
                assertThat(List.of(batch.inserted(a), batch.inserted(old), batch.inserted(b), batch.inserted(again)))
                        .as("a key given twice is inserted by its first row").containsExactly(true, false, true, false);
                assertThatThrownBy(() -> batch.inserted(99)).isInstanceOf(IndexOutOfBoundsException.class);
                return null;
            });
            statements = log.statements();
        }
        assertThat(seen).containsExactly(8L + 1 + 2);
        assertThat(db.dsl().fetch("select name, used from counters where project_id = ? order by name", project)
                .map(r -> r.get(0) + "=" + r.get(1))).containsExactly("a=1", "b=2", "old=8");
        assertThat(db.dsl().fetchValue("select count(*) from counter_slots where project_id = ?", project))
                .hasToString("2");
        boolean postgres = database.equals(TestDatabases.POSTGRES);
        assertThat(statements).filteredOn(s -> s.startsWith("insert into counters"))
                .as("one statement on PostgreSQL; H2 has no RETURNING here: one per row").hasSize(postgres ? 1 : 4);
        assertThat(statements).filteredOn(s -> s.startsWith("insert into counter_slots")).hasSize(1);
    }

    @Test
    void aRowOfTheWrongWidthOrAskedAboutWithoutAKeyIsRefused() {
        Database db = server.app().database();
        Pipeline batch = new Pipeline(db);
        assertThatThrownBy(() -> batch.row(COUNTERS, project, campaign, "x")).isInstanceOf(IllegalArgumentException.class);
        int row = batch.row(SLOTS, project, campaign, "x#0", 0L, 1L);
        assertThatThrownBy(() -> batch.inserted(row)).isInstanceOf(IllegalStateException.class);
    }
}
