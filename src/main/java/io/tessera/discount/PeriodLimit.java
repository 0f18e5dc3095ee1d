package io.tessera.discount;

public record PeriodLimit(long count, Period period) {
}
