package io.tessera.testing;

import io.tessera.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The two databases every database test runs on, named {@link #H2} (in memory, PostgreSQL mode) and {@link #POSTGRES}
 * ({@code TESSERA_TEST_PG_URL}, default 127.0.0.1:5432/tessera_test). Without a reachable PostgreSQL the PostgreSQL
 * variants are skipped loudly, unless {@code TESSERA_REQUIRE_POSTGRES=true}, which makes them fail.
 */
public final class TestDatabases {
    public static final String H2 = "h2";
    public static final String POSTGRES = "postgres";
    private static final String PG_URL = System.getenv().getOrDefault("TESSERA_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/tessera_test");
    private static final String PG_USER = System.getenv().getOrDefault("TESSERA_TEST_PG_USER", "postgres");
    private static final String PG_PASSWORD = System.getenv("TESSERA_TEST_PG_PASSWORD");
    private static Boolean pgReachable;

    private TestDatabases() {
    }

    /** A JDBC URL, user and password. */
    public record Target(String kind, String url, String user, String password) {
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        /** The server settings naming this database, for {@link Config#with(Map)} (a null password: none). */
        public Map<Config.Setting, String> settings() {
            Map<Config.Setting, String> s = new EnumMap<>(Config.Setting.class);
            s.put(Config.Setting.DATABASE_URL, url);
            s.put(Config.Setting.DATABASE_USER, user);
            s.put(Config.Setting.DATABASE_PASSWORD, password);
            return s;
        }
    }

    /** Server configuration on the database {@code kind}; H2 gets a fresh private database each call. */
    static Config config(String kind) {
        Config base = Config.fromEnvironment(Map.of("TESSERA_ROOT_KEY", TestServer.ROOT_KEY, "TESSERA_TEST_CLOCK", "true",
                "TESSERA_CACHE_REFRESH_MILLIS", "200",
                // Test receivers listen on 127.0.0.1, as on any one-machine setup; SSRF tests turn this off.
                "TESSERA_WEBHOOK_ALLOW_PRIVATE", "true", "TESSERA_PORT", "0"));
        return switch (kind) {
            case H2 -> base.with(new Target(kind, "jdbc:h2:mem:" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
                    "sa", "").settings());
            case POSTGRES -> {
                requirePostgres();
                yield base.with(new Target(kind, PG_URL, PG_USER, PG_PASSWORD).settings());
            }
            default -> throw new IllegalArgumentException("unknown database kind " + kind);
        };
    }

    private static synchronized void requirePostgres() {
        if (pgReachable == null) {
            try {
                createDatabaseIfMissing();
                try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD)) {
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

    /** A fresh machine has the server but not our test database: create it through the maintenance database. */
    private static void createDatabaseIfMissing() throws SQLException {
        int slash = PG_URL.lastIndexOf('/');
        String name = PG_URL.substring(slash + 1).replaceAll("[?].*", "");
        if (!name.matches("[a-z0-9_]+")) return;
        try (Connection c = DriverManager.getConnection(PG_URL.substring(0, slash + 1) + "postgres", PG_USER, PG_PASSWORD);
             var rs = c.createStatement().executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
            if (!rs.next()) c.createStatement().execute("create database " + name);
        }
    }
}
