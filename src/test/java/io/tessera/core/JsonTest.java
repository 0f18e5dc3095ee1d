package io.tessera.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tree walk of {@link Json#toMap} gives what the mapper's {@code convertValue} gives, value type for value type. */
class JsonTest {
    private static final String[] KEYS = {"tier", "ü€", "a\\\"b", "n", ""};
    private final Random random = new Random(7);

    @Test
    void toMapGivesWhatTheMappersConversionGives() {
        for (int i = 0; i < 1000; i++) {
            JsonNode node = Json.parse(object(3).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            @SuppressWarnings("unchecked")
            Map<String, Object> expected = Json.MAPPER.convertValue(node, Map.class);
            Map<String, Object> actual = Json.toMap(node);
            assertThat(actual).as(node.toString()).isEqualTo(expected);
            assertThat(Json.text(actual)).isEqualTo(Json.text(expected));
            assertThat(types(actual)).isEqualTo(types(expected));
        }
    }

    /** The value classes, depth first: equal maps could still hold an Integer where a Long belongs. */
    private static String types(Object v) {
        StringBuilder b = new StringBuilder(v == null ? "null" : v.getClass().getName());
        if (v instanceof Map<?, ?> m) m.values().forEach(x -> b.append('(').append(types(x)).append(')'));
        if (v instanceof java.util.List<?> l) l.forEach(x -> b.append('[').append(types(x)).append(']'));
        return b.toString();
    }

    private String object(int depth) {
        StringBuilder b = new StringBuilder("{");
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            if (i > 0) b.append(',');
            b.append('"').append(KEYS[random.nextInt(KEYS.length)]).append(i).append("\":").append(value(depth));
        }
        return b.append('}').toString();
    }

    private String value(int depth) {
        return switch (random.nextInt(depth > 0 ? 9 : 7)) {
            case 0 -> Long.toString(random.nextLong());
            case 1 -> Integer.toString(random.nextInt(100));
            case 2 -> random.nextInt(1000) + "." + random.nextInt(100) + (random.nextBoolean() ? "0" : "");
            case 3 -> random.nextInt(10) + "e" + (random.nextInt(10) - 5);
            case 4 -> "\"" + KEYS[random.nextInt(KEYS.length)] + "\"";
            case 5 -> random.nextBoolean() ? "true" : "false";
            case 6 -> "null";
            case 7 -> "[" + value(depth - 1) + "," + value(depth - 1) + "]";
            default -> object(depth - 1);
        };
    }
}
