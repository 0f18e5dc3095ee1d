package io.tessera.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The latency histogram: exact for small values, within its 1.6 % bucket width above, merged exactly. */
class HistogramTest {

    @Test
    void smallValuesAreExact() {
        Histogram h = new Histogram();
        for (long v = 1; v <= 100; v++) h.record(v);

        assertThat(h.percentile(50)).isEqualTo(50);
        assertThat(h.percentile(99)).isEqualTo(99);
        assertThat(h.percentile(100)).isEqualTo(100);
    }

    @Test
    void largeValuesAreWithinTheBucketWidth() {
        Histogram h = new Histogram();
        for (long v = 1; v <= 1_000_000; v++) h.record(v);

        assertThat((double) h.percentile(50)).isCloseTo(500_000, within(500_000 * 0.016));
        assertThat((double) h.percentile(99)).isCloseTo(990_000, within(990_000 * 0.016));
        assertThat(h.percentile(100)).isEqualTo(1_000_000);
    }

    @Test
    void everyValueFallsInABucketWhoseTopIsAtLeastIt() {
        for (long v = 0; v < 1 << 20; v += 7) {
            int i = Histogram.index(v);
            assertThat(Histogram.top(i)).isGreaterThanOrEqualTo(v);
            if (i > 0) assertThat(Histogram.top(i - 1)).isLessThan(v);
        }
    }

    @Test
    void mergedHistogramsCountEveryValue() {
        Histogram a = new Histogram(), b = new Histogram();
        a.record(10);
        b.record(20_000);
        b.record(30);
        a.add(b);

        assertThat(a.count()).isEqualTo(3);
        assertThat(a.max()).isEqualTo(20_000);
        assertThat(a.percentile(50)).isEqualTo(30);
    }
}
