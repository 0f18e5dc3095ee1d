package io.tessera.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The floor of a redemption on the same PostgreSQL: the bare transaction of one guarded update (a limit counter)
 * plus one insert (the redemption's row), autocommit off, one connection per client. On {@code hot} every client
 * updates the same row, as every redemption of one hot code does; otherwise each its own. The tables are the tool's
 * own, created before and dropped after.
 */
final class PgFloor implements AutoCloseable {
    private final String url;
    private final java.util.Properties login = new java.util.Properties();
    private final List<Connection> connections = new ArrayList<>();

    /** {@code user} and {@code password} may be null: then the URL's own (or the driver's defaults) hold. */
    PgFloor(String url, String user, String password) throws SQLException {
        this.url = url;
        if (user != null) login.setProperty("user", user);
        if (password != null) login.setProperty("password", password);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("drop table if exists load_floor_insert");
            s.execute("drop table if exists load_floor");
            s.execute("create table load_floor(id bigint primary key, n bigint not null)");
            s.execute("create table load_floor_insert(id bigserial primary key, floor_id bigint not null, "
                    + "at timestamptz not null default now())");
        }
    }

    Driver.Result run(boolean hot, int clients, Driver.Warmup warmup, Duration duration, Driver.Window window)
            throws SQLException, InterruptedException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("delete from load_floor");
            s.execute("insert into load_floor select g, 0 from generate_series(1, " + clients + ") g");
        }
        while (connections.size() < clients) {
            Connection c = connect();
            c.setAutoCommit(false);
            connections.add(c);
        }
        return Driver.run(clients, warmup, duration, i -> {
            Connection c = connections.get(i);
            long row = hot ? 1 : i + 1;
            return () -> transaction(c, row);
        }, window);
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, login);
    }

    private static Driver.Call transaction(Connection c, long row) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("update load_floor set n = n + 1 where id = ? and n < ?");
             PreparedStatement insert = c.prepareStatement("insert into load_floor_insert(floor_id) values (?)")) {
            update.setLong(1, row);
            update.setLong(2, Long.MAX_VALUE);
            if (update.executeUpdate() != 1) {
                c.rollback();
                return Driver.Call.error("the guarded update changed no row");
            }
            insert.setLong(1, row);
            insert.executeUpdate();
            c.commit();
            return Driver.Call.OK;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    @Override
    public void close() throws SQLException {
        for (Connection c : connections) c.close();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("drop table if exists load_floor_insert");
            s.execute("drop table if exists load_floor");
        }
    }
}
