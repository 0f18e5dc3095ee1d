package io.tessera.core;

import java.util.function.Supplier;

/**
 * A value read at most once per interval (a metric backed by a query): every scrape within the interval, from any
 * number of scrapers, sees the same sample, so a gauge costs the database one query per interval at most.
 */
public final class Sampled<T> implements Supplier<T> {
    private final Supplier<T> read;
    private final long intervalNanos;
    private T value;
    private long readAt;
    private boolean read0;

    public Sampled(Supplier<T> read, long intervalMillis) {
        this.read = read;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    @Override
    public synchronized T get() {
        long now = System.nanoTime();
        if (!read0 || now - readAt >= intervalNanos) {
            value = read.get();
            readAt = now;
            read0 = true;
        }
        return value;
    }
}
