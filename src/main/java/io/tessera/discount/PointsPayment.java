package io.tessera.discount;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Loyalty points paying part of an order after every other discount, from what is left of the items (never shipping):
 * {@code discount = min(floor(points × amount / per), items left)}, and the points spent are the fewest that give that
 * discount, {@code ceil(discount × per / amount)}. The discount is spread over the lines in proportion to what is left
 * of each (largest remainder), like any order-level discount. Pure: whether the member holds the points is not its
 * concern.
 *
 * @param order the order after the points
 */
public record PointsPayment(long points, long discount, List<LineDiscount> items, PricedOrder order) {

    /** What {@code requested} points pay on {@code order}, at {@code per} points for {@code amount} minor units. */
    public static PointsPayment of(PricedOrder order, long requested, long per, long amount) {
        if (requested <= 0 || per <= 0 || amount <= 0) throw new IllegalArgumentException("points and rate must be > 0");
        List<PricedLine> lines = order.items();
        long[] left = new long[lines.size()];
        long itemsLeft = 0;
        for (int i = 0; i < left.length; i++) {
            left[i] = Math.max(0, lines.get(i).total());
            itemsLeft += left[i];
        }
        BigInteger worth = BigInteger.valueOf(requested).multiply(BigInteger.valueOf(amount))
                .divide(BigInteger.valueOf(per));
        long discount = worth.min(BigInteger.valueOf(itemsLeft)).longValueExact();
        BigInteger[] qr = BigInteger.valueOf(discount).multiply(BigInteger.valueOf(per))
                .divideAndRemainder(BigInteger.valueOf(amount));
        long spent = qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
        long[] shares = Allocation.proportional(discount, left);
        List<LineDiscount> items = new ArrayList<>();
        List<PricedLine> priced = new ArrayList<>(lines.size());
        for (int i = 0; i < left.length; i++) {
            PricedLine l = lines.get(i);
            if (shares[i] > 0) items.add(new LineDiscount(i, l.sku(), shares[i]));
            priced.add(new PricedLine(l.sku(), l.quantity(), l.price(), l.amount(), l.discount() + shares[i],
                    l.total() - shares[i], l.added()));
        }
        PricedOrder after = new PricedOrder(order.currency(), order.subtotal(), order.shipping(),
                order.discount() + discount, order.shippingDiscount(), order.total() - discount, List.copyOf(priced));
        return new PointsPayment(spent, discount, List.copyOf(items), after);
    }
}
