package io.tessera.rule;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.NullableType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The declared types of the CEL variables. Records are {@link StructType}s known to the checker through
 * {@link #PROVIDER}, so {@code item.cats} or {@code order.subtotal >= 'abc'} fail at save time; only
 * {@code attributes}, {@code metadata}, {@code context} and event {@code properties} are free maps. At run time a
 * record is a {@link CelMap}, which the runtime selects fields from as a {@code SelectableValue}.
 *
 * <p>Each kind of expression sees its own set of {@link Variable}s (see {@link Rules}); a later kind (e.g. loyalty
 * earning rules reading {@code order.total}) declares a record with {@link #struct} and lists its variables, reusing
 * these declarations.
 */
final class Types {
    private static final CelType INT = SimpleType.INT;
    private static final CelType STRING = SimpleType.STRING;
    private static final CelType TIMESTAMP = SimpleType.TIMESTAMP;
    private static final CelType FREE_MAP = MapType.create(STRING, SimpleType.DYN);
    private static final CelType STRINGS = ListType.create(STRING);

    static final StructType CUSTOMER_ORDERS = struct("tessera.CustomerOrders",
            "count", INT, "total", INT, "lastAt", TIMESTAMP);
    static final StructType EVENT_SUMMARY = struct("tessera.EventSummary",
            "count", INT, "lastAt", TIMESTAMP, "last", FREE_MAP);
    static final StructType LOYALTY_ACCOUNT = struct("tessera.LoyaltyAccount", "balance", INT, "tier", STRING);
    static final StructType CUSTOMER = struct("tessera.Customer",
            // id and createdAt are null for an anonymous order: nullable, so `customer.id == null` checks.
            "id", NullableType.create(STRING),
            "attributes", FREE_MAP,
            "segments", STRINGS,
            "createdAt", TIMESTAMP,
            "orders", CUSTOMER_ORDERS,
            "isNew", SimpleType.BOOL,
            "redeemed", MapType.create(STRING, INT),
            "events", MapType.create(STRING, EVENT_SUMMARY),
            "loyalty", MapType.create(STRING, LOYALTY_ACCOUNT));
    static final StructType ITEM = struct("tessera.Item",
            "sku", STRING, "product", NullableType.create(STRING), "categories", STRINGS, "price", INT,
            "quantity", INT, "attributes", FREE_MAP, "amount", INT);
    static final StructType ORDER = struct("tessera.Order",
            "id", NullableType.create(STRING), "currency", NullableType.create(STRING), "subtotal", INT,
            "shipping", INT, "items", ListType.create(ITEM));
    /** The order a loyalty earning rule sees: the paid order with its discounts and {@code total}. */
    static final StructType PAID_ORDER = struct("tessera.PaidOrder",
            "id", NullableType.create(STRING), "currency", NullableType.create(STRING), "subtotal", INT,
            "shipping", INT, "discount", INT, "shippingDiscount", INT, "total", INT, "items", ListType.create(ITEM));
    static final StructType CAMPAIGN = struct("tessera.Campaign", "metadata", FREE_MAP);
    static final StructType EVENT = struct("tessera.Event", "type", STRING, "properties", FREE_MAP);
    /** An automation's {@code tier_changed} trigger: the member's tier before and after (null: none), in a program. */
    static final StructType TIER_CHANGE = struct("tessera.TierChange",
            "from", NullableType.create(STRING), "to", NullableType.create(STRING), "program", STRING);
    /** An automation's {@code points_expiring} trigger: the points of one earning still held, and when they expire. */
    static final StructType EXPIRING_POINTS = struct("tessera.ExpiringPoints",
            "program", STRING, "points", INT, "expiresAt", TIMESTAMP);

    /** Lets the checker find the records' fields by type name. */
    static final CelTypeProvider PROVIDER = provider(List.of(CUSTOMER_ORDERS, EVENT_SUMMARY, LOYALTY_ACCOUNT,
            CUSTOMER, ITEM, ORDER, PAID_ORDER, CAMPAIGN, EVENT, TIER_CHANGE, EXPIRING_POINTS));

    /** A top-level variable an expression may read. */
    record Variable(String name, CelType type) {
        static final Variable CUSTOMER = new Variable("customer", Types.CUSTOMER);
        static final Variable ORDER = new Variable("order", Types.ORDER);
        static final Variable PAID_ORDER = new Variable("order", Types.PAID_ORDER);
        static final Variable CONTEXT = new Variable("context", FREE_MAP);
        static final Variable NOW = new Variable("now", TIMESTAMP);
        static final Variable CAMPAIGN = new Variable("campaign", Types.CAMPAIGN);
        static final Variable EVENT = new Variable("event", Types.EVENT);
        static final Variable ITEM = new Variable("item", Types.ITEM);
        static final Variable TIER = new Variable("tier", Types.TIER_CHANGE);
        static final Variable POINTS = new Variable("points", Types.EXPIRING_POINTS);
    }

    private Types() {
    }

    /** A record type from alternating field names and types. */
    static StructType struct(String name, Object... fieldsAndTypes) {
        Map<String, CelType> fields = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndTypes.length; i += 2) {
            fields.put((String) fieldsAndTypes[i], (CelType) fieldsAndTypes[i + 1]);
        }
        Map<String, CelType> frozen = Map.copyOf(fields);
        return StructType.create(name, ImmutableSet.copyOf(fields.keySet()),
                field -> Optional.ofNullable(frozen.get(field)));
    }

    private static CelTypeProvider provider(List<StructType> types) {
        ImmutableList<CelType> all = ImmutableList.copyOf(types);
        Map<String, CelType> byName = new LinkedHashMap<>();
        for (StructType t : types) byName.put(t.name(), t);
        Map<String, CelType> frozen = Map.copyOf(byName);
        return new CelTypeProvider() {
            @Override
            public ImmutableList<CelType> types() {
                return all;
            }

            @Override
            public Optional<CelType> findType(String typeName) {
                return Optional.ofNullable(frozen.get(typeName));
            }
        };
    }
}
