package io.tessera.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases tests run on: a fresh in-memory H2 per call, or the PostgreSQL test database (created when missing).
 * Where PostgreSQL is unreachable its tests are skipped with a loud message — unless TESSERA_REQUIRE_POSTGRES=true
 * (CI), where they fail.
 */
public final class TestDatabases {
    public static final String H2 = "h2";
    public static final String POSTGRES = "postgres";
    private static final String PG_HOST = env("TESSERA_TEST_POSTGRES_HOST", "127.0.0.1:5432");
    private static final String PG_DB = env("TESSERA_TEST_POSTGRES_DB", "tessera_codes_test");
    private static final String PG_USER = env("TESSERA_TEST_POSTGRES_USER", "postgres");
    private static volatile Boolean pgReady;

    private TestDatabases() {
    }

    /** A JDBC URL, user and password. */
    public record Target(String kind, String url, String user, String password) {
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    public static Target target(String kind) {
        if (H2.equals(kind)) {
            return new Target(H2, "jdbc:h2:mem:" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        }
        requirePostgres();
        return new Target(POSTGRES, "jdbc:postgresql://" + PG_HOST + "/" + PG_DB, PG_USER, null);
    }

    private static synchronized void requirePostgres() {
        if (pgReady == null) pgReady = preparePostgres();
        if (!pgReady) {
            String message = "PostgreSQL at " + PG_HOST + " is unreachable: PostgreSQL tests are SKIPPED";
            if (Boolean.parseBoolean(System.getenv("TESSERA_REQUIRE_POSTGRES"))) {
                Assertions.fail(message.replace("SKIPPED", "required (TESSERA_REQUIRE_POSTGRES=true)"));
            }
            System.err.println("!!!!!!!! " + message + " !!!!!!!!");
            Assumptions.abort(message);
        }
    }

    private static boolean preparePostgres() {
        Properties props = new Properties();
        props.setProperty("user", PG_USER);
        props.setProperty("connectTimeout", "3");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/postgres", props)) {
            try (var rs = c.createStatement().executeQuery("select 1 from pg_database where datname = '" + PG_DB + "'")) {
                if (!rs.next()) c.createStatement().execute("create database " + PG_DB);
            }
            return true;
        } catch (SQLException e) {
            System.err.println("PostgreSQL check failed: " + e.getMessage());
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
