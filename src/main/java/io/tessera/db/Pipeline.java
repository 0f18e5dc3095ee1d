package io.tessera.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;

/**
 * Statements of one transaction sent together. PostgreSQL gets them in one round trip (one multi-statement JDBC
 * execute; they run in order, each seeing what the ones before it did and, under read committed, its own snapshot);
 * H2, in-process, one at a time. One caveat: once the driver has prepared a query that returns rows it cannot bound in
 * size (any {@code text} column; {@code varchar(n)} is bounded), it waits for the answers before that statement and
 * after it, so such a query costs a round trip of its own (see {@code CustomerStore}'s sliced read). A redemption's writes that depend on no answer go this way: a round trip costs both
 * sides more CPU than the statement itself does. Plain JDBC, bound by position: jOOQ's plain-SQL templating would parse
 * each statement and read its result metadata again on every call.
 */
public final class Pipeline {
    /** Reads a query's rows while the pipeline runs. */
    public interface Rows {
        void read(ResultSet rs) throws SQLException;
    }

    private record Statement(String sql, Object[] args, Rows rows) {
    }

    private final Database db;
    private final List<Statement> statements = new ArrayList<>();
    private int[] counts;

    public Pipeline(Database db) {
        this.db = db;
    }

    /** A write; its update count is {@link #count} of the index returned, once {@link #run} has run. */
    public int add(String sql, Object... args) {
        statements.add(new Statement(sql, args, null));
        return statements.size() - 1;
    }

    /** A query whose rows {@code rows} reads when the pipeline runs. */
    public void query(String sql, Rows rows, Object... args) {
        statements.add(new Statement(sql, args, rows));
    }

    /** Maps a query's current row. */
    public interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** The rows of a query added with {@link #read}, there once the pipeline ran. */
    public static final class Read<T> {
        private List<T> rows;

        public List<T> rows() {
            if (rows == null) throw new IllegalStateException("the pipeline has not run");
            return rows;
        }

        /** The first row, or null when there is none. */
        public T first() {
            return rows().isEmpty() ? null : rows.getFirst();
        }
    }

    /** A query whose rows, each mapped by {@code mapper}, the returned {@link Read} holds once the pipeline ran. */
    public <T> Read<T> read(String sql, Mapper<T> mapper, Object... args) {
        Read<T> read = new Read<>();
        query(sql, rs -> {
            List<T> rows = new ArrayList<>();
            while (rs.next()) rows.add(mapper.map(rs));
            read.rows = rows;
        }, args);
        return read;
    }

    /** Runs the statements in order in {@code tx}'s connection; the first that fails throws, as it would alone. */
    public void run(DSLContext tx) {
        if (statements.isEmpty()) return;
        counts = new int[statements.size()];
        for (Statement s : statements) db.ranInPipeline(s.sql());
        tx.connection(c -> {
            if (db.postgres()) together(c);
            else for (int i = 0; i < statements.size(); i++) one(c, i);
        });
    }

    /** The update count of the write at {@code index}. */
    public int count(int index) {
        return counts[index];
    }

    private void together(Connection c) throws SQLException {
        StringBuilder sql = new StringBuilder();
        for (Statement s : statements) sql.append(sql.isEmpty() ? "" : "; ").append(s.sql());
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (Statement s : statements) for (Object a : s.args()) bind(ps, p++, a);
            boolean rows = ps.execute();
            for (int i = 0; i < statements.size(); i++) {
                if (i > 0) rows = ps.getMoreResults();
                if (rows) {
                    try (ResultSet rs = ps.getResultSet()) {
                        if (statements.get(i).rows() != null) statements.get(i).rows().read(rs);
                    }
                } else {
                    counts[i] = ps.getUpdateCount();
                }
            }
        }
    }

    private void one(Connection c, int i) throws SQLException {
        Statement s = statements.get(i);
        try (PreparedStatement ps = c.prepareStatement(s.sql())) {
            for (int p = 0; p < s.args().length; p++) bind(ps, p + 1, s.args()[p]);
            if (ps.execute()) {
                try (ResultSet rs = ps.getResultSet()) {
                    if (s.rows() != null) s.rows().read(rs);
                }
            } else {
                counts[i] = ps.getUpdateCount();
            }
        }
    }

    private static void bind(PreparedStatement ps, int p, Object a) throws SQLException {
        switch (a) {
            case null -> ps.setObject(p, null);
            case String s -> ps.setString(p, s);
            case Long l -> ps.setLong(p, l);
            case Integer n -> ps.setInt(p, n);
            case Boolean b -> ps.setBoolean(p, b);
            case OffsetDateTime t -> ps.setObject(p, t);
            default -> throw new IllegalArgumentException("cannot bind a " + a.getClass().getName());
        }
    }
}
