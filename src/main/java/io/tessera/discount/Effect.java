package io.tessera.discount;

/**
 * What one discount takes off, computed on what the previous ones left: {@code lines[i]} off cart line i,
 * {@code shipping} off the shipping, and optionally a free line the discount adds (fully discounted).
 */
record Effect(long[] lines, long shipping, CartLine added) {
    static Effect onLines(long[] lines) {
        return new Effect(lines, 0, null);
    }

    long itemsDiscount() {
        long sum = added == null ? 0 : added.amount();
        for (long l : lines) sum += l;
        return sum;
    }

    long total() {
        return itemsDiscount() + shipping;
    }

    /** An added gift counts as an effect even at price 0: the customer gets the item. */
    boolean hasEffect() {
        return total() > 0 || added != null;
    }
}
