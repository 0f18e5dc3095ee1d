package io.tessera.testing;

import io.tessera.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The two databases every database test runs on: H2 (in memory, PostgreSQL mode) and a real PostgreSQL
 * ({@code TESSERA_TEST_PG_URL}, default 127.0.0.1:5432/tessera_test). Without a reachable PostgreSQL the
 * PostgreSQL variants are skipped loudly, unless {@code TESSERA_REQUIRE_POSTGRES=true}, which makes them fail.
 */
public enum Backend {
    H2, POSTGRES;

    public static final String PG_URL = System.getenv().getOrDefault("TESSERA_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/tessera_test");
    public static final String PG_USER = System.getenv().getOrDefault("TESSERA_TEST_PG_USER", "postgres");
    private static Boolean pgReachable;

    /** Server configuration on this backend; H2 gets a fresh private database each call. */
    public Config config() {
        Config base = Config.fromEnvironment(Map.of("TESSERA_ROOT_KEY", TestServer.ROOT_KEY, "TESSERA_TEST_CLOCK", "true",
                "TESSERA_CACHE_REFRESH_MILLIS", "200")).withPort(0);
        return switch (this) {
            case H2 -> base.withDatabase("jdbc:h2:mem:" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", "sa", "");
            case POSTGRES -> {
                requirePostgres();
                yield base.withDatabase(PG_URL, PG_USER, System.getenv("TESSERA_TEST_PG_PASSWORD"));
            }
        };
    }

    /** A fresh machine has the server but not our test database: create it through the maintenance database. */
    private static void createDatabaseIfMissing() throws SQLException {
        int slash = PG_URL.lastIndexOf('/');
        String name = PG_URL.substring(slash + 1).replaceAll("[?].*", "");
        if (!name.matches("[a-z0-9_]+")) return;
        try (Connection c = DriverManager.getConnection(PG_URL.substring(0, slash + 1) + "postgres", PG_USER,
                System.getenv("TESSERA_TEST_PG_PASSWORD"));
             var rs = c.createStatement().executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
            if (!rs.next()) c.createStatement().execute("create database " + name);
        }
    }

    /** The backend a test names as {@code "h2"} or {@code "postgres"}. */
    public static Backend of(String kind) {
        return switch (kind) {
            case TestDatabases.H2 -> H2;
            case TestDatabases.POSTGRES -> POSTGRES;
            default -> throw new IllegalArgumentException("unknown database kind " + kind);
        };
    }

    public String kind() {
        return this == H2 ? TestDatabases.H2 : TestDatabases.POSTGRES;
    }

    public static synchronized void requirePostgres() {
        if (pgReachable == null) {
            try {
                createDatabaseIfMissing();
                try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, System.getenv("TESSERA_TEST_PG_PASSWORD"))) {
                    pgReachable = c.isValid(2);
                }
            } catch (SQLException e) {
                pgReachable = false;
                System.err.println("!!! PostgreSQL not reachable at " + PG_URL + ": " + e.getMessage()
                        + " -- PostgreSQL tests are SKIPPED");
            }
        }
        if (!pgReachable) {
            if (Boolean.parseBoolean(System.getenv("TESSERA_REQUIRE_POSTGRES"))) {
                throw new IllegalStateException("TESSERA_REQUIRE_POSTGRES=true but PostgreSQL is not reachable at " + PG_URL);
            }
            Assumptions.abort("PostgreSQL not reachable at " + PG_URL);
        }
    }
}
