package io.tessera.discount;

/** A snapshot of limit counters: how much of counter {@code counter} of promotion {@code promotionId} is used. */
@FunctionalInterface
public interface Usage {
    Usage NONE = (promotionId, counter) -> 0;

    long used(String promotionId, String counter);
}
