package io.tessera.discount;

/**
 * One limit counter a redemption takes from: adding {@code amount} must keep it at or below {@code limit}.
 * Counters are named by {@link LimitCounters}; the redemption store checks and increments them atomically.
 */
public record CounterUse(String counter, long limit, long amount, Reason reason) {
}
