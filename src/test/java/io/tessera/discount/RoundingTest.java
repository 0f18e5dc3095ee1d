package io.tessera.discount;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Half-up rounding of percents and largest-remainder allocation, in exact integer arithmetic. */
class RoundingTest {

    @Test
    void percentRoundsHalfUp() {
        assertThat(Rate.ofPercent(BigDecimal.valueOf(15)).of(2598)).isEqualTo(390); // 389.7
        assertThat(Rate.ofPercent(BigDecimal.valueOf(10)).of(5)).isEqualTo(1); // 0.5
        assertThat(Rate.ofPercent(BigDecimal.valueOf(10)).of(4)).isZero(); // 0.4
        assertThat(Rate.ofPercent(new BigDecimal("0.5")).of(100)).isOne(); // 0.5
        assertThat(Rate.ofPercent(new BigDecimal("12.50")).of(1004)).isEqualTo(126); // 125.5
    }

    @Test
    void percentIsClampedToZeroAndHundred() {
        assertThat(Rate.ofPercent(BigDecimal.valueOf(150)).of(1000)).isEqualTo(1000);
        assertThat(Rate.ofPercent(BigDecimal.valueOf(-5)).of(1000)).isZero();
        assertThat(Rate.ofPercent(new BigDecimal("1E+2")).of(777)).isEqualTo(777);
    }

    @Test
    void hugeAmountsDoNotOverflow() {
        long huge = Long.MAX_VALUE / 2;
        assertThat(Rate.ofPercent(new BigDecimal("50")).of(huge)).isEqualTo(huge / 2 + 1); // x.5 rounds up
        long[] shares = Allocation.proportional(huge, new long[] {huge, huge});
        assertThat(shares[0] + shares[1]).isEqualTo(huge);
    }

    @Test
    void largestRemainderGivesTheCentToTheLargestFraction() {
        // 2000 over 10000:5000 = 1333.33 / 666.67
        assertThat(Allocation.proportional(2000, new long[] {10000, 5000})).containsExactly(1333, 667);
    }

    @Test
    void tiesGoToTheEarlierLine() {
        // 100 over three equal lines: 33.33 each, the cent left to the first
        assertThat(Allocation.proportional(100, new long[] {500, 500, 500})).containsExactly(34, 33, 33);
        // 2 cents over three equal remainders: the first two
        assertThat(Allocation.proportional(2, new long[] {1, 1, 1})).containsExactly(1, 1, 0);
        // 1 over 1:1 where the later one is no larger: the earlier
        assertThat(Allocation.proportional(1, new long[] {7, 7})).containsExactly(1, 0);
    }

    @Test
    void sharesAddUpAndSkipEmptyLines() {
        long[] shares = Allocation.proportional(1001, new long[] {333, 0, 333, 334});
        assertThat(shares).containsExactly(333, 0, 333, 335);
        assertThat(Allocation.proportional(0, new long[] {5, 5})).containsExactly(0, 0);
        assertThat(Allocation.proportional(5, new long[] {0, 0})).containsExactly(0, 0);
    }

    @Test
    void noShareExceedsItsLine() {
        long[] weights = {1, 1, 1, 997};
        long[] shares = Allocation.proportional(1000, weights);
        for (int i = 0; i < weights.length; i++) assertThat(shares[i]).isLessThanOrEqualTo(weights[i]);
        assertThat(shares).containsExactly(1, 1, 1, 997);
    }
}
