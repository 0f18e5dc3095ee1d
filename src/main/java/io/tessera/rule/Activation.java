package io.tessera.rule;

import dev.cel.common.values.NullValue;
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
 * The CEL variables of one evaluation (customer, order, context, now), built once and shared by every rule: maps are
 * adapted to CEL's runtime form here, so no rule converts them again. {@link #forCampaign} and {@link #with} return
 * cheap views that add a variable. Thread-safe.
 */
public final class Activation {
    private static final Optional<Object> NO_CAMPAIGN = Optional.of(new CelMap(Map.of("metadata", CelMap.EMPTY)));

    private final Optional<Object> customer;
    private final Optional<Object> order;
    private final Optional<Object> context;
    private final Optional<Object> now;
    private final Map<String, Object> metadata;
    private final Map<String, Optional<Object>> extra;
    private final List<Map<String, Object>> items;
    private final CelVariableResolver resolver = this::find;
    /** Built on first read: most rules never read {@code campaign}. Racy but idempotent. */
    private Optional<Object> campaign;

    private Activation(Optional<Object> customer, Optional<Object> order, Optional<Object> context,
                       Optional<Object> now, Map<String, Object> metadata, Map<String, Optional<Object>> extra,
                       List<Map<String, Object>> items) {
        this.customer = customer;
        this.order = order;
        this.context = context;
        this.now = now;
        this.metadata = metadata;
        this.extra = extra;
        this.items = items;
    }

    /**
     * Builds the variables: {@code customer} (id, attributes, segments, createdAt, orders {count, total}, isNew),
     * {@code order} (currency, subtotal, shipping, items), {@code context}, {@code now}. A null cart is an empty order.
     */
    public static Activation of(Shopper shopper, Cart cart, Map<String, Object> context, Instant now) {
        Shopper s = shopper == null ? Shopper.ANONYMOUS : shopper;
        CelMap customer = new CelMap(Map.of(
                "id", CelValues.normalize(s.id()),
                "attributes", CelValues.map(s.attributes()),
                "segments", CelValues.list(s.segments()),
                "createdAt", s.createdAt() == null ? NullValue.NULL_VALUE : s.createdAt(),
                "orders", new CelMap(Map.of("count", s.ordersCount(), "total", s.ordersTotal())),
                "isNew", s.isNew()));
        List<Map<String, Object>> items = new ArrayList<>(cart == null ? 0 : cart.lines().size());
        if (cart != null) for (CartLine line : cart.lines()) items.add(item(line));
        List<Map<String, Object>> frozen = List.copyOf(items);
        CelMap order = new CelMap(Map.of(
                "currency", CelValues.normalize(cart == null ? null : cart.currency()),
                "subtotal", cart == null ? 0L : cart.subtotal(),
                "shipping", cart == null ? 0L : cart.shipping(),
                "items", frozen));
        return new Activation(Optional.of(customer), Optional.of(order), Optional.of(CelValues.map(context)),
                Optional.of(now == null ? Instant.EPOCH : now), Map.of(), Map.of(), frozen);
    }

    /** The {@code item} variable for one line: sku, product, categories, price, quantity, attributes, amount. */
    public static Map<String, Object> item(CartLine line) {
        return new CelMap(Map.of(
                "sku", CelValues.normalize(line.sku()),
                "product", CelValues.normalize(line.product()),
                "categories", CelValues.list(line.categories()),
                "price", line.price(),
                "quantity", line.quantity(),
                "attributes", CelValues.map(line.attributes()),
                "amount", line.amount()));
    }

    /** The {@code item} map of the cart's line {@code index}, built once by {@link #of}. */
    public Map<String, Object> item(int index) {
        return items.get(index);
    }

    /** A view in which {@code campaign.metadata} is the given campaign's metadata. */
    public Activation forCampaign(Map<String, Object> metadata) {
        return new Activation(customer, order, context, now, metadata == null ? Map.of() : metadata, extra, items);
    }

    /** A view with one more variable (e.g. {@code event} for event rules), or one replaced. */
    public Activation with(String name, Object value) {
        Map<String, Optional<Object>> more = new HashMap<>(extra);
        more.put(name, Optional.of(CelValues.normalize(value)));
        return new Activation(customer, order, context, now, metadata, Map.copyOf(more), items);
    }

    CelVariableResolver resolver() {
        return resolver;
    }

    CelVariableResolver withItem(Map<String, Object> item) {
        Optional<Object> it = Optional.of(item instanceof CelMap ? item : CelValues.map(item));
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
            case "campaign" -> campaign();
            default -> Optional.empty();
        };
    }

    private Optional<Object> campaign() {
        Optional<Object> c = campaign;
        if (c == null) {
            c = metadata.isEmpty() ? NO_CAMPAIGN : Optional.of(new CelMap(Map.of("metadata", CelValues.map(metadata))));
            campaign = c;
        }
        return c;
    }
}
