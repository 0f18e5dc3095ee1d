package io.tessera.discount;

import java.math.BigInteger;

/** Exact integer arithmetic on non-negative minor units; falls back to BigInteger only when a product overflows. */
final class Arithmetic {
    private Arithmetic() {
    }

    /** {@code a * b / c} rounded down, with its remainder in {@code remainder[0]}; a, b ≥ 0, c > 0. */
    static long mulDiv(long a, long b, long c, long[] remainder) {
        long product = a * b;
        if (Math.multiplyHigh(a, b) == 0 && product >= 0) {
            remainder[0] = product % c;
            return product / c;
        }
        BigInteger[] qr = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b))
                .divideAndRemainder(BigInteger.valueOf(c));
        remainder[0] = qr[1].longValueExact();
        return qr[0].longValueExact();
    }

    /** {@code a * b / c} rounded half-up; a, b ≥ 0, c > 0. */
    static long mulDivHalfUp(long a, long b, long c) {
        long[] r = new long[1];
        long q = mulDiv(a, b, c, r);
        // r ≥ c - r  ⇔  the fraction r / c is at least one half
        return r[0] >= c - r[0] ? q + 1 : q;
    }

    /** {@code a * b}, saturated at Long.MAX_VALUE: large enough to compare with any amount. */
    static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return high == 0 && product >= 0 ? product : Long.MAX_VALUE;
    }
}
