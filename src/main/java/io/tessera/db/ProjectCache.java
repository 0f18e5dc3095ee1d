package io.tessera.db;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.ToLongBiFunction;
import org.jooq.DSLContext;

/**
 * Per-project data held in memory (compiled campaigns, dynamic segments) and reloaded when the project's
 * {@code config_version} changes. A node re-reads the version at most every {@code refreshMillis}, so a change made
 * through another node is seen within that time; changes through this node are seen at once ({@link #invalidate}).
 * Within a transaction, {@link #get(DSLContext, String)} reads through it (a thread holding a transaction must not
 * wait for a second connection). What it loads there is kept as unchecked, so that the next use reads the version
 * first: the transaction may have changed what it read and roll back, and its version then differs from the
 * database's. (Kept at all so that a node whose traffic reads only inside transactions, orders and events, does not
 * load the project's data again on every call after a change.)
 */
public final class ProjectCache<T> {
    private final Database db;
    private final BiFunction<DSLContext, String, T> loader;
    private final ToLongBiFunction<DSLContext, String> version;
    private final long refreshNanos;
    private final ConcurrentHashMap<String, Entry<T>> entries = new ConcurrentHashMap<>();
    /** Served from memory; served after re-reading an unchanged version; loaded (first use or a change). */
    private final LongAdder hits = new LongAdder(), revalidated = new LongAdder(), misses = new LongAdder();

    private record Entry<T>(T value, long version, long checkedAt) {
    }

    /** {@code loader} and {@code version} read a project's value and config version through the context given. */
    public ProjectCache(Database db, BiFunction<DSLContext, String, T> loader, ToLongBiFunction<DSLContext, String> version,
                        long refreshMillis) {
        this.db = db;
        this.loader = loader;
        this.version = version;
        this.refreshNanos = refreshMillis * 1_000_000L;
    }

    public T get(String projectId) {
        return get(db.dsl(), projectId, true);
    }

    /** The value, read (on a miss) within {@code tx}, and kept unchecked; {@code tx == null}: {@link #get(String)}. */
    public T get(DSLContext tx, String projectId) {
        return tx == null ? get(projectId) : get(tx, projectId, false);
    }

    /** {@code checked}: what is loaded is served without a version check for {@code refreshMillis}. */
    private T get(DSLContext dsl, String projectId, boolean checked) {
        long now = System.nanoTime();
        Entry<T> e = entries.get(projectId);
        if (e != null && now - e.checkedAt < refreshNanos) {
            hits.increment();
            return e.value;
        }
        long v = version.applyAsLong(dsl, projectId);
        if (e != null && e.version == v) {
            revalidated.increment();
            entries.put(projectId, new Entry<>(e.value, v, now));
            return e.value;
        }
        misses.increment();
        // Read the version before loading: a change racing with the load is then caught on the next check.
        T value = loader.apply(dsl, projectId);
        entries.put(projectId, new Entry<>(value, v, checked ? now : now - refreshNanos));
        return value;
    }

    /**
     * Publishes {@code tessera_cache_requests_total{cache, result}}: result {@code hit} (memory only),
     * {@code revalidated} (one version read, nothing loaded) or {@code miss} (loaded from the database).
     */
    public void bindTo(MeterRegistry registry, String name) {
        for (var r : List.of(Map.entry("hit", hits), Map.entry("revalidated", revalidated), Map.entry("miss", misses))) {
            FunctionCounter.builder("tessera.cache.requests", r.getValue(), LongAdder::sum).tag("cache", name)
                    .tag("result", r.getKey()).description("reads of a per-project cache, by how they were served")
                    .register(registry);
        }
    }

    public void invalidate(String projectId) {
        entries.remove(projectId);
    }
}
