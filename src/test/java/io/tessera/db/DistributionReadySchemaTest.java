package io.tessera.db;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Bodies;
import io.tessera.testing.Fixtures;
import io.tessera.testing.Receiver;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.StatementLog;
import io.tessera.testing.TestServer;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The schema is ready to be sharded by project (Citus, YugabyteDB; docs/scaling.md): every table's primary key starts
 * with {@code project_id}, so each row lives with its project's other rows, and checkout's statements each name the
 * project, so a checkout is a single-shard transaction. The tables that are not per project are listed here with their
 * reasons; the test fails when a table is added that breaks the rule.
 */
class DistributionReadySchemaTest extends ServerPerDatabase {
    /** Tables that are not per project: replicated (reference) tables in a sharded deployment. */
    static final Map<String, String> GLOBAL = Map.ofEntries(
            Map.entry("rate_buckets", "Bucket4j's PostgreSQL layout (its own id key): one bucket per API key, found by "
                    + "the key's id on every request; a key belongs to one project, so a shard can still colocate it"),
            Map.entry("flyway_schema_history", "Flyway's own history of migrations"),
            Map.entry("projects", "the shard key's own table (id is the project_id); small, a reference table"),
            Map.entry("settings", "server-wide settings (the root key's hash)"),
            Map.entry("api_keys", "found by the key's hash before the project is known (authentication)"),
            Map.entry("admin_users", "admin UI users are server-wide: one user may work in several projects"),
            Map.entry("admin_sessions", "found by the cookie's hash before the project is known"),
            Map.entry("admin_sign_in_failures", "sign-in throttling by user name and address, before any project is known"),
            Map.entry("admin_user_log", "the log of server-wide admin users"),
            Map.entry("guess_windows", "code-guessing windows per API key or per client address, across projects"),
            Map.entry("tasks", "the scheduler's queue: project_id is null for server-wide work, and pollers claim across projects"));

    @Test
    void everyPerProjectTableIsKeyedByProjectFirst() throws SQLException {
        Map<String, List<String>> keys = primaryKeys();
        assertThat(keys.keySet()).as("the global tables exist").containsAll(GLOBAL.keySet());
        List<String> broken = new ArrayList<>();
        keys.forEach((table, key) -> {
            if (!GLOBAL.containsKey(table) && (key.isEmpty() || !key.getFirst().equals("project_id"))) {
                broken.add(table + " " + key);
            }
        });
        assertThat(broken).as("per-project tables whose primary key does not start with project_id").isEmpty();
    }

    @Test
    void eachStatementOfACheckoutOnAPerProjectTableNamesTheProject() throws SQLException {
        assertThat(api().post("/v1/campaigns", universal("capped", "CAPPED", amount(100), Map.of("redemptions", 100,
                "perCustomer", 2, "budget", Map.of("discount", 10_000)))).status()).isEqualTo(201);
        assertThat(api().post("/v1/campaigns", Map.of("name", "auto", "type", "AUTO", "discount", amount(50),
                "limits", Map.of("redemptions", 100))).status()).isEqualTo(201);
        // Points pay part of the second order (loyalty_redemption_spends).
        assertThat(api().post("/v1/campaigns", Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of(
                "earning", List.of(), "pointValue", Map.of("points", 1, "amount", 1)))).status()).isEqualTo(201);
        assertThat(api().post("/v1/loyalty/stars/members/c-2/transactions", Map.of("points", 300, "reason", "test"))
                .status()).isEqualTo(201);
        Map<String, Object> withPoints = new java.util.HashMap<>(checkout("c-2", List.of("CAPPED"), 1000));
        withPoints.put("loyalty", Map.of("program", "stars", "points", 200));
        Set<String> projectTables = projectTables();
        List<String> statements;
        try (StatementLog log = StatementLog.on(server.app().database())) {
            assertThat(api().post("/v1/validations", checkout("c-1", List.of("CAPPED"), 1000)).status()).isEqualTo(200);
            assertThat(api().post("/v1/redemptions", checkout("c-1", List.of("CAPPED"), 1000),
                    Map.of("Idempotency-Key", "one")).status()).isEqualTo(201);
            assertThat(api().post("/v1/redemptions", withPoints).status()).isEqualTo(201);
            statements = log.statements();
        }
        Scan scan = Scan.of(statements, projectTables);
        assertThat(scan.touched()).as("the checkout's per-project tables").contains("redemptions", "redemption_lines",
                "redemption_counters", "customers", "codes", "counters", "counter_slots", "campaign_limits",
                "loyalty_redemption_spends", "loyalty_buckets", "loyalty_entries");
        assertThat(scan.unscoped()).as("per-project tables of the checkout's statements not bounded by the project")
                .isEmpty();
    }

    /**
     * The flows around checkouts name the project too: campaigns and their generation jobs, a webhook and its
     * deliveries (retried and recovered), automations and their runs (a message, points, a webhook; a reminder of
     * expiring points), a reward and its claim, points spent at checkout and given back, an order's points taken back,
     * points expiring, and the customer's export and erasure. V31 dropped the indexes on these tables' ids alone: a
     * statement finding a row by its id without the project would read the whole table.
     */
    @Test
    void eachStatementOfTheFlowsAroundCheckoutsOnAPerProjectTableNamesTheProject() throws SQLException {
        TestServer.Client at = api().at("2031-06-01T10:00:00Z");
        Set<String> projectTables = projectTables();
        List<String> statements;
        try (Receiver receiver = new Receiver(); StatementLog log = StatementLog.on(server.app().database())) {
            expect(201, at.post("/v1/campaigns", Fixtures.uniqueCampaign("gifts", "G-######", 20)));
            expect(200, at.patch("/v1/campaigns/gifts", Map.of("active", true)));
            expect(200, at.get("/v1/campaigns/gifts"));
            expect(200, at.get("/v1/campaigns"));
            String job = expect(201, at.post("/v1/campaigns/gifts/codes", Map.of("count", 10))).json().get("job")
                    .asText();
            expect(200, at.get("/v1/jobs/" + job));
            expect(201, at.post("/v1/campaigns", Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of(
                    "earning", List.of(Map.of("name", "buy", "on", "order_paid", "points", "order.total / 100")),
                    "expiry", Map.of("afterDays", 30), "pointValue", Map.of("points", 1, "amount", 1)))));
            expect(201, at.post("/v1/loyalty/stars/rewards", Map.of("name", "gift", "cost", 100, "stock", 5,
                    "grant", Map.of("campaign", "gifts"))));
            expect(200, at.patch("/v1/loyalty/stars/rewards/gift", Map.of("cost", 50)));
            expect(200, at.get("/v1/loyalty/stars/rewards"));
            expect(201, at.post("/v1/webhooks", Map.of("name", "crm", "url", receiver.url(), "events", List.of(
                    "customer.created", "points.earned", "points.expired", "automation.fired", "message.rendered"))));
            expect(200, at.patch("/v1/webhooks/crm", Map.of("rateLimit", 100)));
            expect(200, at.get("/v1/webhooks/crm"));
            expect(201, at.post("/v1/automations", Map.of("name", "thanks", "on", "order_paid", "actions", List.of(
                    Map.of("type", "PUBLISH_CODE", "campaign", "gifts"),
                    Map.of("type", "ADD_POINTS", "program", "stars", "points", 10),
                    Map.of("type", "MESSAGE", "channel", "email", "to", "{{customer.attributes.email}}",
                            "template", "Your code: {{campaigns.gifts.code}}"),
                    Map.of("type", "WEBHOOK", "webhook", "crm")))));
            expect(201, at.post("/v1/automations", Map.of("name", "reminder", "on", "points_expiring",
                    "notifyDaysBefore", 7, "actions", List.of(Map.of("type", "ADD_POINTS", "program", "stars",
                            "points", 1)))));
            expect(200, at.patch("/v1/automations/thanks", Map.of("active", true)));
            expect(200, at.put("/v1/customers/c-1", Map.of("attributes", Map.of("email", "ana@example.com"),
                    "consents", Map.of("email", true))));
            expect(201, at.post("/v1/orders", order("o-1", "c-1", "PAID", 30000)));
            // Without an email address nor consent, c-2's run sends no message: c-1's is the one delivered.
            expect(201, at.post("/v1/orders", order("o-2", "c-2", "PAID", 10000)));
            expect(200, at.post("/v1/orders", order("o-2", "c-2", "REFUNDED", 10000)));
            await("the automation's runs").atMost(Duration.ofSeconds(20)).until(() -> expect(200,
                    at.get("/v1/automations/thanks/runs")).json().findValuesAsText("status"),
                    s -> s.equals(List.of("DONE", "DONE")));
            // The webhook's send slots are 10 ms apart: the deliveries after the first wait for the clock to move.
            messageDelivery(at, d -> true);
            expect(200, at.post("/v1/test-clock/advance", Map.of("to", "2031-06-01T10:00:01Z")));
            String delivery = messageDelivery(at, attempts(1)).get("id").asText();
            expect(200, at.get("/v1/webhooks/crm/deliveries/" + delivery));
            // Retried after the last slot taken, so the poller sends it at once.
            TestServer.Client later = api().at("2031-06-01T10:00:02Z");
            expect(202, later.post("/v1/webhooks/crm/deliveries/" + delivery + "/retry", Map.of()));
            messageDelivery(at, attempts(2));
            expect(202, at.post("/v1/webhooks/crm/recover", Map.of("since", "2031-06-01T00:00:00Z")));
            expect(201, at.post("/v1/loyalty/stars/members/c-1/rewards/gift", Map.of()));
            Map<String, Object> withPoints = new java.util.HashMap<>(checkout("c-1", List.of(), 1000));
            withPoints.put("loyalty", Map.of("program", "stars", "points", 20));
            String redemption = expect(201, at.post("/v1/redemptions", withPoints)).json().get("id").asText();
            expect(200, at.post("/v1/redemptions/" + redemption + "/rollback", Map.of("reason", "test")));
            expect(200, at.post("/v1/test-clock/advance", Map.of("to", "2031-07-02T10:00:00Z")));
            expect(200, at.get("/v1/automations/reminder/runs"));
            expect(200, at.get("/v1/customers/c-1/export"));
            expect(200, at.delete("/v1/customers/c-1"));
            expect(204, at.delete("/v1/automations/reminder"));
            expect(204, at.delete("/v1/webhooks/crm"));
            statements = log.statements();
        }
        Scan scan = Scan.of(statements, projectTables);
        assertThat(scan.touched()).as("the flows' per-project tables").contains("campaigns", "jobs", "webhooks",
                "webhook_deliveries", "events", "automations", "automation_runs", "messages", "loyalty_buckets",
                "loyalty_rewards");
        assertThat(scan.unscoped()).as("per-project tables of the flows' statements not bounded by the project")
                .filteredOn(s -> !CODES_BY_CAMPAIGN.matcher(s).find()).isEmpty();
    }

    /**
     * The one read the flows still make without the project: a campaign's codes, found by campaign through
     * codes_campaign (campaign_id, code). No index on an id alone serves it; bounding it too is for another change (a
     * count of a campaign's codes would then read the table, not only that index, on PostgreSQL).
     */
    private static final Pattern CODES_BY_CAMPAIGN =
            Pattern.compile("^codes: select .* from codes where campaign_id = \\?");

    private static Response expect(int status, Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r;
    }

    private static Map<String, Object> order(String id, String customer, String status, long price) {
        Map<String, Object> order = new java.util.HashMap<>(Bodies.order(price));
        order.putAll(Map.of("id", id, "customer", customer, "status", status));
        return order;
    }

    /** Waits until the webhook's delivery of the automation's message satisfies {@code done}; returns it. */
    private static JsonNode messageDelivery(TestServer.Client at, Predicate<JsonNode> done) {
        return await("the message's delivery").atMost(Duration.ofSeconds(20)).until(() -> {
            for (JsonNode d : expect(200, at.get("/v1/webhooks/crm/deliveries")).json().get("data")) {
                if (d.get("type").asText().equals("message.rendered")) return d;
            }
            return null;
        }, d -> d != null && done.test(d));
    }

    private static Predicate<JsonNode> attempts(int n) {
        return d -> d.get("status").asText().equals("DELIVERED") && d.get("attempts").asInt() == n;
    }

    /** What statements did on per-project tables: the tables they touched, and each one not bounded by the project. */
    private record Scan(Set<String> touched, List<String> unscoped) {
        static Scan of(List<String> statements, Set<String> projectTables) {
            Set<String> touched = new TreeSet<>();
            List<String> unscoped = new ArrayList<>();
            for (String sql : statements) {
                for (String table : tables(sql)) if (projectTables.contains(table)) touched.add(table);
                for (String table : DistributionReadySchemaTest.unscoped(sql, projectTables)) {
                    unscoped.add(table + ": " + sql);
                }
            }
            return new Scan(touched, unscoped);
        }
    }

    @Test
    void aJoinOnAnIdAloneIsCaught() {
        Set<String> tables = Set.of("redemptions", "redemption_lines");
        assertThat(unscoped("select * from redemption_lines l join redemptions r on r.id = l.redemption_id "
                + "where l.project_id = ?", tables)).containsExactly("redemptions r");
        assertThat(unscoped("select * from redemption_lines l join redemptions r on r.project_id = l.project_id "
                + "and r.id = l.redemption_id where l.project_id = ?", tables)).isEmpty();
        assertThat(unscoped("update redemptions set status = ? where id = ?", tables)).containsExactly("redemptions");
        assertThat(unscoped("select * from redemptions where project_id = ? and id = ? for update", tables)).isEmpty();
    }

    /**
     * The per-project tables of {@code sql} that it does not bound by the project: a statement that never names
     * {@code project_id}, or a table read under an alias (a join, a subquery) not bounded through that alias. A join on
     * an id alone would send a sharded database to every shard, whatever else the statement names.
     */
    private static List<String> unscoped(String sql, Set<String> projectTables) {
        String lower = sql.toLowerCase();
        List<String> out = new ArrayList<>();
        for (String table : tables(sql)) {
            if (projectTables.contains(table) && !lower.contains("project_id")) out.add(table);
        }
        Matcher m = ALIASED.matcher(sql);
        while (m.find()) {
            String table = m.group(1).toLowerCase(), alias = m.group(2).toLowerCase();
            if (projectTables.contains(table) && !KEYWORDS.contains(alias) && !lower.contains(alias + ".project_id")) {
                out.add(table + " " + alias);
            }
        }
        return out;
    }

    /** A table after from or join with an alias (the keywords that may follow a table are no alias). */
    private static final Pattern ALIASED = Pattern.compile("(?i)\\b(?:from|join)\\s+\"?([a-z_]+)\"?\\s+(?:as\\s+)?([a-z_][a-z0-9_]*)\\b");
    private static final Set<String> KEYWORDS = Set.of("where", "join", "left", "right", "inner", "outer", "cross", "on",
            "using", "group", "order", "limit", "offset", "for", "union", "set", "values", "returning", "having",
            "natural", "full", "lateral", "window", "fetch");

    private static final Pattern TABLE = Pattern.compile("(?i)\\b(?:from|join|into|update)\\s+\"?([a-z_]+)\"?");

    private static Set<String> tables(String sql) {
        Set<String> out = new TreeSet<>();
        Matcher m = TABLE.matcher(sql);
        while (m.find()) out.add(m.group(1).toLowerCase());
        return out;
    }

    /** Per-project tables: those with a project_id column that are not global. */
    private Set<String> projectTables() throws SQLException {
        Set<String> out = new TreeSet<>();
        try (Connection c = server.connect(); ResultSet rs = c.getMetaData().getColumns(null, schema(c), "%", "project_id")) {
            while (rs.next()) {
                String table = rs.getString("TABLE_NAME").toLowerCase();
                if (!GLOBAL.containsKey(table)) out.add(table);
            }
        }
        return out;
    }

    /** Every table's primary key columns, in key order (empty: no primary key). */
    private Map<String, List<String>> primaryKeys() throws SQLException {
        Map<String, List<String>> out = new TreeMap<>();
        try (Connection c = server.connect()) {
            DatabaseMetaData md = c.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = md.getTables(null, schema(c), "%", new String[] {"TABLE"})) {
                while (rs.next()) tables.add(rs.getString("TABLE_NAME"));
            }
            for (String table : tables) {
                TreeMap<Short, String> columns = new TreeMap<>();
                try (ResultSet rs = md.getPrimaryKeys(null, schema(c), table)) {
                    while (rs.next()) columns.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME").toLowerCase());
                }
                out.put(table.toLowerCase(), List.copyOf(columns.values()));
            }
        }
        return out;
    }

    private static String schema(Connection c) throws SQLException {
        return c.getSchema();
    }
}
