package io.tessera.rule;

import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelVariableResolver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL variables of one evaluation (customer, order, context, now), built once from plain values and shared by
 * every rule: values are adapted to CEL's runtime form here, so no rule converts them again. The fields are those
 * declared in {@link Types}. {@link #forCampaign} returns a cheap view that adds {@code campaign}. Thread-safe.
 */
public final class Activation {
    private static final Optional<Object> NO_CAMPAIGN = Optional.of(new CelMap(Map.of("metadata", CelMap.EMPTY)));

    private final Optional<Object> customer;
    private final Optional<Object> order;
    private final Optional<Object> context;
    private final Optional<Object> now;
    private final Optional<Object> event;
    /** {@code tier} and {@code points}: what an automation's trigger adds (tier_changed, points_expiring). */
    private final Optional<Object> tier;
    private final Optional<Object> points;
    private final Map<String, Object> metadata;
    private final List<CelMap> items;
    private final CelVariableResolver resolver = this::find;
    /** The most elements of any list or map in the variables but {@code campaign} (see {@link Shape#steps}). */
    private final int width;
    /** Built on first read: most rules never read {@code campaign}. Racy but idempotent. */
    private Optional<Object> campaign;

    private Activation(Optional<Object> customer, Optional<Object> order, Optional<Object> context,
                       Optional<Object> now, Optional<Object> event, Optional<Object> tier, Optional<Object> points,
                       Map<String, Object> metadata, List<CelMap> items, int width) {
        this.tier = tier;
        this.points = points;
        this.customer = customer;
        this.order = order;
        this.context = context;
        this.now = now;
        this.event = event;
        this.metadata = metadata;
        this.items = items;
        this.width = width;
    }

    /** Collects the variables; unset parts are an anonymous customer, an empty order, no context and the epoch. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds one activation. Not thread-safe. */
    public static final class Builder {
        private String customerId;
        private Map<String, ?> attributes = Map.of();
        private List<String> segments = List.of();
        private Instant createdAt;
        private long ordersCount;
        private long ordersTotal;
        private Instant lastOrderAt;
        private CelMap loyalty = CelMap.EMPTY;
        private CelMap redeemed = CelMap.EMPTY;
        private CelMap events = CelMap.EMPTY;
        private String orderId;
        private String currency;
        private long shipping;
        private final List<CelMap> items = new ArrayList<>();
        private CelMap context = CelMap.EMPTY;
        private Instant now = Instant.EPOCH;
        private long[] paid;
        private CelMap event;
        private CelMap tier;
        private CelMap points;

        private Builder() {
        }

        /**
         * {@code customer}: {@code id} and {@code createdAt} null for an anonymous order, {@code orders.lastAt}
         * absent when null; {@code isNew} when there is no paid order. {@code loyalty}, {@code redeemed} and
         * {@code events} stay empty unless set (see the other overload and {@link #customerData}).
         */
        public Builder customer(String id, Map<String, ?> attributes, List<String> segments, Instant createdAt,
                                long ordersCount, long ordersTotal, Instant lastOrderAt) {
            this.customerId = id;
            this.attributes = attributes;
            this.segments = segments;
            this.createdAt = createdAt;
            this.ordersCount = ordersCount;
            this.ordersTotal = ordersTotal;
            this.lastOrderAt = lastOrderAt;
            return this;
        }

        /** {@link #customer}, with {@code customer.loyalty}: program name → its balance and tier. */
        public Builder customer(String id, Map<String, ?> attributes, List<String> segments, Instant createdAt,
                                long ordersCount, long ordersTotal, Instant lastOrderAt,
                                Map<String, LoyaltyAccount> loyalty) {
            customer(id, attributes, segments, createdAt, ordersCount, ordersTotal, lastOrderAt);
            Map<String, Object> accounts = new HashMap<>(loyalty.size() * 2);
            loyalty.forEach((program, a) -> accounts.put(program, a.value()));
            this.loyalty = accounts.isEmpty() ? CelMap.EMPTY : new CelMap(Map.copyOf(accounts));
            return this;
        }

        /**
         * {@code customer.redeemed} (campaign name → the customer's standing redemptions of it) and
         * {@code customer.events} (event type → its summary).
         */
        public Builder customerData(Map<String, Long> redeemed, Map<String, EventSummary> events) {
            this.redeemed = redeemed.isEmpty() ? CelMap.EMPTY : new CelMap(Map.copyOf(redeemed));
            Map<String, Object> summaries = new HashMap<>(events.size() * 2);
            events.forEach((type, e) -> summaries.put(type, e.value()));
            this.events = summaries.isEmpty() ? CelMap.EMPTY : new CelMap(Map.copyOf(summaries));
            return this;
        }

        /** One line of {@code order.items}; {@code amount = price × quantity}. */
        public Builder item(String sku, String product, List<String> categories, long price, long quantity,
                            Map<String, ?> attributes) {
            items.add(line(sku, product, categories, price, quantity, attributes));
            return this;
        }

        private static CelMap line(String sku, String product, List<String> categories, long price, long quantity,
                                   Map<String, ?> attributes) {
            return new CelMap(Map.of(
                    "sku", CelValues.normalize(sku),
                    "product", CelValues.normalize(product),
                    "categories", CelValues.list(categories),
                    "price", price,
                    "quantity", quantity,
                    "attributes", CelValues.map(attributes),
                    "amount", price * quantity));
        }

        /** The order's own fields; {@code subtotal} is the sum of the items' amounts. */
        public Builder order(String id, String currency, long shipping) {
            this.orderId = id;
            this.currency = currency;
            this.shipping = shipping;
            return this;
        }

        /** A paid order (loyalty earning): adds {@code discount}, {@code shippingDiscount} and {@code total}. */
        public Builder paid(long discount, long shippingDiscount) {
            this.paid = new long[]{discount, shippingDiscount};
            return this;
        }

        /** {@code event} (loyalty earning on {@code event:<type>}). */
        public Builder event(String type, Map<String, ?> properties) {
            this.event = new CelMap(Map.of("type", CelValues.normalize(type), "properties", CelValues.map(properties)));
            return this;
        }

        /** {@code tier} (automations on {@code tier_changed}): the tier before and after, null for none. */
        public Builder tier(String from, String to, String program) {
            this.tier = new CelMap(Map.of("from", CelValues.normalize(from), "to", CelValues.normalize(to),
                    "program", CelValues.normalize(program)));
            return this;
        }

        /** {@code points} (automations on {@code points_expiring}): the points held and when they expire. */
        public Builder points(String program, long held, Instant expiresAt) {
            this.points = new CelMap(Map.of("program", CelValues.normalize(program), "points", held,
                    "expiresAt", expiresAt));
            return this;
        }

        public Builder context(Map<String, ?> context) {
            this.context = CelValues.map(context);
            return this;
        }

        public Builder now(Instant now) {
            this.now = now == null ? Instant.EPOCH : now;
            return this;
        }

        public Activation build() {
            List<CelMap> lines = List.copyOf(items);
            long subtotal = 0;
            for (CelMap item : lines) subtotal += (Long) item.get("amount");
            CelMap order = orderValue(CelValues.normalize(orderId), CelValues.normalize(currency), subtotal, shipping,
                    lines, paid == null ? null : paid[0], paid == null ? null : paid[1]);
            CelMap customer = customerValue(customerId, attributes, segments, createdAt, ordersCount, ordersTotal,
                    lastOrderAt, loyalty, redeemed, events);
            int width = Math.max(Math.max(customer.width(), order.width()), context.width());
            for (CelMap more : new CelMap[] {event, tier, points}) if (more != null) width = Math.max(width, more.width());
            return new Activation(Optional.of(customer), Optional.of(order), Optional.of(context), Optional.of(now),
                    event == null ? Optional.empty() : Optional.of(event),
                    tier == null ? Optional.empty() : Optional.of(tier),
                    points == null ? Optional.empty() : Optional.of(points), Map.of(), lines, width);
        }

        private static CelMap customerValue(String id, Map<String, ?> attributes, List<String> segments,
                                            Instant createdAt, long ordersCount, long ordersTotal,
                                            Instant lastOrderAt, CelMap loyalty, CelMap redeemed,
                                            CelMap events) {
            Map<String, Object> orders = new HashMap<>(4);
            orders.put("count", ordersCount);
            orders.put("total", ordersTotal);
            if (lastOrderAt != null) orders.put("lastAt", lastOrderAt);
            return new CelMap(Map.of(
                    "id", CelValues.normalize(id),
                    "attributes", CelValues.map(attributes),
                    "segments", CelValues.list(segments),
                    "createdAt", createdAt == null ? NullValue.NULL_VALUE : createdAt,
                    "orders", new CelMap(Map.copyOf(orders)),
                    "isNew", ordersCount == 0,
                    "redeemed", redeemed,
                    "events", events,
                    "loyalty", loyalty));
        }
    }

    /**
     * One entry of {@code customer.loyalty}: the member's balance and tier at the request's instant; {@code tier} is
     * null (the field absent, test with {@code has(...)}) when the member reached none.
     */
    public record LoyaltyAccount(long balance, String tier) {
        CelMap value() {
            return new CelMap(tier == null ? Map.of("balance", balance) : Map.of("balance", balance, "tier", tier));
        }
    }

    /**
     * One entry of {@code customer.events}: how many events of the type the customer sent, and the time and the
     * properties of the latest one ({@code last}, empty once the customer is erased).
     */
    public record EventSummary(long count, Instant lastAt, Map<String, Object> last) {
        CelMap value() {
            return new CelMap(Map.of("count", count, "lastAt", lastAt, "last", CelValues.map(last)));
        }
    }

    /** A view in which {@code campaign.metadata} is the given campaign's metadata. */
    public Activation forCampaign(Map<String, Object> metadata) {
        return new Activation(customer, order, context, now, event, tier, points,
                metadata == null ? Map.of() : metadata, items, width);
    }

    /**
     * This activation with one more line in {@code order.items} (and in {@code order.subtotal}, and {@code order.total}
     * when paid): what a near miss's probe evaluates, many times per request. Only the order is built again; the
     * customer, context and the other lines are shared.
     */
    public Activation withLine(String sku, String product, List<String> categories, long price, long quantity,
                               Map<String, ?> attributes) {
        CelMap line = Builder.line(sku, product, categories, price, quantity, attributes);
        List<CelMap> more = new ArrayList<>(items.size() + 1);
        more.addAll(items);
        more.add(line);
        List<CelMap> lines = List.copyOf(more);
        CelMap o = (CelMap) order.orElseThrow();
        CelMap next = orderValue(o.get("id"), o.get("currency"), (Long) o.get("subtotal") + (Long) line.get("amount"),
                (Long) o.get("shipping"), lines, (Long) o.get("discount"), (Long) o.get("shippingDiscount"));
        return new Activation(customer, Optional.of(next), context, now, event, tier, points, metadata, lines,
                Math.max(width, next.width()));
    }

    /**
     * {@code order}: its id and currency already in runtime form; {@code discount} and {@code shippingDiscount} null
     * for an order not paid yet, else they and {@code total} are in it (what a loyalty earning rule reads).
     */
    private static CelMap orderValue(Object id, Object currency, long subtotal, long shipping, List<CelMap> lines,
                                     Long discount, Long shippingDiscount) {
        CelList items = new CelList(lines);
        if (discount == null) {
            return new CelMap(Map.of("id", id, "currency", currency, "subtotal", subtotal, "shipping", shipping,
                    "items", items));
        }
        return new CelMap(Map.of("id", id, "currency", currency, "subtotal", subtotal, "shipping", shipping,
                "items", items, "discount", discount, "shippingDiscount", shippingDiscount,
                "total", Math.max(0, subtotal + shipping - discount - shippingDiscount)));
    }

    /** The number of order lines, i.e. of {@code item} values a selector is tested on. */
    public int lines() {
        return items.size();
    }

    /**
     * The most elements of any list or map an expression can read here, {@code campaign.metadata}'s only when
     * {@code withCampaign} (building it costs: most rules never read it).
     */
    int width(boolean withCampaign) {
        return withCampaign ? Math.max(width, CelValues.width(campaign().orElseThrow())) : width;
    }

    CelVariableResolver resolver() {
        return resolver;
    }

    /** The variables with {@code item} bound to the order's line {@code index}. */
    CelVariableResolver withItem(int index) {
        Optional<Object> it = Optional.of(items.get(index));
        return name -> "item".equals(name) ? it : find(name);
    }

    private Optional<Object> find(String name) {
        return switch (name) {
            case "customer" -> customer;
            case "order" -> order;
            case "context" -> context;
            case "now" -> now;
            case "event" -> event;
            case "tier" -> tier;
            case "points" -> points;
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
