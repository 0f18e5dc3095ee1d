package io.tessera.db;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.StatementLog;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
        List<String> unscoped = new ArrayList<>();
        Set<String> touched = new TreeSet<>();
        for (String sql : statements) {
            for (String table : tables(sql)) if (projectTables.contains(table)) touched.add(table);
            for (String table : unscoped(sql, projectTables)) unscoped.add(table + ": " + sql);
        }
        assertThat(touched).as("the checkout's per-project tables").contains("redemptions", "redemption_lines",
                "redemption_counters", "customers", "codes", "counters", "counter_slots", "campaign_limits",
                "loyalty_redemption_spends", "loyalty_buckets", "loyalty_entries");
        assertThat(unscoped).as("per-project tables of the checkout's statements not bounded by the project")
                .isEmpty();
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
