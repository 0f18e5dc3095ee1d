package io.tessera.discount;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Buy X, get Y. Each application takes {@code buyQuantity} units matching the buy selector — units that cannot be
 * get units first, then the dearest — and then the {@code getQuantity} cheapest remaining units matching the get
 * selector, which get the percent off. Applications repeat while units remain, up to {@code maxApplications}.
 * Units of one line with the same value form a group, so a line of 10 000 units costs no more than a line of one.
 */
final class BuyXGetYCalculator {
    private final int[] line;
    private final long[] value;
    private final long[] left;
    private final long[] got;
    private final Integer[] buyOrder;
    private final Integer[] getOrder;

    private BuyXGetYCalculator(Basket basket, boolean[] buy, boolean[] get) {
        int groups = 0;
        int[] lineOf = new int[2 * basket.size()];
        long[] valueOf = new long[2 * basket.size()];
        long[] count = new long[2 * basket.size()];
        for (int i = 0; i < basket.size(); i++) {
            long q = basket.quantity(i);
            long remaining = basket.remaining(i);
            if (!(buy[i] || get[i]) || q == 0 || remaining == 0) continue;
            long floor = remaining / q;
            long odd = remaining % q;
            if (odd > 0) {
                lineOf[groups] = i;
                valueOf[groups] = floor + 1;
                count[groups++] = odd;
            }
            lineOf[groups] = i;
            valueOf[groups] = floor;
            count[groups++] = q - odd;
        }
        line = Arrays.copyOf(lineOf, groups);
        value = Arrays.copyOf(valueOf, groups);
        left = Arrays.copyOf(count, groups);
        got = new long[groups];
        buyOrder = groupsWhere(buy, Comparator.<Integer>comparingInt(g -> get[line[g]] ? 1 : 0)
                .thenComparingLong(g -> -value[g]).thenComparingInt(g -> line[g]));
        getOrder = groupsWhere(get, Comparator.<Integer>comparingLong(g -> value[g]).thenComparingInt(g -> line[g]));
    }

    static Effect compute(Discount.BuyXGetY x, Rate rate, Basket basket, boolean[] buy, boolean[] get) {
        BuyXGetYCalculator c = new BuyXGetYCalculator(basket, buy, get);
        long maxApplications = x.maxApplications() == null ? Long.MAX_VALUE : x.maxApplications();
        // Quantities are validated ≥ 1 when the campaign is saved; the floor only guards the divisions below.
        c.apply(Math.max(1, x.buyQuantity()), Math.max(1, x.getQuantity()), maxApplications);
        long[] lines = new long[basket.size()];
        for (int g = 0; g < c.line.length; g++) lines[c.line[g]] += c.got[g] * rate.of(c.value[g]);
        return Effect.onLines(lines);
    }

    private void apply(long buyQuantity, long getQuantity, long maxApplications) {
        long applications = 0;
        while (applications < maxApplications) {
            int b = first(buyOrder);
            int g = first(getOrder);
            if (b < 0 || g < 0) return;
            // Fast path: while the front groups hold enough, many applications take from them alike.
            long times = b == g ? left[b] / (buyQuantity + getQuantity)
                    : Math.min(left[b] / buyQuantity, left[g] / getQuantity);
            times = Math.min(times, maxApplications - applications);
            if (times > 0) {
                left[b] -= times * buyQuantity;
                left[g] -= times * getQuantity;
                got[g] += times * getQuantity;
                applications += times;
            } else if (applyOnce(buyQuantity, getQuantity)) {
                applications++;
            } else {
                return;
            }
        }
    }

    /** One application across group boundaries; false (and nothing granted) when the units run out. */
    private boolean applyOnce(long buyQuantity, long getQuantity) {
        if (take(buyOrder, buyQuantity, null) > 0) return false;
        long[] taken = new long[line.length];
        if (take(getOrder, getQuantity, taken) > 0) return false;
        for (int g = 0; g < taken.length; g++) got[g] += taken[g];
        return true;
    }

    /** Takes up to {@code units} from the groups in order; returns how many were missing. */
    private long take(Integer[] order, long units, long[] taken) {
        for (int k = 0; k < order.length && units > 0; k++) {
            int g = order[k];
            long n = Math.min(left[g], units);
            left[g] -= n;
            units -= n;
            if (taken != null) taken[g] += n;
        }
        return units;
    }

    private int first(Integer[] order) {
        for (Integer g : order) if (left[g] > 0) return g;
        return -1;
    }

    private Integer[] groupsWhere(boolean[] eligible, Comparator<Integer> order) {
        return java.util.stream.IntStream.range(0, line.length).filter(g -> eligible[line[g]]).boxed()
                .sorted(order).toArray(Integer[]::new);
    }
}
