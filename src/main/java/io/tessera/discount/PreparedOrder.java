package io.tessera.discount;

import io.tessera.rule.Activation;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An order with its customer, context and instant, its CEL variables built once for many evaluations that differ only
 * in the promotions they weigh: a qualification evaluates each candidate alone, and its near misses probe the same
 * order with one more line at many prices ({@link #withLine}). Building the variables (a map per line) cost more than
 * evaluating one candidate. Immutable.
 */
public final class PreparedOrder {
    private final Cart cart;
    private final Shopper shopper;
    private final Map<String, Object> context;
    private final Instant now;
    private final Activation activation;

    private PreparedOrder(Cart cart, Shopper shopper, Map<String, Object> context, Instant now, Activation activation) {
        this.cart = cart;
        this.shopper = shopper;
        this.context = context;
        this.now = now;
        this.activation = activation;
    }

    /** A null shopper is an anonymous order, a null context an empty one. */
    public static PreparedOrder of(Cart cart, Shopper shopper, Map<String, Object> context, Instant now) {
        Map<String, Object> ctx = context == null ? Map.of() : context;
        return new PreparedOrder(cart, shopper, ctx, now, Activations.of(shopper, cart, ctx, now));
    }

    public Cart cart() {
        return cart;
    }

    /** The same order with {@code line} added; only the order's own variables are built again. */
    public PreparedOrder withLine(CartLine line) {
        List<CartLine> lines = new ArrayList<>(cart.lines().size() + 1);
        lines.addAll(cart.lines());
        lines.add(line);
        return new PreparedOrder(new Cart(cart.currency(), lines, cart.shipping()), shopper, context, now,
                activation.withLine(line.sku(), line.product(), line.categories(), line.price(), line.quantity(),
                        line.attributes()));
    }

    /** {@link Engine#evaluate} of this order with these codes and automatic promotions. */
    public Evaluation evaluate(ZoneId zone, int maxDiscountsPerOrder, List<CodeRef> codes, List<Promotion> automatic,
                               Usage usage, boolean explain) {
        return new Evaluator(new EvaluationRequest(cart, shopper, context, now, zone, maxDiscountsPerOrder, codes,
                automatic, usage, explain), activation).evaluate();
    }
}
