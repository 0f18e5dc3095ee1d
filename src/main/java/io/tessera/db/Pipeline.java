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

    /**
     * A statement; {@code merged}: the rows of a multi-row insert (its SQL and arguments are built when it runs);
     * {@code counted}: told its update count (null: nobody asks).
     */
    private record Statement(String sql, Object[] args, Rows rows, Merged merged, java.util.function.IntConsumer counted) {
    }

    /**
     * A multi-row insert's shape: {@code insert into <table> (<columns>) values <rows> <conflict>}. The rows added
     * under one {@code Insert} in a pipeline go as one statement, where the first of them was added: a group commit's
     * members write their redemptions, lines and customers in one statement each rather than one each per member,
     * which PostgreSQL executes for less CPU (docs/performance.md). With {@code keyWidth} > 0 (an insert that may do
     * nothing, e.g. {@code on conflict do nothing}) the statement returns the key, the first {@code keyWidth} columns,
     * of each row it inserted, so that {@link #inserted} tells each row's fate.
     */
    public static final class Insert {
        private final String head;
        private final String row;
        private final int width;
        private final String conflict;
        private final String returning;
        private final int keyWidth;

        public Insert(String table, String columns, String conflict, int keyWidth) {
            List<String> names = List.of(columns.split(",\\s*"));
            if (keyWidth < 0 || keyWidth > names.size()) throw new IllegalArgumentException("keyWidth " + keyWidth);
            this.head = "insert into " + table + " (" + columns + ") values ";
            this.width = names.size();
            this.row = "(" + Sql.marks(width) + ")";
            this.conflict = conflict.isEmpty() ? "" : " " + conflict;
            this.returning = keyWidth == 0 ? null : " returning " + String.join(", ", names.subList(0, keyWidth));
            this.keyWidth = keyWidth;
        }

        /** The statement for {@code n} rows; {@code returning}: with the keys of the rows inserted. */
        String sql(int n, boolean returning) {
            StringBuilder sql = new StringBuilder(head.length() + n * (row.length() + 2) + 40).append(head);
            for (int i = 0; i < n; i++) sql.append(i == 0 ? "" : ", ").append(row);
            sql.append(conflict);
            if (returning && this.returning != null) sql.append(this.returning);
            return sql.toString();
        }
    }

    /** The rows added under one {@link Insert}, by their handles. */
    private record Merged(Insert insert, List<Object[]> rows, List<Integer> handles) {
    }

    private final Database db;
    private final List<Statement> statements = new ArrayList<>();
    private final java.util.Map<Insert, Merged> merged = new java.util.IdentityHashMap<>();
    /** Per row handle: whether the row was inserted (rows of a keyed {@link Insert}, once the pipeline ran). */
    private final List<Boolean> inserted = new ArrayList<>();
    private int[] counts;

    public Pipeline(Database db) {
        this.db = db;
    }

    /** A write; its update count is {@link #count} of the index returned, once {@link #run} has run. */
    public int add(String sql, Object... args) {
        int index = statements.size();
        statements.add(new Statement(sql, args, null, null, n -> counts[index] = n));
        return index;
    }

    /** A query whose rows {@code rows} reads when the pipeline runs. */
    public void query(String sql, Rows rows, Object... args) {
        statements.add(new Statement(sql, args, rows, null, null));
    }

    /**
     * A row of {@code insert}, which goes with the other rows added under it (see {@link Insert}); its handle for
     * {@link #inserted}. {@code args}: the row's values, one per column.
     */
    public int row(Insert insert, Object... args) {
        if (args.length != insert.width) {
            throw new IllegalArgumentException(insert.width + " values expected, " + args.length + " given");
        }
        Merged m = merged.get(insert);
        if (m == null) {
            m = new Merged(insert, new ArrayList<>(), new ArrayList<>());
            merged.put(insert, m);
            statements.add(new Statement(null, null, null, m, null));
        }
        m.rows().add(args);
        m.handles().add(inserted.size());
        inserted.add(null);
        return inserted.size() - 1;
    }

    /** Whether the row of a keyed {@link Insert} with this handle was inserted (false: the insert did nothing). */
    public boolean inserted(int handle) {
        Boolean done = inserted.get(handle);
        if (done == null) throw new IllegalStateException("the pipeline has not run, or the row's insert has no key");
        return done;
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

    /** Runs the statements outside a transaction (reads before one): each in its own, as it would alone. */
    public void run() {
        run(db.dsl());
    }

    /** Runs the statements in order in {@code tx}'s connection; the first that fails throws, as it would alone. */
    public void run(DSLContext tx) {
        if (statements.isEmpty()) return;
        counts = new int[statements.size()];
        boolean postgres = db.postgres();
        // PostgreSQL: each merged insert is one statement (returning the keys inserted); H2, which has no RETURNING on
        // an insert that may do nothing, inserts a keyed insert's rows one by one and reads each one's count.
        List<Statement> run = new ArrayList<>(statements.size());
        for (Statement s : statements) {
            if (s.merged() == null) run.add(s);
            else if (postgres || s.merged().insert().keyWidth == 0) run.add(together(s.merged()));
            else for (int r = 0; r < s.merged().rows().size(); r++) run.add(alone(s.merged(), r));
        }
        for (Statement s : run) db.ranInPipeline(s.sql());
        tx.connection(c -> {
            if (postgres) together(c, run);
            else for (Statement s : run) one(c, s);
        });
    }

    /** All of {@code m}'s rows in one statement, which records each one's fate. */
    private Statement together(Merged m) {
        Insert insert = m.insert();
        Object[] args = new Object[m.rows().size() * insert.width];
        for (int r = 0; r < m.rows().size(); r++) System.arraycopy(m.rows().get(r), 0, args, r * insert.width, insert.width);
        if (insert.keyWidth == 0) return new Statement(insert.sql(m.rows().size(), false), args, null, null, null);
        return new Statement(insert.sql(m.rows().size(), true), args, rs -> {
            // The keys inserted; a key given twice was inserted by its first row (the second did nothing).
            java.util.Set<List<String>> keys = new java.util.HashSet<>();
            while (rs.next()) {
                List<String> key = new ArrayList<>(insert.keyWidth);
                for (int k = 1; k <= insert.keyWidth; k++) key.add(rs.getString(k));
                keys.add(key);
            }
            for (int r = 0; r < m.rows().size(); r++) {
                List<String> key = new ArrayList<>(insert.keyWidth);
                for (int k = 0; k < insert.keyWidth; k++) key.add(String.valueOf(m.rows().get(r)[k]));
                inserted.set(m.handles().get(r), keys.remove(key));
            }
        }, null, null);
    }

    /** Row {@code r} of {@code m} in a statement of its own, which records whether it inserted the row. */
    private Statement alone(Merged m, int r) {
        int handle = m.handles().get(r);
        return new Statement(m.insert().sql(1, false), m.rows().get(r), null, null, n -> inserted.set(handle, n == 1));
    }

    /** The update count of the write at {@code index}. */
    public int count(int index) {
        return counts[index];
    }

    private void together(Connection c, List<Statement> run) throws SQLException {
        StringBuilder sql = new StringBuilder();
        for (Statement s : run) sql.append(sql.isEmpty() ? "" : "; ").append(s.sql());
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (Statement s : run) for (Object a : s.args()) bind(ps, p++, a);
            boolean rows = ps.execute();
            for (int i = 0; i < run.size(); i++) {
                if (i > 0) rows = ps.getMoreResults();
                if (rows) {
                    try (ResultSet rs = ps.getResultSet()) {
                        if (run.get(i).rows() != null) run.get(i).rows().read(rs);
                    }
                } else {
                    count(run.get(i), ps.getUpdateCount());
                }
            }
        }
    }

    private void one(Connection c, Statement s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(s.sql())) {
            for (int p = 0; p < s.args().length; p++) bind(ps, p + 1, s.args()[p]);
            if (ps.execute()) {
                try (ResultSet rs = ps.getResultSet()) {
                    if (s.rows() != null) s.rows().read(rs);
                }
            } else {
                count(s, ps.getUpdateCount());
            }
        }
    }

    /** Tells a write its update count: its {@link #count}, or the fate of the one row it inserted alone. */
    private static void count(Statement s, int n) {
        if (s.counted() != null) s.counted().accept(n);
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
