package io.tessera.discount;

/**
 * Spreads a discount over lines in proportion to weights (their remaining amounts) by the largest-remainder method:
 * each line gets the floor of its exact share, the cents left go one each to the largest remainders, ties to the
 * earlier line. The shares add up to the total exactly, and no share exceeds its weight when total ≤ Σ weights.
 */
final class Allocation {
    private Allocation() {
    }

    static long[] proportional(long total, long[] weights) {
        long[] shares = new long[weights.length];
        long sum = 0;
        for (long w : weights) sum += w;
        if (total <= 0 || sum <= 0) return shares;
        long[] remainders = new long[weights.length];
        long[] r = new long[1];
        long given = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] <= 0) continue;
            shares[i] = Arithmetic.mulDiv(total, weights[i], sum, r);
            remainders[i] = r[0];
            given += shares[i];
        }
        // Fewer cents are left than lines with a non-zero remainder, so each gets at most one.
        for (long left = total - given; left > 0; left--) {
            int best = -1;
            for (int i = 0; i < weights.length; i++) {
                if (remainders[i] > 0 && (best < 0 || remainders[i] > remainders[best])) best = i;
            }
            shares[best]++;
            remainders[best] = 0;
        }
        return shares;
    }
}
