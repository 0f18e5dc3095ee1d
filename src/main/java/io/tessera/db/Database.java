package io.tessera.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConnectionProvider;

/**
 * The connection pool and the jOOQ context for PostgreSQL (production) or H2 (embedded, PostgreSQL mode).
 * Transactions are explicit callbacks: {@link #transaction(Function)}.
 */
public final class Database implements AutoCloseable {
    static {
        // jOOQ prints a banner and "tips of the day" unless told not to; a server's log is no place for them.
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
    }

    /**
     * Set by the tests ({@code -Dtessera.db.strict=true}): a thread that holds a transaction and asks the pool for a
     * second connection fails at once. Such a read waits for a free connection while holding one; with every
     * connection held by requests that wait for this transaction's rows, it waits for good (until a lock timeout).
     */
    private static final boolean STRICT = Boolean.getBoolean("tessera.db.strict");
    /** The transactions this thread holds open (0 or 1 where nothing nests). */
    private static final ThreadLocal<int[]> HELD = ThreadLocal.withInitial(() -> new int[1]);

    private final HikariDataSource dataSource;
    private final DSLContext dsl;
    private final SQLDialect dialect;

    public Database(String url, String user, String password, int poolSize) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        if (user != null) hc.setUsername(user);
        if (password != null) hc.setPassword(password);
        hc.setMaximumPoolSize(poolSize);
        hc.setPoolName("tessera");
        hc.setAutoCommit(true);
        if (url.startsWith("jdbc:postgresql:")) {
            // jOOQ binds java.time values as text; let PostgreSQL type them from the column they go to.
            hc.addDataSourceProperty("stringtype", "unspecified");
        }
        this.dataSource = new HikariDataSource(hc);
        this.dialect = url.startsWith("jdbc:postgresql:") ? SQLDialect.POSTGRES : SQLDialect.H2;
        Settings settings = new Settings().withExecuteLogging(false).withRenderSchema(false);
        this.dsl = DSL.using(STRICT ? guarded(dataSource) : dataSource, dialect, settings);
    }

    /** {@code pool} failing any thread that asks for a connection while it holds a transaction ({@link #STRICT}). */
    private static javax.sql.DataSource guarded(HikariDataSource pool) {
        return (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(Database.class.getClassLoader(),
                new Class<?>[]{javax.sql.DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) checkNoneHeld();
                    try {
                        return method.invoke(pool, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void checkNoneHeld() {
        if (STRICT && HELD.get()[0] > 0) {
            throw new IllegalStateException("a second connection was asked for by a thread holding a transaction:"
                    + " pass the transaction's context down instead (it can wait for good on a full pool)");
        }
    }

    /**
     * Applies the Flyway migrations: the SQL scripts under {@code db/migration}, the same for both databases, and the
     * few in Java ({@code io.tessera.db.migration}) that need what differs between them.
     */
    public void migrate() {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:io/tessera/db/migration")
                .load().migrate();
    }

    /** Publishes the connection pool's gauges and timings (active, idle, pending, acquire time). */
    public void instrument(io.micrometer.core.instrument.MeterRegistry registry) {
        dataSource.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(registry));
    }

    public DSLContext dsl() {
        return dsl;
    }

    /** Those told of every statement a {@link Pipeline} runs (jOOQ's listeners see only what runs through jOOQ). */
    private final java.util.List<java.util.function.Consumer<String>> pipelineListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Tells {@code listener} the SQL of every statement pipelines run, until the returned handle is closed. */
    public AutoCloseable onPipelineStatement(java.util.function.Consumer<String> listener) {
        pipelineListeners.add(listener);
        return () -> pipelineListeners.remove(listener);
    }

    void ranInPipeline(String sql) {
        for (var l : pipelineListeners) l.accept(sql);
    }

    public SQLDialect dialect() {
        return dialect;
    }

    public boolean postgres() {
        return dialect == SQLDialect.POSTGRES;
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. By hand rather than
     * with jOOQ's {@code transactionResult}: that one reads the connection's isolation level at every begin, which
     * the PostgreSQL driver answers with a query of its own, a round trip more per transaction. Nested units of work
     * use {@link #savepoint}.
     */
    public <T> T transaction(Function<DSLContext, T> work) {
        return transaction(null, work);
    }

    /** {@link #transaction} at {@code isolation} (a {@link Connection} level), or the connection's when null. */
    private <T> T transaction(Integer isolation, Function<DSLContext, T> work) {
        checkNoneHeld();
        int[] held = HELD.get();
        held[0]++;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            if (isolation != null) c.setTransactionIsolation(isolation);
            T result;
            try {
                result = work.apply(on(c));
                c.commit();
            } catch (Throwable e) {
                try {
                    c.rollback();
                } catch (SQLException | RuntimeException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
            // The pool puts auto-commit and the isolation level back when the connection is returned.
            return result;
        } catch (SQLException e) {
            throw new DataAccessException("the transaction could not begin or commit: " + e.getMessage(), e);
        } finally {
            held[0]--;
        }
    }

    /** A context on {@code c} with this database's settings and listeners (those of {@link #dsl}). */
    private DSLContext on(Connection c) {
        return DSL.using(dsl.configuration().derive(new DefaultConnectionProvider(c)));
    }

    /**
     * Runs {@code work} within {@code tx}'s transaction, in a savepoint: what it wrote is undone when it throws, and
     * {@code tx} stays usable.
     */
    public static <T> T savepoint(DSLContext tx, Function<DSLContext, T> work) {
        return tx.connectionResult(c -> {
            Savepoint savepoint = c.setSavepoint();
            T result;
            try {
                result = work.apply(tx);
            } catch (Throwable e) {
                c.rollback(savepoint);
                throw e;
            }
            c.releaseSavepoint(savepoint);
            return result;
        });
    }

    /**
     * Runs {@code reads} in one REPEATABLE READ transaction: every statement sees the same snapshot, so
     * figures read in several statements agree with each other whatever commits meanwhile.
     */
    public <T> T snapshot(Function<DSLContext, T> reads) {
        return transaction(Connection.TRANSACTION_REPEATABLE_READ, reads);
    }

    /** True for a unique-key violation (SQLSTATE 23505 on both databases), wherever it sits in the cause chain. */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) return true;
        }
        return false;
    }

    /** True for a serialization failure, deadlock or lock timeout: the transaction may simply be run again. */
    public static boolean isRetryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && switch (s.getSQLState()) {
                case "40001", "40P01", "HYT00" -> true; // HYT00: H2's lock timeout
                default -> false;
            }) return true;
        }
        return false;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
