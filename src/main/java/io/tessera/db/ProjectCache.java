package io.tessera.db;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Per-project data held in memory (compiled campaigns, dynamic segments) and reloaded when the project's
 * {@code config_version} changes. A node re-reads the version at most every {@code refreshMillis}, so a change made
 * through another node is seen within that time; changes through this node are seen at once ({@link #invalidate}).
 */
public final class ProjectCache<T> {
    private final Function<String, T> loader;
    private final ToLongFunction<String> version;
    private final long refreshNanos;
    private final ConcurrentHashMap<String, Entry<T>> entries = new ConcurrentHashMap<>();
    /** Served from memory; served after re-reading an unchanged version; loaded (first use or a change). */
    private final LongAdder hits = new LongAdder(), revalidated = new LongAdder(), misses = new LongAdder();

    private record Entry<T>(T value, long version, long checkedAt) {
    }

    public ProjectCache(Function<String, T> loader, ToLongFunction<String> version, long refreshMillis) {
        this.loader = loader;
        this.version = version;
        this.refreshNanos = refreshMillis * 1_000_000L;
    }

    public T get(String projectId) {
        long now = System.nanoTime();
        Entry<T> e = entries.get(projectId);
        if (e != null && now - e.checkedAt < refreshNanos) {
            hits.increment();
            return e.value;
        }
        long v = version.applyAsLong(projectId);
        if (e != null && e.version == v) {
            revalidated.increment();
            entries.put(projectId, new Entry<>(e.value, v, now));
            return e.value;
        }
        misses.increment();
        // Read the version before loading: a change racing with the load is then caught on the next check.
        T value = loader.apply(projectId);
        entries.put(projectId, new Entry<>(value, v, now));
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
