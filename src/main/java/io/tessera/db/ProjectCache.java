package io.tessera.db;

import java.util.concurrent.ConcurrentHashMap;
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
        if (e != null && now - e.checkedAt < refreshNanos) return e.value;
        long v = version.applyAsLong(projectId);
        if (e != null && e.version == v) {
            entries.put(projectId, new Entry<>(e.value, v, now));
            return e.value;
        }
        // Read the version before loading: a change racing with the load is then caught on the next check.
        T value = loader.apply(projectId);
        entries.put(projectId, new Entry<>(value, v, now));
        return value;
    }

    public void invalidate(String projectId) {
        entries.remove(projectId);
    }
}
