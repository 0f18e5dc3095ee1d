package io.tessera.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL the lookups by a redemption line's code and by a customer's birthday can still use their partial
 * indexes (V33): each compares the column with a value, which the planner must see implies it is not null. Each plan
 * is taken in a transaction that drops the table's other indexes and sequential scans, then rolls back: the partial
 * index is then the plan, or nothing serves and the planner falls back to the scan it was told to avoid.
 */
class PartialIndexesTest extends ServerPerDatabase {
    @Test
    void theIndexesArePartial() {
        assumeTrue(database.equals(TestDatabases.POSTGRES), "H2 has no partial indexes");
        assertThat(server.app().database().dsl().fetch("select indexdef from pg_indexes where indexname in "
                + "('redemption_lines_code', 'customers_birthday')").getValues(0, String.class))
                .hasSize(2).allMatch(d -> d.contains(" WHERE "));
    }

    @Test
    void aLookupByCodeUsesThePartialIndex() {
        assumeTrue(database.equals(TestDatabases.POSTGRES), "H2 has no partial indexes");
        assertThat(planAlone("redemption_lines", "redemption_lines_code", "select count(*) from redemption_lines l "
                + "join redemptions r on r.project_id = l.project_id and r.id = l.redemption_id "
                + "where l.project_id = 'p' and l.code = 'SUMMER' and r.status = 'REDEEMED'"))
                .contains("using redemption_lines_code on redemption_lines");
    }

    @Test
    void theBirthdaySweepsLookupUsesThePartialIndex() {
        assumeTrue(database.equals(TestDatabases.POSTGRES), "H2 has no partial indexes");
        assertThat(planAlone("customers", "customers_birthday", "select id from customers where project_id = 'p' "
                + "and birthday_md in ('0229', '0301') and id > '' order by id limit 100"))
                .contains("using customers_birthday on customers");
    }

    /** The plan of {@code sql} with {@code index} the only index of {@code table} and sequential scans off. */
    private String planAlone(String table, String index, String sql) {
        Database db = server.app().database();
        try {
            db.transaction(tx -> {
                tx.execute("set local enable_seqscan = off");
                for (String other : tx.fetch("select indexname from pg_indexes where tablename = ? and indexname <> ?",
                        table, index).getValues(0, String.class)) {
                    if (other.endsWith("_pkey")) tx.execute("alter table " + table + " drop constraint " + other + " cascade");
                    else tx.execute("drop index " + other);
                }
                throw new Plan(String.join("\n", tx.fetch("explain " + sql).getValues(0, String.class)));
            });
        } catch (Plan p) {
            return p.getMessage(); // rolled back: the indexes are all there again
        }
        throw new AssertionError("unreachable");
    }

    private static final class Plan extends RuntimeException {
        Plan(String plan) {
            super(plan, null, false, false);
        }
    }
}
