package io.tessera.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The one JSON mapper: integers as long, decimals exact, ISO-8601 instants in microseconds, nulls written out, duplicate
 * keys refused (which of two values a reader keeps is not defined, so a body with both is ambiguous).
 */
public final class Json {
    /**
     * Jackson's buffers come from a shared pool: its default pool keeps them per thread, and each request runs on a
     * virtual thread of its own, so every parse and every answer allocated them anew (4 % of a validation's server CPU).
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder(new com.fasterxml.jackson.core.JsonFactoryBuilder()
                    .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool()).build())
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("instants-in-micros").addSerializer(Instant.class, new InstantSerializer()))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private Json() {
    }

    /**
     * An instant as both databases store it: microseconds, rounded half up (as H2 and the PostgreSQL driver round). Every
     * answer writes instants this way, so one written from memory before it is stored reads exactly like the same one
     * read back later; an instant given by a caller in whole microseconds or coarser is unchanged.
     */
    public static Instant micros(Instant i) {
        int below = i.getNano() % 1000;
        Instant t = i.minusNanos(below);
        return below >= 500 ? t.plusNanos(1000) : t;
    }

    private static final class InstantSerializer extends StdSerializer<Instant> {
        InstantSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(DateTimeFormatter.ISO_INSTANT.format(micros(value)));
        }
    }

    /** Parses a request body; anything that is not one JSON value is a 400 {@code malformed_json}. */
    public static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw Failure.malformed("the request body is empty; a JSON object is expected");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) throw Failure.malformed("empty body");
            return node;
        } catch (InputCoercionException e) {
            // An integer beyond 64 bits is well-formed JSON with a value out of range: name the field like any range.
            throw Failure.invalid(field(e), "must be a whole number between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE);
        } catch (StreamReadException e) {
            // Jackson reports a repeated key (STRICT_DUPLICATE_DETECTION) by this message only, with no type of its own.
            if (e.getOriginalMessage().startsWith("Duplicate field")) {
                String key = field(e);
                throw Failure.malformed(key, "duplicate key " + key + ": a key may appear once in an object");
            }
            throw Failure.malformed("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw Failure.malformed("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (NumberFormatException e) {
            // A number whose exponent is beyond any range (1e40999999999999999999): Jackson refuses it without saying
            // where (a fuzzing finding, CheckoutRequestFuzzTestInputs/exponent-out-of-range).
            throw Failure.malformed("the body is not valid JSON: a number's exponent is out of range");
        } catch (IOException e) {
            // Bytes in memory fail to read only by what they are: e.g. characters invalid in the UTF-16 or UTF-32 that
            // Jackson detected from the first bytes (a fuzzing finding, CheckoutRequestFuzzTestInputs/invalid-utf32).
            throw Failure.malformed("the body is not valid JSON: " + e.getMessage());
        }
    }

    /** The path of the member the parser stood on, as {@link Input} names fields: {@code order.items[0].price}. */
    private static String field(StreamReadException e) {
        if (e.getProcessor() == null) return "body";
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c = e.getProcessor().getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) path.insert(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            else if (c.getCurrentName() != null) path.insert(0, (c.getParent().inRoot() ? "" : ".") + c.getCurrentName());
        }
        return path.isEmpty() || path.charAt(0) == '[' ? "body" + path : path.toString();
    }

    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes JSON straight to a generator, without a tree or map between. */
    @FunctionalInterface
    public interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * The JSON {@code writer} writes, as bytes: for the answers of the hot paths, which are built for every checkout
     * (writing maps through the mapper cost twice as much CPU). {@link JsonGenerator#writePOJO} writes with this
     * mapper's serializers (instants in microseconds).
     */
    public static byte[] write(Writer writer) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(2048);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            writer.write(g);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** Applies an RFC 7396 merge patch to {@code target} in place: null removes a member, objects merge member by member. */
    public static void mergePatch(com.fasterxml.jackson.databind.node.ObjectNode target, JsonNode patch) {
        for (var it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            if (v.isNull()) target.remove(f.getKey());
            else if (v.isObject() && target.get(f.getKey()) instanceof com.fasterxml.jackson.databind.node.ObjectNode o)
                mergePatch(o, v);
            else target.set(f.getKey(), v.deepCopy());
        }
    }

    public static String text(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(JsonNode node) {
        if (!node.isObject()) return MAPPER.convertValue(node, Map.class);
        return (Map<String, Object>) plain(node);
    }

    /**
     * The node as plain values, as {@code convertValue} gives them with this mapper (longs, exact decimals, ordered
     * maps, lists) by walking the tree instead of writing and reading it again: a checkout's attributes and context are
     * converted on every request ({@code JsonTest} holds the two equal).
     */
    private static Object plain(JsonNode n) {
        return switch (n.getNodeType()) {
            case OBJECT -> {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                for (var it = n.fields(); it.hasNext(); ) {
                    var e = it.next();
                    m.put(e.getKey(), plain(e.getValue()));
                }
                yield m;
            }
            case ARRAY -> {
                java.util.List<Object> l = new java.util.ArrayList<>(n.size());
                for (JsonNode e : n) l.add(plain(e));
                yield l;
            }
            case STRING -> n.textValue();
            case NUMBER -> !n.isIntegralNumber() ? n.decimalValue() : n.isBigInteger() ? n.bigIntegerValue() : n.longValue();
            case BOOLEAN -> n.booleanValue();
            case NULL, MISSING -> null;
            case BINARY, POJO -> MAPPER.convertValue(n, Object.class);
        };
    }
}
