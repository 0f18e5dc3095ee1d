package io.tessera.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.code.CodeStore;
import io.tessera.db.Database;
import io.tessera.db.Pipeline;
import io.tessera.testing.PgRoundTrips;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestDatabases;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/**
 * The customer's read before a checkout ({@link CustomerStore#find(Pipeline, String, String)}): whole whatever the
 * size of their texts, and on PostgreSQL in the same round trip as the checkout's other reads.
 */
class CustomerReadTest extends ServerPerDatabase {
    @Test
    void aCustomerIsReadWholeWhetherTheirTextsFitTheSliceOrNot() {
        String shortId = unique("c-short-");
        String longId = unique("c-long-");
        String note = "x".repeat(CustomerStore.SLICE * 2);
        put(shortId, Map.of("tier", "gold"));
        put(longId, Map.of("tier", "silver", "note", note));
        Database db = server.app().database();
        String projectId = projectOf(shortId);
        CustomerStore store = new CustomerStore(db);

        Pipeline reads = new Pipeline(db);
        Supplier<CustomerRow> small = store.find(reads, projectId, shortId);
        Supplier<CustomerRow> large = store.find(reads, projectId, longId);
        Supplier<CustomerRow> none = store.find(reads, projectId, "c-nobody");
        reads.run(db.dsl());

        assertThat(small.get().attributes()).isEqualTo(Map.of("tier", "gold"));
        assertThat(large.get().attributes()).isEqualTo(Map.of("tier", "silver", "note", note));
        assertThat(large.get()).isEqualTo(store.find(projectId, longId).orElseThrow());
        assertThat(small.get()).isEqualTo(store.find(projectId, shortId).orElseThrow());
        assertThat(none.get()).isNull();
    }

    @Test
    void onPostgresqlTheCustomerAndTheCodesAreReadInOneRoundTrip() throws Exception {
        assumeTrue(database.equals(TestDatabases.POSTGRES), "round trips to a PostgreSQL server");
        String id = unique("c-trip-");
        put(id, Map.of("tier", "gold"));
        String projectId = projectOf(id);
        TestDatabases.Target target = server.database();
        try (PgRoundTrips trips = new PgRoundTrips(target.url());
             Database db = new Database(trips.url(target.url()), target.user(), target.password(), 1)) {
            CustomerStore store = new CustomerStore(db);
            // The text columns' slices: one round trip. A plain read of the same row: the driver ends the round trip
            // before the next statement (its rows' size is unbounded), so two.
            assertThat(roundTrips(db, trips, reads -> store.find(reads, projectId, id))).isEqualTo(1);
            assertThat(roundTrips(db, trips, reads -> reads.read("select * from customers where project_id = ? "
                    + "and id = ?", rs -> rs.getString("attributes"), projectId, id))).isEqualTo(2);
        }
    }

    /** Round trips of a pipeline of {@code first} then a read of codes, once the driver prepared and described them. */
    private static long roundTrips(Database db, PgRoundTrips trips, java.util.function.Consumer<Pipeline> first) {
        long[] counted = new long[1];
        db.dsl().connection(c -> {
            for (int i = 0; i < 8; i++) { // past the driver's prepareThreshold (5): named, described statements
                Pipeline reads = new Pipeline(db);
                first.accept(reads);
                CodeStore.find(reads, "prj-none", List.of("CODE-A"));
                long before = trips.count();
                reads.run(DSL.using(c));
                counted[0] = trips.count() - before;
            }
        });
        return counted[0];
    }

    private void put(String id, Map<String, Object> attributes) {
        assertThat(api().put("/v1/customers/" + id, Map.of("attributes", attributes)).status()).isEqualTo(200);
    }

    /** An id no earlier run left in a reused test database ({@link #projectOf} finds it by id alone). */
    private static String unique(String prefix) {
        return prefix + java.util.UUID.randomUUID();
    }

    private static String projectOf(String customerId) {
        return server.app().database().dsl().fetchValue("select project_id from customers where id = ?", customerId)
                .toString();
    }
}
