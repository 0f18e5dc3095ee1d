package io.tessera.rule;

import dev.cel.common.values.NullValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts values parsed from JSON into the runtime form CEL computes with: every integer a {@code Long}, every
 * decimal a {@code Double}, null as CEL's {@code null}, timestamps as {@code Instant}, maps as {@link CelMap}, lists
 * as {@link CelList}.
 */
final class CelValues {
    private CelValues() {
    }

    static Object normalize(Object value) {
        return switch (value) {
            case null -> NullValue.NULL_VALUE;
            case Long l -> l;
            case String s -> s;
            case Boolean b -> b;
            case Double d -> d;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Float f -> f.doubleValue();
            case BigInteger i -> i.bitLength() < 64 ? (Object) i.longValue() : i.doubleValue();
            case BigDecimal d -> normalizeDecimal(d);
            case OffsetDateTime t -> t.toInstant();
            case ZonedDateTime t -> t.toInstant();
            case Map<?, ?> m -> map(m);
            case List<?> l -> list(l);
            default -> value;
        };
    }

    /** The map as a {@link CelMap} of runtime values; null is the empty map. */
    static CelMap map(Map<?, ?> map) {
        if (map == null || map.isEmpty()) return CelMap.EMPTY;
        if (map instanceof CelMap adapted) return adapted;
        Map<String, Object> entries = new HashMap<>((int) (map.size() / 0.75f) + 1);
        for (Map.Entry<?, ?> e : map.entrySet()) entries.put(String.valueOf(e.getKey()), normalize(e.getValue()));
        return new CelMap(entries);
    }

    /** The list as a {@link CelList} of runtime values; null is the empty list. */
    static CelList list(List<?> list) {
        if (list == null || list.isEmpty()) return CelList.EMPTY;
        if (list instanceof CelList adapted) return adapted;
        List<Object> values = new ArrayList<>(list.size());
        for (Object v : list) values.add(normalize(v));
        return new CelList(values);
    }

    /**
     * The most elements of the value, if a list or map, or of any list or map in it; 0 for a scalar. Variables hold
     * only {@link CelMap}s and {@link CelList}s, which know theirs; a plain collection is measured too, because
     * counting it as 0 would let an unbounded loop skip its meter.
     */
    static int width(Object value) {
        return switch (value) {
            case CelMap m -> m.width();
            case CelList l -> l.width();
            case java.util.Collection<?> c -> c.stream().mapToInt(CelValues::width).reduce(c.size(), Math::max);
            case Map<?, ?> m -> m.values().stream().mapToInt(CelValues::width).reduce(m.size(), Math::max);
            case null, default -> 0;
        };
    }

    private static Object normalizeDecimal(BigDecimal d) {
        if (d.stripTrailingZeros().scale() <= 0) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException tooLarge) {
                return d.doubleValue();
            }
        }
        return d.doubleValue();
    }
}
