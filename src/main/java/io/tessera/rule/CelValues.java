package io.tessera.rule;

import dev.cel.common.values.NullValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts values parsed from JSON into the Java types the CEL runtime computes with: every integer a {@code Long},
 * every decimal a {@code Double}, null as CEL's {@code null}, timestamps as {@code Instant}. A value that needs no
 * change is returned as is, so already-normalised attribute maps cost one read-only walk.
 */
public final class CelValues {
    private CelValues() {
    }

    public static Object normalize(Object value) {
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
            case Map<?, ?> m -> normalizeMap(m);
            case List<?> l -> normalizeList(l);
            default -> value;
        };
    }

    /** The map with normalised values and string keys; the same instance when nothing needed a change. */
    public static Map<String, Object> normalizeMap(Map<?, ?> map) {
        if (map == null) return Map.of();
        Map<String, Object> copy = null;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object v = normalize(e.getValue());
            if (copy == null && (v != e.getValue() || !(e.getKey() instanceof String))) {
                copy = new LinkedHashMap<>();
                for (Map.Entry<?, ?> before : map.entrySet()) {
                    if (before == e) break;
                    copy.put(String.valueOf(before.getKey()), before.getValue());
                }
            }
            if (copy != null) copy.put(String.valueOf(e.getKey()), v);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> same = (Map<String, Object>) map;
        return copy == null ? same : copy;
    }

    private static List<?> normalizeList(List<?> list) {
        List<Object> copy = null;
        for (int i = 0; i < list.size(); i++) {
            Object before = list.get(i);
            Object v = normalize(before);
            if (copy == null && v != before) copy = new ArrayList<>(list.subList(0, i));
            if (copy != null) copy.add(v);
        }
        return copy == null ? list : copy;
    }

    private static Object normalizeDecimal(BigDecimal d) {
        if (d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException tooLarge) {
                return d.doubleValue();
            }
        }
        return d.doubleValue();
    }

    static Object timestampOrNull(Instant instant) {
        return instant == null ? NullValue.NULL_VALUE : instant;
    }
}
