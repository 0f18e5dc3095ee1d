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
 * project, so a checkout is a single-shard transaction. The exceptions are listed here with their reasons; the test
 * fails when a table is added that breaks the rule, and when an exception is fixed but still listed.
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

    /**
     * Per-project tables whose key does not start with project_id yet, with why it was not rebuilt in this change.
     * The list may only shrink.
     */
    static final Map<String, String> PENDING = new TreeMap<>(Map.ofEntries(
            Map.entry("campaigns", "referenced by codes, jobs and publications through campaign_id alone: those foreign "
                    + "keys must become (project_id, campaign_id) first"),
            Map.entry("redemptions", "referenced by redemption_lines and redemption_counters through redemption_id alone"),
            Map.entry("webhooks", "referenced by webhook_deliveries through webhook_id alone"),
            Map.entry("campaign_limits", "no project_id column: keyed by campaign_id; on the redemption hot path"),
            Map.entry("counters", "no project_id column: keyed by campaign_id; the hot-row limit counters"),
            Map.entry("counter_slots", "no project_id column: keyed by campaign_id; the hot-row limit counters"),
            Map.entry("redemption_counters", "no project_id column: child of redemptions by redemption_id"),
            Map.entry("loyalty_redemption_spends", "no project_id column: child of redemptions by redemption_id"),
            Map.entry("redemption_lines", "child of redemptions by redemption_id (rebuilt with redemptions)"),
            Map.entry("jobs", "child of campaigns by campaign_id (rebuilt with campaigns)"),
            Map.entry("publications", "child of campaigns by campaign_id (rebuilt with campaigns)"),
            Map.entry("webhook_deliveries", "child of webhooks by webhook_id (rebuilt with webhooks); read by id from "
                    + "its task's payload"),
            Map.entry("audit_log", "key is a global sequence, and id is unique on its own too; pages are read by "
                    + "(project_id, seq) through an index"),
            Map.entry("loyalty_entries", "key is a global sequence with a unique id, like audit_log"),
            Map.entry("automation_runs", "key is a generated id, and its unique key (automation_id, customer_id, "
                    + "run_key) lacks project_id too: rebuilt with automations' children")));

    @Test
    void everyPerProjectTableIsKeyedByProjectFirst() throws SQLException {
        Map<String, List<String>> keys = primaryKeys();
        assertThat(keys.keySet()).as("the global tables exist").containsAll(GLOBAL.keySet());
        List<String> broken = new ArrayList<>();
        List<String> fixedButListed = new ArrayList<>();
        keys.forEach((table, key) -> {
            if (GLOBAL.containsKey(table)) return;
            boolean projectFirst = !key.isEmpty() && key.getFirst().equals("project_id");
            if (PENDING.containsKey(table) && projectFirst) fixedButListed.add(table);
            if (!PENDING.containsKey(table) && !projectFirst) broken.add(table + " " + key);
        });
        assertThat(broken).as("per-project tables whose primary key does not start with project_id").isEmpty();
        assertThat(fixedButListed).as("tables fixed: take them off PENDING").isEmpty();
        assertThat(keys.keySet()).as("every listed exception is a table").containsAll(PENDING.keySet());
    }

    @Test
    void eachStatementOfACheckoutOnAPerProjectTableNamesTheProject() throws SQLException {
        assertThat(api().post("/v1/campaigns", universal("capped", "CAPPED", amount(100), Map.of("redemptions", 100,
                "perCustomer", 2, "budget", Map.of("discount", 10_000)))).status()).isEqualTo(201);
        assertThat(api().post("/v1/campaigns", Map.of("name", "auto", "type", "AUTO", "discount", amount(50),
                "limits", Map.of("redemptions", 100))).status()).isEqualTo(201);
        Set<String> projectTables = projectTables();
        List<String> statements;
        try (StatementLog log = StatementLog.on(server.app().database())) {
            assertThat(api().post("/v1/validations", checkout("c-1", List.of("CAPPED"), 1000)).status()).isEqualTo(200);
            assertThat(api().post("/v1/redemptions", checkout("c-1", List.of("CAPPED"), 1000),
                    Map.of("Idempotency-Key", "one")).status()).isEqualTo(201);
            statements = log.statements();
        }
        List<String> unscoped = new ArrayList<>();
        Set<String> touched = new TreeSet<>();
        for (String sql : statements) {
            for (String table : tables(sql)) {
                if (!projectTables.contains(table)) continue;
                touched.add(table);
                if (!sql.toLowerCase().contains("project_id")) unscoped.add(table + ": " + sql);
            }
        }
        assertThat(touched).as("the checkout's per-project tables").contains("redemptions", "customers", "codes");
        assertThat(unscoped).as("statements on per-project tables that do not name the project").isEmpty();
    }

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
