package io.tessera.testing;

import io.tessera.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The database of a {@link TestServer}, chosen through {@link Backend} (H2 in memory, or the PostgreSQL test database). */
public final class TestDatabases {
    public static final String H2 = "h2";
    public static final String POSTGRES = "postgres";

    private TestDatabases() {
    }

    /** A JDBC URL, user and password. */
    public record Target(String kind, String url, String user, String password) {
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    public static Target target(String kind) {
        Config c = Backend.of(kind).config();
        return new Target(kind, c.databaseUrl(), c.databaseUser(), c.databasePassword());
    }
}
