package io.tessera.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.core.Ids;
import io.tessera.testing.ServerPerDatabase;
import org.junit.jupiter.api.Test;

/** {@link Database#transaction} and {@link Database#savepoint}, which the services' guarantees stand on. */
class TransactionTest extends ServerPerDatabase {
    private final String scope = Ids.next("tx");

    @Test
    void whatAWorkWroteIsCommittedWhenItReturnsAndUndoneWhenItThrows() {
        Database db = server.app().database();
        int kept = db.transaction(tx -> insert(tx, scope + "-kept"));
        assertThat(kept).isEqualTo(1);
        IllegalStateException thrown = new IllegalStateException("refused");
        assertThatThrownBy(() -> db.transaction(tx -> {
            insert(tx, scope + "-undone");
            throw thrown;
        })).isSameAs(thrown);
        assertThat(scopes()).containsExactly(scope + "-kept");
        // The connection went back to the pool in auto-commit mode: a write outside any transaction stays.
        db.dsl().execute("insert into guess_windows (scope, failures, expires_at) values (?, '', 0)", scope + "-auto");
        assertThat(scopes()).containsExactly(scope + "-auto", scope + "-kept");
    }

    @Test
    void aSavepointUndoesOnlyItsOwnWritesAndLeavesTheTransactionUsable() {
        Database db = server.app().database();
        db.transaction(tx -> {
            insert(tx, scope + "-a");
            assertThatThrownBy(() -> Database.savepoint(tx, inner -> {
                insert(inner, scope + "-b");
                // A failing statement: on PostgreSQL it would spoil the whole transaction without the savepoint.
                return insert(inner, scope + "-a");
            })).satisfies(e -> assertThat(Database.isUniqueViolation(e)).isTrue());
            int c = Database.savepoint(tx, inner -> insert(inner, scope + "-c"));
            assertThat(c).isEqualTo(1);
            return insert(tx, scope + "-d");
        });
        assertThat(scopes()).containsExactly(scope + "-a", scope + "-c", scope + "-d");
    }

    @Test
    void underTheTestsAThreadHoldingATransactionCannotTakeASecondConnection() {
        // The guard the tests run with (tessera.db.strict): such a read can wait for good on a full pool.
        Database db = server.app().database();
        assertThatThrownBy(() -> db.transaction(tx -> {
            insert(tx, scope + "-held");
            return db.dsl().fetchValue("select 1");
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("second connection");
        assertThatThrownBy(() -> db.transaction(tx -> db.transaction(inner -> insert(inner, scope + "-nested"))))
                .isInstanceOf(IllegalStateException.class);
        // Nothing was written, and the thread, holding nothing now, takes connections again.
        assertThat(scopes()).isEmpty();
        int after = db.transaction(tx -> insert(tx, scope + "-after"));
        assertThat(after).isEqualTo(1);
    }

    private static int insert(org.jooq.DSLContext tx, String scope) {
        return tx.execute("insert into guess_windows (scope, failures, expires_at) values (?, '', 0)", scope);
    }

    private java.util.List<String> scopes() {
        return server.app().database().dsl().fetch("select scope from guess_windows where scope like ? order by scope",
                scope + "-%").getValues(0, String.class);
    }
}
