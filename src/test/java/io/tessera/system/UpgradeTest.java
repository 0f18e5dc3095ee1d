package io.tessera.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Keys;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestDatabases;
import io.tessera.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade from the previous release: a database made by its schema (Flyway stopped at {@link #PREVIOUS}) holds what
 * that release wrote (a project and its key, a universal and a unique-code campaign, a published code, a customer, a
 * paid order, a redemption with its counters, a loyalty program with points, an event); the server then starts on it
 * as in production (migrations at start) and everything is still there and usable through the API. On an H2 file and
 * on a PostgreSQL database of the test's own.
 *
 * <p>There are no release tags yet, so "previous release" is the schema before the last migrations: V17, which the
 * upgrade takes through V18 (a backfill from stored rows onto the customers), V19 (a new column of a populated table),
 * V20 (new tables) and V28 (every table keyed by project_id first, the column added from parents where missing), and
 * whatever comes after.
 */
class UpgradeTest extends ServerPerDatabase {
    private static final MigrationVersion PREVIOUS = MigrationVersion.fromVersion("17");
    private static final String OLD_KEY = "tsk_" + "0123456789abcdef".repeat(3);
    private static final String AT = "timestamp with time zone '2026-06-01 10:00:00+00'";

    @TempDir
    Path dir;

    @Test
    void aDatabaseOfThePreviousReleaseIsMigratedAtStartAndItsDataStaysUsable() throws SQLException {
        if (TestDatabases.H2.equals(database)) {
            upgrade(new TestDatabases.Target(database, "jdbc:h2:file:" + dir.resolve("tessera")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000", "sa", ""));
            return;
        }
        TestDatabases.Target shared = server.database();
        String name = "tessera_upgrade_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String base = shared.url().substring(0, shared.url().lastIndexOf('/') + 1);
        try (Connection admin = DriverManager.getConnection(base + "postgres", shared.user(), shared.password());
             Statement s = admin.createStatement()) {
            s.execute("create database " + name);
            try {
                upgrade(new TestDatabases.Target(database, base + name, shared.user(), shared.password()));
            } finally {
                s.execute("drop database if exists " + name + " with (force)");
            }
        }
    }

    private void upgrade(TestDatabases.Target db) throws SQLException {
        Flyway.configure().dataSource(db.url(), db.user(), db.password()).locations("classpath:db/migration")
                .target(PREVIOUS).load().migrate();
        try (Connection c = db.connect()) {
            writtenByThePreviousRelease(c);
        }
        try (TestServer upgraded = TestServer.start(database, c -> c.with(db.settings()))) {
            try (Connection c = db.connect()) {
                assertThat(applied(c)).isEqualTo(latest(db));
                assertThat(sendSlots(c)).isEqualTo(List.of("message:email 2026-06-01T10:00:00Z",
                        "webhook:whk_old 2026-06-01T10:00:00Z"));
                keptWithTheirProject(c);
            }
            stillUsable(upgraded.client(OLD_KEY));
        }
    }

    /** Rows as the previous release's server wrote them (same ids, formats and sequences). */
    private static void writtenByThePreviousRelease(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("insert into projects (id, name, currency, timezone, max_discounts_per_order, config_version, "
                    + "created_at, pseudonym_key) values ('prj_old', 'acme', 'USD', 'Europe/Berlin', 5, 3, " + AT
                    + ", 'psk_" + "ab".repeat(24) + "')");
            s.execute("insert into api_keys (id, project_id, name, scopes, key_hash, created_at) values "
                    + "('key_old', 'prj_old', 'default', 'admin', '" + Keys.hash(OLD_KEY) + "', " + AT + ")");
            campaign(s, "cmp_bf", "bf", "CODES", "{\"name\":\"bf\",\"type\":\"CODES\",\"codes\":{\"mode\":\"UNIVERSAL\","
                    + "\"code\":\"BLACKFRIDAY\"},\"discount\":{\"type\":\"PERCENT\",\"percent\":10},"
                    + "\"limits\":{\"perCustomer\":1},\"active\":true}");
            campaign(s, "cmp_welcome", "welcome", "CODES", "{\"name\":\"welcome\",\"type\":\"CODES\",\"codes\":{\"mode\":"
                    + "\"UNIQUE\",\"pattern\":\"WL-####\",\"charset\":\"ABCDEFGHJKLMNPQRSTUVWXYZ23456789\",\"count\":2},"
                    + "\"discount\":{\"type\":\"AMOUNT\",\"amount\":500},\"active\":true}");
            campaign(s, "cmp_stars", "stars", "LOYALTY", "{\"name\":\"stars\",\"type\":\"LOYALTY\",\"loyalty\":{\"earning\":"
                    + "[{\"name\":\"purchase\",\"on\":\"order_paid\",\"points\":\"order.total / 100\"}],"
                    + "\"pointValue\":{\"points\":100,\"amount\":100}},\"active\":true}");
            s.execute("insert into codes (project_id, code, campaign_id, is_unique, created_at) values "
                    + "('prj_old', 'BLACKFRIDAY', 'cmp_bf', false, " + AT + "), "
                    + "('prj_old', 'WL-K7QA', 'cmp_welcome', true, " + AT + ")");
            s.execute("insert into codes (project_id, code, campaign_id, is_unique, customer_id, published_at, created_at) "
                    + "values ('prj_old', 'WL-F9TE', 'cmp_welcome', true, 'c-1', " + AT + ", " + AT + ")");
            s.execute("insert into publications (id, project_id, campaign_id, code, customer_id, created_at) values "
                    + "('pub_old', 'prj_old', 'cmp_welcome', 'WL-F9TE', 'c-1', " + AT + ")");
            s.execute("insert into customers (project_id, id, attributes, consents, orders_count, orders_total, "
                    + "created_at, updated_at) values ('prj_old', 'c-1', '{\"country\":\"DE\"}', '{\"email\":true}', 1, "
                    + "20000, " + AT + ", " + AT + ")");
            s.execute("insert into orders (project_id, id, customer_id, status, currency, subtotal, shipping, discount, "
                    + "shipping_discount, total, items, created_at, updated_at) values ('prj_old', 'o-2', 'c-1', 'PAID', "
                    + "'USD', 20000, 0, 0, 0, 20000, '[{\"sku\":\"A\",\"product\":null,\"categories\":[],\"price\":20000,"
                    + "\"quantity\":1,\"attributes\":{}}]', " + AT + ", " + AT + ")");
            s.execute("insert into redemptions (id, project_id, customer_id, order_id, request_hash, status, discount, "
                    + "shipping_discount, order_value, response, created_at) values ('red_old', 'prj_old', 'c-1', 'o-1', '"
                    + "e7".repeat(32) + "', 'REDEEMED', 500, 0, 5000, '{\"id\":\"red_old\",\"valid\":true,\"order\":"
                    + "{\"currency\":\"USD\",\"subtotal\":5000,\"shipping\":0,\"discount\":500,\"shippingDiscount\":0,"
                    + "\"total\":4500,\"items\":[]},\"applied\":[{\"campaign\":\"bf\",\"code\":\"BLACKFRIDAY\",\"type\":"
                    + "\"PERCENT\",\"discount\":500,\"shippingDiscount\":0,\"items\":[]}],\"rejected\":[],\"customer\":"
                    + "\"c-1\"}', " + AT + ")");
            s.execute("insert into redemption_lines (redemption_id, line_no, project_id, campaign_id, code, discount, "
                    + "local_day) values ('red_old', 0, 'prj_old', 'cmp_bf', 'BLACKFRIDAY', 500, '2026-06-01')");
            s.execute("insert into redemption_counters (redemption_id, campaign_id, name, amount) values "
                    + "('red_old', 'cmp_bf', 'customer:c-1', 1)");
            s.execute("insert into counters (campaign_id, name, used) values ('cmp_bf', 'customer:c-1', 1)");
            s.execute("insert into loyalty_members (project_id, program_id, customer_id, created_at, updated_at) values "
                    + "('prj_old', 'cmp_stars', 'c-1', " + AT + ", " + AT + ")");
            s.execute("insert into loyalty_buckets (id, project_id, program_id, customer_id, points, remaining, earned, "
                    + "available_at, order_id, created_at) values ('lbk_old', 'prj_old', 'cmp_stars', 'c-1', 200, 200, "
                    + "200, " + AT + ", 'o-2', " + AT + ")");
            s.execute("insert into loyalty_entries (seq, id, project_id, program_id, customer_id, type, points, "
                    + "balance_after, rule, order_id, bucket_id, available_at, at) values (nextval('loyalty_entry_seq'), "
                    + "'ltx_old', 'prj_old', 'cmp_stars', 'c-1', 'EARN', 200, 200, 'purchase', 'o-2', 'lbk_old', " + AT
                    + ", " + AT + ")");
            s.execute("insert into customer_events (project_id, id, seq, customer_id, type, properties, created_at) "
                    + "values ('prj_old', 'e-1', nextval('customer_event_seq'), 'c-1', 'product_reviewed', "
                    + "'{\"sku\":\"A\"}', " + AT + ")");
            // The two throttles V26 made one (send_slots): a webhook's next_slot_at and a channel's message_slots row.
            // The webhook is disabled: its events are stored as SKIPPED, nothing is sent to its (public) address.
            s.execute("insert into webhooks (id, project_id, name, url, events, secret, rate_limit, enabled, "
                    + "disabled_reason, next_slot_at, created_at, updated_at) values ('whk_old', 'prj_old', 'crm', "
                    + "'https://crm.example.com/hooks', 'redemption.created', 'old-secret', 20, false, "
                    + "'disabled through the API', " + AT + ", " + AT + ", " + AT + ")");
            s.execute("insert into message_slots (project_id, channel, next_at) values ('prj_old', 'email', " + AT + ")");
            // A row in each table V28 keys by project: those without the column get their parent's.
            s.execute("insert into campaign_limits (campaign_id, version) values ('cmp_bf', 0)");
            s.execute("insert into counter_slots (campaign_id, name, used, cap) values ('cmp_welcome', 'total#0', 0, 1)");
            s.execute("insert into redemptions (id, project_id, customer_id, request_hash, status, discount, "
                    + "shipping_discount, order_value, response, created_at) values ('red_pts', 'prj_old', 'c-9', '"
                    + "e8".repeat(32) + "', 'REDEEMED', 50, 0, 5000, '{\"id\":\"red_pts\"}', " + AT + ")");
            s.execute("insert into loyalty_redemption_spends (redemption_id, bucket_id, points) values "
                    + "('red_pts', 'lbk_old', 50)");
            s.execute("insert into jobs (id, project_id, campaign_id, kind, status, total, done, params, created_at, "
                    + "finished_at) values ('job_old', 'prj_old', 'cmp_welcome', 'CODE_GENERATION', 'DONE', 2, 2, "
                    + "'{\"pattern\":\"WL-####\",\"charset\":\"ABCDEFGHJKLMNPQRSTUVWXYZ23456789\"}', " + AT + ", " + AT
                    + ")");
            s.execute("insert into webhook_deliveries (id, seq, project_id, webhook_id, event_id, event_type, status, "
                    + "attempts, round_attempts, body, created_at, updated_at) values ('whd_old', "
                    + "nextval('webhook_delivery_seq'), 'prj_old', 'whk_old', 'evt_old', 'redemption.created', 'SKIPPED', "
                    + "0, 0, '{}', " + AT + ", " + AT + ")");
            s.execute("insert into audit_log (seq, id, project_id, at, actor_type, actor_id, action, resource) values "
                    + "(nextval('audit_seq'), 'aud_old', 'prj_old', " + AT + ", 'key', 'key_old', 'campaign.created', "
                    + "'campaign:bf')");
            s.execute("insert into automation_runs (id, seq, project_id, automation_id, customer_id, trigger_on, "
                    + "trigger_data, run_key, due_at, status, created_at) values ('run_old', nextval('automation_run_seq'), "
                    + "'prj_old', 'aut_old', 'c-1', 'order_paid', '{}', 'o-2', " + AT + ", 'DONE', " + AT + ")");
        }
    }

    /** Rows of the old project in each table V28 keyed by project_id: every row written before is there, with it. */
    private static void keptWithTheirProject(Connection c) throws SQLException {
        Map<String, Integer> expected = new java.util.TreeMap<>(Map.ofEntries(Map.entry("campaigns", 3),
                Map.entry("redemptions", 2), Map.entry("webhooks", 1), Map.entry("campaign_limits", 1),
                Map.entry("counters", 1), Map.entry("counter_slots", 1), Map.entry("redemption_counters", 1),
                Map.entry("loyalty_redemption_spends", 1), Map.entry("redemption_lines", 1), Map.entry("jobs", 1),
                Map.entry("publications", 1), Map.entry("webhook_deliveries", 1), Map.entry("audit_log", 1),
                Map.entry("loyalty_entries", 1), Map.entry("automation_runs", 1)));
        Map<String, Integer> found = new java.util.TreeMap<>();
        for (String table : expected.keySet()) {
            try (var r = c.createStatement().executeQuery("select count(*) from " + table + " where project_id = 'prj_old'")) {
                r.next();
                found.put(table, r.getInt(1));
            }
        }
        assertThat(found).isEqualTo(expected);
    }

    /** The rows of send_slots (V26), each as "lane next_at". */
    private static List<String> sendSlots(Connection c) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (var r = c.createStatement().executeQuery("select lane, next_at from send_slots order by lane")) {
            while (r.next()) out.add(r.getString(1) + " " + r.getObject(2, java.time.OffsetDateTime.class).toInstant());
        }
        return out;
    }

    private static void campaign(Statement s, String id, String name, String type, String definition) throws SQLException {
        s.execute("insert into campaigns (id, project_id, name, type, active, seq, definition, created_at, updated_at) "
                + "values ('" + id + "', 'prj_old', '" + name + "', '" + type + "', true, nextval('campaign_seq'), '"
                + definition + "', " + AT + ", " + AT + ")");
    }

    private static void stillUsable(TestServer.Client api) {
        // What was stored reads back, with what the upgrade derived from it (V18: the customer's data).
        assertThat(api.get("/v1/campaigns/bf").json().at("/codes/code").asText()).isEqualTo("BLACKFRIDAY");
        JsonNode customer = api.get("/v1/customers/c-1").json();
        assertThat(customer.at("/attributes/country").asText()).isEqualTo("DE");
        assertThat(customer.at("/orders/count").asLong()).isEqualTo(1);
        assertThat(customer.at("/orders/lastAt").asText()).startsWith("2026-06-01T10:00");
        assertThat(customer.at("/redeemed/bf").asLong()).isEqualTo(1);
        assertThat(customer.at("/events/product_reviewed/count").asLong()).isEqualTo(1);
        assertThat(api.get("/v1/redemptions?customer=c-1").json().at("/data/0/id").asText()).isEqualTo("red_old");

        // The old redemption still counts against the per-customer limit; another customer redeems the old code.
        assertThat(validate(api, "c-1", "BLACKFRIDAY").at("/rejected/0/reason").asText()).isEqualTo("customer_limit");
        Response redeemed = api.post("/v1/redemptions", checkout("c-2", "BLACKFRIDAY"));
        assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(201);
        assertThat(redeemed.json().at("/order/discount").asLong()).isEqualTo(1000);

        // Rolling the old redemption back gives its counter back.
        Response rollback = api.post("/v1/redemptions/red_old/rollback", Map.of("reason", "order cancelled"));
        assertThat(rollback.status()).as(rollback.toString()).isEqualTo(200);
        assertThat(validate(api, "c-1", "BLACKFRIDAY").get("valid").asBoolean()).isTrue();

        // The code published to c-1 is theirs alone.
        assertThat(validate(api, "c-1", "WL-F9TE").get("valid").asBoolean()).isTrue();
        assertThat(validate(api, "c-2", "WL-F9TE").at("/rejected/0/reason").asText()).isEqualTo("code_owned_by_other");

        // The loyalty ledger continues where it stopped: the old points plus a new order's.
        assertThat(api.get("/v1/loyalty/stars/members/c-1").json().get("balance").asLong()).isEqualTo(200);
        Response order = api.post("/v1/orders", Map.of("id", "o-3", "customer", "c-1", "status", "PAID", "currency", "USD",
                "items", List.of(Map.of("sku", "A", "price", 10000, "quantity", 1))));
        assertThat(order.status()).as(order.toString()).isIn(200, 201);
        assertThat(api.get("/v1/loyalty/stars/members/c-1").json().get("balance").asLong()).isEqualTo(300);
        JsonNode ledger = api.get("/v1/loyalty/stars/members/c-1/transactions").json().get("data");
        assertThat(ledger).hasSize(2);

        // Rows re-keyed by V28 read back through the API.
        assertThat(api.get("/v1/audit").json().at("/data/0/id").asText()).isEqualTo("aud_old");
        assertThat(api.get("/v1/jobs/job_old").json().get("status").asText()).isEqualTo("DONE");
        // The oldest delivery: the redemptions above were logged for the (disabled) webhook too.
        JsonNode deliveries = api.get("/v1/webhooks/crm/deliveries").json().get("data");
        assertThat(deliveries.get(deliveries.size() - 1).get("id").asText()).isEqualTo("whd_old");

        // What the new migrations brought works on the old project (V19: its locale).
        assertThat(api.get("/v1/webhooks/crm").json().get("rateLimit").asInt()).isEqualTo(20);
        Response locale = api.patch("/v1/project", Map.of("locale", "de"));
        assertThat(locale.status()).as(locale.toString()).isEqualTo(200);
        assertThat(locale.json().get("locale").asText()).isEqualTo("de");
    }

    private static JsonNode validate(TestServer.Client api, String customer, String code) {
        Response r = api.post("/v1/validations", checkout(customer, code));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static Map<String, Object> checkout(String customer, String code) {
        return Map.of("customer", customer, "codes", List.of(code), "order", Map.of("id", "o-" + UUID.randomUUID(),
                "currency", "USD", "items", List.of(Map.of("sku", "A", "price", 10000, "quantity", 1))));
    }

    private static MigrationVersion applied(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("select version from flyway_schema_history where success "
                + "and version is not null");
             var r = p.executeQuery()) {
            MigrationVersion max = MigrationVersion.EMPTY;
            while (r.next()) {
                MigrationVersion v = MigrationVersion.fromVersion(r.getString(1));
                if (v.compareTo(max) > 0) max = v;
            }
            return max;
        }
    }

    private static MigrationVersion latest(TestDatabases.Target db) {
        MigrationInfo[] all = Flyway.configure().dataSource(db.url(), db.user(), db.password())
                .locations("classpath:db/migration").load().info().all();
        return all[all.length - 1].getVersion();
    }
}
