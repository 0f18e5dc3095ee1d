package io.tessera.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.core.Json;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.Arrays;
import java.util.Comparator;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

/**
 * Migration V18 summarises what was stored before it (paid orders, standing redemptions, customer events) onto the
 * customer rows, on both databases: a database migrated to the version before is seeded with SQL, then migrated to
 * V18.
 */
class CustomerDataBackfillTest extends ServerPerDatabase {
    private static final MigrationVersion V18 = MigrationVersion.fromVersion("18");

    /** A private database (H2) or schema (PostgreSQL) at {@code version}. */
    private record Scratch(String url, String user, String password, String schema) {
        Flyway flyway(MigrationVersion target) {
            var c = Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").target(target);
            return (schema == null ? c : c.schemas(schema).defaultSchema(schema)).load();
        }

        /** The last migration before V18 (other features add theirs in between). */
        MigrationVersion beforeV18() {
            return Arrays.stream(flyway(MigrationVersion.LATEST).info().all()).map(MigrationInfo::getVersion)
                    .filter(v -> v.compareTo(V18) < 0).max(Comparator.naturalOrder()).orElseThrow();
        }

        Connection connect() throws SQLException {
            Connection c = DriverManager.getConnection(url, user, password);
            if (schema != null) c.setSchema(schema);
            return c;
        }
    }

    private Scratch scratch() {
        TestDatabases.Target t = server.database();
        if (TestDatabases.H2.equals(t.kind())) {
            return new Scratch("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                    + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "", null);
        }
        return new Scratch(t.url(), t.user(), t.password(), "backfill_" + UUID.randomUUID().toString().replace("-", ""));
    }

    @Test
    void storedOrdersRedemptionsAndEventsAreSummarisedOnTheirCustomers() throws SQLException {
        Scratch db = scratch();
        try {
            migratedWithData(db);
        } finally {
            if (db.schema() != null) {
                try (Connection c = db.connect(); Statement s = c.createStatement()) {
                    s.execute("drop schema if exists " + db.schema() + " cascade");
                }
            }
        }
    }

    private static void migratedWithData(Scratch db) throws SQLException {
        db.flyway(db.beforeV18()).migrate();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("insert into projects (id, name, timezone, max_discounts_per_order, created_at) "
                    + "values ('p', 'p', 'UTC', 5, timestamp with time zone '2031-01-01 00:00:00+00')");
            for (String id : new String[]{"c-1", "c-2"}) {
                s.execute("insert into customers (project_id, id, attributes, consents, created_at, updated_at) values "
                        + "('p', '" + id + "', '{}', '{}', timestamp with time zone '2031-01-01 00:00:00+00', "
                        + "timestamp with time zone '2031-01-01 00:00:00+00')");
            }
            s.execute("insert into campaigns (id, project_id, name, type, active, seq, definition, created_at, updated_at) "
                    + "values ('cmp-1', 'p', 'blackfriday', 'CODES', true, 1, '{}', timestamp with time zone "
                    + "'2031-01-01 00:00:00+00', timestamp with time zone '2031-01-01 00:00:00+00')");
            order(s, "o-1", "PAID", "2031-01-05 10:00:00");
            order(s, "o-2", "PAID", "2031-01-07 10:00:00");
            order(s, "o-3", "REFUNDED", "2031-01-09 10:00:00");
            redemption(s, "red-1", "REDEEMED");
            redemption(s, "red-2", "REDEEMED");
            redemption(s, "red-3", "ROLLED_BACK");
            event(s, "e-1", 1, "car_viewed", "{\"model\": \"golf\"}", "2031-01-02 10:00:00");
            event(s, "e-2", 2, "car_viewed", "{\"model\": \"civic\"}", "2031-01-03 10:00:00.123456");
            event(s, "e-3", 3, "car_viewed", "{\"model\": \"polo\"}", "2031-01-01 10:00:00"); // told late
        }
        db.flyway(V18).migrate();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select id, last_order_at, redeemed, events from customers order by id")) {
            r.next();
            assertThat(r.getObject("last_order_at", java.time.OffsetDateTime.class).toInstant())
                    .isEqualTo("2031-01-07T10:00:00Z");
            assertThat(Json.parse(r.getString("redeemed"))).isEqualTo(Json.parse("{\"blackfriday\": 2}"));
            var events = CustomerData.events(r.getString("events"));
            assertThat(events.get("car_viewed").count()).isEqualTo(3);
            assertThat(events.get("car_viewed").lastAt()).isEqualTo("2031-01-03T10:00:00.123456Z");
            assertThat(events.get("car_viewed").last()).containsEntry("model", "civic");
            r.next();
            assertThat(r.getObject("last_order_at")).isNull();
            assertThat(r.getString("redeemed")).isEqualTo("{}");
            assertThat(r.getString("events")).isEqualTo("{}");
        }
    }

    private static void order(Statement s, String id, String status, String at) throws SQLException {
        s.execute("insert into orders (project_id, id, customer_id, status, currency, subtotal, shipping, discount, "
                + "shipping_discount, total, items, created_at, updated_at) values ('p', '" + id + "', 'c-1', '" + status
                + "', 'USD', 100, 0, 0, 0, 100, '[]', timestamp with time zone '" + at + "+00', "
                + "timestamp with time zone '2031-01-10 00:00:00+00')");
    }

    private static void redemption(Statement s, String id, String status) throws SQLException {
        s.execute("insert into redemptions (id, project_id, customer_id, request_hash, status, discount, "
                + "shipping_discount, order_value, response, created_at) values ('" + id + "', 'p', 'c-1', 'h', '"
                + status + "', 10, 0, 100, '{}', timestamp with time zone '2031-01-05 00:00:00+00')");
        s.execute("insert into redemption_lines (redemption_id, line_no, project_id, campaign_id, code, discount, "
                + "local_day) values ('" + id + "', 0, 'p', 'cmp-1', 'BF', 10, '2031-01-05')");
    }

    private static void event(Statement s, String id, long seq, String type, String properties, String at)
            throws SQLException {
        s.execute("insert into customer_events (project_id, id, seq, customer_id, type, properties, created_at) values "
                + "('p', '" + id + "', " + seq + ", 'c-1', '" + type + "', '" + properties + "', "
                + "timestamp with time zone '" + at + "+00')");
    }
}
