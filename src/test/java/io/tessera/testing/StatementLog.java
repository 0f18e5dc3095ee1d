package io.tessera.testing;

import io.tessera.db.Database;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jooq.Configuration;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.ExecuteListenerProvider;

/**
 * The SQL statements a server runs while the log is open (every statement of the server, background work included: a
 * test filters them by the tables it cares about). Attached to the server's jOOQ configuration, which every query and
 * every transaction begun afterwards reads, and to the statements its pipelines run; closing detaches it.
 */
public final class StatementLog implements AutoCloseable {
    private final Configuration configuration;
    private final ExecuteListenerProvider[] before;
    private final List<String> statements = new CopyOnWriteArrayList<>();
    private final AutoCloseable pipelines;

    private StatementLog(Database db) {
        this.configuration = db.dsl().configuration();
        this.pipelines = db.onPipelineStatement(statements::add);
        this.before = configuration.executeListenerProviders();
        ExecuteListener listener = new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                if (ctx.batchSQL().length > 1) statements.addAll(List.of(ctx.batchSQL()));
                else statements.add(ctx.sql());
            }
        };
        ExecuteListenerProvider[] with = java.util.Arrays.copyOf(before, before.length + 1);
        with[before.length] = () -> listener;
        configuration.set(with);
    }

    public static StatementLog on(Database db) {
        return new StatementLog(db);
    }

    /** The statements run so far, in order, with {@code ?} for bind values. */
    public List<String> statements() {
        return List.copyOf(statements);
    }

    @Override
    public void close() {
        configuration.set(before);
        try {
            pipelines.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
