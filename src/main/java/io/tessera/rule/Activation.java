package io.tessera.rule;

import dev.cel.runtime.CelVariableResolver;
import io.tessera.discount.Cart;
import io.tessera.discount.CartLine;
import io.tessera.discount.Shopper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL variables of one evaluation (customer, order, context, now), built once and shared by every rule.
 * {@link #forCampaign} and {@link #with} return cheap views that add a variable; the maps are never copied again.
 * Immutable and thread-safe.
 */
public final class Activation {
    private static final Optional<Object> NO_CAMPAIGN = Optional.of(Map.of("metadata", Map.of()));

    private final Optional<Object> customer;
    private final Optional<Object> order;
    private final Optional<Object> context;
    private final Optional<Object> now;
    private final Optional<Object> campaign;
    private final Map<String, Optional<Object>> extra;
    private final List<Map<String, Object>> items;
    private final CelVariableResolver resolver = this::find;

    private Activation(Optional<Object> customer, Optional<Object> order, Optional<Object> context,
                       Optional<Object> now, Optional<Object> campaign, Map<String, Optional<Object>> extra,
                       List<Map<String, Object>> items) {
        this.customer = customer;
        this.order = order;
        this.context = context;
        this.now = now;
        this.campaign = campaign;
        this.extra = extra;
        this.items = items;
    }

    /**
     * Builds the variables: {@code customer} (id, attributes, segments, createdAt, orders {count, total}, isNew),
     * {@code order} (currency, subtotal, shipping, items), {@code context}, {@code now}. A null cart is an empty order.
     */
    public static Activation of(Shopper shopper, Cart cart, Map<String, Object> context, Instant now) {
        Shopper s = shopper == null ? Shopper.ANONYMOUS : shopper;
        Map<String, Object> customer = Map.of(
                "id", s.id() == null ? CelValues.normalize(null) : s.id(),
                "attributes", CelValues.normalizeMap(s.attributes()),
                "segments", s.segments() == null ? List.of() : s.segments(),
                "createdAt", CelValues.timestampOrNull(s.createdAt()),
                "orders", Map.of("count", s.ordersCount(), "total", s.ordersTotal()),
                "isNew", s.isNew());
        List<Map<String, Object>> items = new ArrayList<>(cart == null ? 0 : cart.lines().size());
        if (cart != null) for (CartLine line : cart.lines()) items.add(item(line));
        List<Map<String, Object>> frozen = List.copyOf(items);
        Map<String, Object> order = Map.of(
                "currency", CelValues.normalize(cart == null ? null : cart.currency()),
                "subtotal", cart == null ? 0L : cart.subtotal(),
                "shipping", cart == null ? 0L : cart.shipping(),
                "items", frozen);
        return new Activation(Optional.of(customer), Optional.of(order),
                Optional.of(CelValues.normalizeMap(context)), Optional.of(now == null ? Instant.EPOCH : now),
                NO_CAMPAIGN, Map.of(), frozen);
    }

    /** The {@code item} variable for one line: sku, product, categories, price, quantity, attributes, amount. */
    public static Map<String, Object> item(CartLine line) {
        return Map.of(
                "sku", CelValues.normalize(line.sku()),
                "product", CelValues.normalize(line.product()),
                "categories", line.categories() == null ? List.of() : line.categories(),
                "price", line.price(),
                "quantity", line.quantity(),
                "attributes", CelValues.normalizeMap(line.attributes()),
                "amount", line.amount());
    }

    /** The {@code item} map of the cart's line {@code index}, built once by {@link #of}. */
    public Map<String, Object> item(int index) {
        return items.get(index);
    }

    /** A view in which {@code campaign.metadata} is the given campaign's metadata. */
    public Activation forCampaign(Map<String, Object> metadata) {
        Optional<Object> c = Optional.of(Map.of("metadata", CelValues.normalizeMap(metadata)));
        return new Activation(customer, order, context, now, c, extra, items);
    }

    /** A view with one more variable (e.g. {@code event} for event rules), or one replaced. */
    public Activation with(String name, Object value) {
        Map<String, Optional<Object>> more = new HashMap<>(extra);
        more.put(name, Optional.of(CelValues.normalize(value)));
        return new Activation(customer, order, context, now, campaign, Map.copyOf(more), items);
    }

    CelVariableResolver resolver() {
        return resolver;
    }

    CelVariableResolver withItem(Map<String, Object> item) {
        Optional<Object> it = Optional.of(item);
        return name -> "item".equals(name) ? it : find(name);
    }

    private Optional<Object> find(String name) {
        Optional<Object> replaced = extra.isEmpty() ? null : extra.get(name);
        if (replaced != null) return replaced;
        return switch (name) {
            case "customer" -> customer;
            case "order" -> order;
            case "context" -> context;
            case "now" -> now;
            case "campaign" -> campaign;
            default -> Optional.empty();
        };
    }
}
