package io.tessera.discount;

import java.math.BigDecimal;

/** A percentage as the exact fraction {@code numerator / denominator} of 1 (15.5 % = 155 / 1000), in [0, 1]. */
record Rate(long numerator, long denominator) {
    static final Rate FULL = new Rate(1, 1);

    /** The rate of a percent in (0, 100]; above 100 is clamped to 100, at or below 0 gives nothing. */
    static Rate ofPercent(BigDecimal percent) {
        if (percent.signum() <= 0) return new Rate(0, 1);
        if (percent.compareTo(BigDecimal.valueOf(100)) >= 0) return FULL;
        BigDecimal p = percent.stripTrailingZeros();
        if (p.scale() < 0) p = p.setScale(0);
        if (p.scale() > 12) p = p.setScale(12, java.math.RoundingMode.HALF_UP);
        return new Rate(p.unscaledValue().longValueExact(), 100 * BigDecimal.TEN.pow(p.scale()).longValueExact());
    }

    /** This rate of {@code amount}, rounded half-up to whole minor units. */
    long of(long amount) {
        return Arithmetic.mulDivHalfUp(amount, numerator, denominator);
    }
}
