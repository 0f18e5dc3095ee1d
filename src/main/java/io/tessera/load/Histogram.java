package io.tessera.load;

/**
 * Latencies in microseconds, log-linear like HdrHistogram: exact below 128 µs, then 64 buckets per power of two (at
 * most 1.6 % off). One per client thread, merged at the end, so recording takes no lock.
 */
final class Histogram {
    private static final int LINEAR = 128;
    private static final int PER_OCTAVE = 64;
    private static final int OCTAVES = 64 - 7;
    private final long[] counts = new long[LINEAR + OCTAVES * PER_OCTAVE];
    private long total;
    private long max;

    void record(long micros) {
        long v = Math.max(0, micros);
        counts[index(v)]++;
        total++;
        max = Math.max(max, v);
    }

    void add(Histogram other) {
        for (int i = 0; i < counts.length; i++) counts[i] += other.counts[i];
        total += other.total;
        max = Math.max(max, other.max);
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    /** The smallest recorded value's bucket top at or below which {@code percent} % of the values lie; 0 when empty. */
    long percentile(double percent) {
        if (total == 0) return 0;
        long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) return Math.min(top(i), max);
        }
        return max;
    }

    static int index(long v) {
        if (v < LINEAR) return (int) v;
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        int shift = exponent - 6;
        int sub = (int) (v >>> shift) - PER_OCTAVE;
        return LINEAR + (exponent - 7) * PER_OCTAVE + sub;
    }

    /** The largest value that falls in bucket {@code i}. */
    static long top(int i) {
        if (i < LINEAR) return i;
        int octave = (i - LINEAR) / PER_OCTAVE;
        int sub = (i - LINEAR) % PER_OCTAVE + PER_OCTAVE;
        int shift = octave + 1;
        return ((long) (sub + 1) << shift) - 1;
    }
}
