package io.tessera.discount;

import io.tessera.rule.Activation;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongUnaryOperator;

/**
 * Computes what one discount takes off the basket as it stands, per api.md's discount types and target scopes.
 * Pure: the basket is read, never changed.
 */
final class DiscountCalculator {
    private final Basket basket;
    private final SelectorMatches matches;
    private final Activation view;

    DiscountCalculator(Basket basket, SelectorMatches matches, Activation view) {
        this.basket = basket;
        this.matches = matches;
        this.view = view;
    }

    Effect compute(Discount discount, Terms terms) {
        return switch (discount) {
            case Discount.Percent p -> percent(terms.rate(p.percent()), terms.cap(p.max()), p.target());
            case Discount.AmountOff a -> amount(terms.amount(a.amount()), a.target());
            case Discount.FixedPrice f -> fixedPrice(terms.amount(f.price()), f.target());
            case Discount.FreeShipping s -> new Effect(new long[basket.size()],
                    Math.min(basket.shippingLeft(), terms.cap(s.max())), null);
            case Discount.FreeItem i -> freeItem(i);
            case Discount.BuyXGetY x -> BuyXGetYCalculator.compute(x, terms.rate(x.percent()), basket,
                    matches.of(x.buySelector(), view), matches.of(x.getSelector(), view));
            case Discount.Tiered t -> terms.tier().percent() != null
                    ? percent(terms.rate(terms.tier().percent()), Long.MAX_VALUE, t.target())
                    : amount(terms.amount(terms.tier().amount()), t.target());
        };
    }

    /** The lines a target covers: every line for ORDER, the selector's matches otherwise. */
    boolean[] covered(Target target) {
        Target t = target == null ? Target.ORDER : target;
        return matches.of(t.scope() == Scope.ORDER ? null : t.selector(), view);
    }

    private Effect percent(Rate rate, long cap, Target target) {
        return switch (scope(target)) {
            case ORDER, ITEMS -> spread(Math.min(rate.of(coveredAmount(target)), cap), target);
            default -> perUnit(target, rate::of, cap);
        };
    }

    private Effect amount(long amount, Target target) {
        return switch (scope(target)) {
            case ORDER, ITEMS -> spread(Math.min(amount, coveredAmount(target)), target);
            default -> perUnit(target, unit -> Math.min(amount, unit), Long.MAX_VALUE);
        };
    }

    /** Every covered unit costs {@code price}: the same for ORDER, ITEMS and EACH_UNIT. */
    private Effect fixedPrice(long price, Target target) {
        return perUnit(target, unit -> Math.max(0, unit - price), Long.MAX_VALUE);
    }

    private long coveredAmount(Target target) {
        boolean[] covered = covered(target);
        long sum = 0;
        for (int i = 0; i < basket.size(); i++) if (covered[i]) sum += basket.remaining(i);
        return sum;
    }

    /** One discount over the covered lines, in proportion to what is left of them. */
    private Effect spread(long discount, Target target) {
        boolean[] covered = covered(target);
        long[] weights = new long[basket.size()];
        for (int i = 0; i < weights.length; i++) if (covered[i]) weights[i] = basket.remaining(i);
        return Effect.onLines(Allocation.proportional(discount, weights));
    }

    /**
     * {@code off} applied to units: to every covered unit (EACH_UNIT, and FIXED_PRICE on ORDER or ITEMS), or to the
     * one cheapest or dearest covered unit. The total is capped at {@code cap}, spread back over the lines.
     */
    private Effect perUnit(Target target, LongUnaryOperator off, long cap) {
        boolean[] covered = covered(target);
        long[] lines = new long[basket.size()];
        Scope scope = scope(target);
        if (scope == Scope.CHEAPEST || scope == Scope.MOST_EXPENSIVE) {
            int chosen = oneUnit(covered, scope == Scope.CHEAPEST);
            if (chosen >= 0) {
                long unit = scope == Scope.CHEAPEST ? basket.cheapestUnit(chosen) : basket.dearestUnit(chosen);
                lines[chosen] = Math.min(off.applyAsLong(unit), cap);
            }
            return Effect.onLines(lines);
        }
        long total = 0;
        for (int i = 0; i < lines.length; i++) {
            if (!covered[i] || basket.quantity(i) == 0) continue;
            long q = basket.quantity(i);
            long floor = basket.remaining(i) / q;
            long odd = basket.remaining(i) % q;
            // `off(u) ≤ u`, so each product stays within the line's remaining amount.
            lines[i] = odd * off.applyAsLong(floor + 1) + (q - odd) * off.applyAsLong(floor);
            total += lines[i];
        }
        return Effect.onLines(total > cap ? Allocation.proportional(cap, lines) : lines);
    }

    /** The covered line holding the cheapest (or dearest) unit still worth something; ties to the earlier line. */
    private int oneUnit(boolean[] covered, boolean cheapest) {
        int chosen = -1;
        long best = 0;
        for (int i = 0; i < basket.size(); i++) {
            if (!covered[i] || basket.remaining(i) == 0 || basket.quantity(i) == 0) continue;
            long unit = cheapest ? basket.cheapestUnit(i) : basket.dearestUnit(i);
            if (chosen < 0 || (cheapest ? unit < best : unit > best)) {
                chosen = i;
                best = unit;
            }
        }
        return chosen;
    }

    /** The free units come off the order's own lines of that SKU first; the missing ones are added as a line. */
    private Effect freeItem(Discount.FreeItem item) {
        long[] lines = new long[basket.size()];
        long missing = Math.max(0, item.quantity());
        for (int i = 0; i < basket.size() && missing > 0; i++) {
            if (!Objects.equals(item.sku(), basket.line(i).sku())) continue;
            long units = Math.min(missing, basket.quantity(i));
            lines[i] = basket.dearestUnitsValue(i, units);
            missing -= units;
        }
        CartLine added = missing == 0 ? null : new CartLine(item.sku(), item.product(),
                item.categories() == null ? List.of() : item.categories(), Math.max(0, item.price()), missing,
                Map.of());
        return new Effect(lines, 0, added);
    }

    private static Scope scope(Target target) {
        return target == null || target.scope() == null ? Scope.ORDER : target.scope();
    }
}
