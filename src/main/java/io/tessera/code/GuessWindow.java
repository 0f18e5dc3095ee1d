package io.tessera.code;

import java.util.ArrayList;
import java.util.List;

/**
 * The unknown codes one client or one API key checked lately, as buckets: each bucket's {@code stamp} is the epoch
 * second at which the bucket ends, so a failure counts from the moment it happens until {@code stamp + window}: at
 * least the whole window, at most one bucket longer (never shorter, so the limit holds over every sliding window).
 * Oldest first. Stored as text ({@code "1767225600:3 1767225601:1"}) in one row of {@code guess_windows}.
 */
record GuessWindow(List<Bucket> buckets) {
    static final GuessWindow EMPTY = new GuessWindow(List.of());

    record Bucket(long stamp, int count) {
    }

    GuessWindow {
        buckets = List.copyOf(buckets);
    }

    static GuessWindow parse(String text) {
        if (text == null || text.isBlank()) return EMPTY;
        List<Bucket> out = new ArrayList<>();
        for (String part : text.trim().split(" ")) {
            int colon = part.indexOf(':');
            out.add(new Bucket(Long.parseLong(part.substring(0, colon)), Integer.parseInt(part.substring(colon + 1))));
        }
        return new GuessWindow(out);
    }

    String text() {
        StringBuilder b = new StringBuilder();
        for (Bucket k : buckets) {
            if (!b.isEmpty()) b.append(' ');
            b.append(k.stamp).append(':').append(k.count);
        }
        return b.toString();
    }

    /** The buckets still inside the window at {@code nowMillis}. */
    GuessWindow live(long nowMillis, long windowSeconds) {
        List<Bucket> out = new ArrayList<>(buckets.size());
        for (Bucket k : buckets) if ((k.stamp + windowSeconds) * 1000 > nowMillis) out.add(k);
        return out.size() == buckets.size() ? this : new GuessWindow(out);
    }

    int count() {
        int n = 0;
        for (Bucket k : buckets) n += k.count;
        return n;
    }

    /** {@code n} more failures in the bucket ending at {@code stamp} (nodes' clocks may differ: kept sorted). */
    GuessWindow plus(long stamp, int n) {
        if (n <= 0) return this;
        List<Bucket> out = new ArrayList<>(buckets.size() + 1);
        boolean added = false;
        for (Bucket k : buckets) {
            if (!added && k.stamp == stamp) {
                out.add(new Bucket(stamp, k.count + n));
                added = true;
            } else {
                if (!added && k.stamp > stamp) {
                    out.add(new Bucket(stamp, n));
                    added = true;
                }
                out.add(k);
            }
        }
        if (!added) out.add(new Bucket(stamp, n));
        return new GuessWindow(out);
    }

    /** Up to {@code n} failures fewer in the bucket ending at {@code stamp} (a reservation given back). */
    GuessWindow minus(long stamp, int n) {
        List<Bucket> out = new ArrayList<>(buckets.size());
        for (Bucket k : buckets) {
            if (k.stamp != stamp) out.add(k);
            else if (k.count > n) out.add(new Bucket(stamp, k.count - n));
        }
        return new GuessWindow(out);
    }

    /**
     * Seconds (at least 1) until {@code excess} of these failures have left the window; {@code windowSeconds} when
     * fewer than {@code excess} are counted (a request naming more codes than the limit allows).
     */
    long secondsUntilFreed(int excess, long nowMillis, long windowSeconds) {
        int freed = 0;
        for (Bucket k : buckets) {
            freed += k.count;
            if (freed >= excess) return Math.max(1, Math.ceilDiv((k.stamp + windowSeconds) * 1000 - nowMillis, 1000));
        }
        return windowSeconds;
    }

    /** The epoch second at which the newest failure leaves the window (0 when there is none). */
    long expiresAt(long windowSeconds) {
        return buckets.isEmpty() ? 0 : buckets.getLast().stamp + windowSeconds;
    }
}
