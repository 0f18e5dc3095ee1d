package io.tessera.customer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.core.Json;
import io.tessera.rule.Activation.EventSummary;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The customer data kept on the customer row for conditions: {@code customer.redeemed} and {@code customer.events},
 * stored as JSON text ({@code {"blackfriday": 2}}; {@code {"car_viewed": {"count": 3, "lastAt": <epoch µs>, "last":
 * {...}}}}) so that a validation reads them with the customer, in one indexed read. Bounded: at most
 * {@link #MAX_EVENT_TYPES} types (the least recently seen is dropped for a new one), and a {@code last} whose JSON is
 * longer than {@link #MAX_LAST_CHARS} characters is kept empty.
 */
public final class CustomerData {
    public static final int MAX_EVENT_TYPES = 100;
    public static final int MAX_LAST_CHARS = 4096;

    private CustomerData() {
    }

    /** The summary with one more event of {@code type}; {@code last}/{@code lastAt} move only to a newer event. */
    public static Map<String, EventSummary> withEvent(Map<String, EventSummary> events, String type,
                                                      Map<String, Object> properties, Instant at) {
        Map<String, EventSummary> out = new LinkedHashMap<>(events);
        EventSummary old = out.get(type);
        Map<String, Object> last = Json.text(properties).length() <= MAX_LAST_CHARS ? properties : Map.of();
        if (old == null) {
            while (out.size() >= MAX_EVENT_TYPES) {
                // The type seen least recently makes room: conditions are about what a customer does now.
                out.entrySet().stream().min(Comparator.comparing((Map.Entry<String, EventSummary> e) -> e.getValue().lastAt()))
                        .map(Map.Entry::getKey).ifPresent(out::remove);
            }
            out.put(type, new EventSummary(1, at, last));
        } else if (at.isBefore(old.lastAt())) {
            // An event told late (an older timestamp) counts, but the latest one stays the latest.
            out.put(type, new EventSummary(old.count() + 1, old.lastAt(), old.last()));
        } else {
            out.put(type, new EventSummary(old.count() + 1, at, last));
        }
        return out;
    }

    /** The summary without what the events said ({@code last} emptied): counts and times are not personal data. */
    public static Map<String, EventSummary> forgotten(Map<String, EventSummary> events) {
        Map<String, EventSummary> out = new LinkedHashMap<>();
        events.forEach((type, e) -> out.put(type, new EventSummary(e.count(), e.lastAt(), Map.of())));
        return out;
    }

    /** Two summaries of one person (an erased id that came back): counts add up, the newest {@code last} wins. */
    public static Map<String, EventSummary> merged(Map<String, EventSummary> a, Map<String, EventSummary> b) {
        Map<String, EventSummary> out = new LinkedHashMap<>(a);
        b.forEach((type, e) -> out.merge(type, e, (x, y) -> {
            EventSummary newer = y.lastAt().isBefore(x.lastAt()) ? x : y;
            return new EventSummary(x.count() + y.count(), newer.lastAt(), newer.last());
        }));
        while (out.size() > MAX_EVENT_TYPES) {
            out.entrySet().stream().min(Comparator.comparing((Map.Entry<String, EventSummary> e) -> e.getValue().lastAt()))
                    .map(Map.Entry::getKey).ifPresent(out::remove);
        }
        return out;
    }

    /** {@code redeemed} with {@code delta} added for each campaign; a count that reaches 0 is removed. */
    public static Map<String, Long> withRedeemed(Map<String, Long> redeemed, Collection<String> campaigns, long delta) {
        Map<String, Long> out = new LinkedHashMap<>(redeemed);
        for (String c : campaigns) {
            long n = out.getOrDefault(c, 0L) + delta;
            if (n > 0) out.put(c, n);
            else out.remove(c);
        }
        return out;
    }

    /** Two {@code redeemed} maps added up. */
    public static Map<String, Long> summed(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> out = new LinkedHashMap<>(a);
        b.forEach((c, n) -> out.merge(c, n, Long::sum));
        return out;
    }

    /** The later of two instants, either of which may be null. */
    static Instant latest(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isAfter(b) ? a : b;
    }

    static String eventsText(Map<String, EventSummary> events) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        events.forEach((type, e) -> {
            ObjectNode o = root.putObject(type);
            o.put("count", e.count());
            o.put("lastAt", micros(e.lastAt()));
            o.set("last", Json.MAPPER.valueToTree(e.last()));
        });
        return Json.text(root);
    }

    @SuppressWarnings("unchecked")
    static Map<String, EventSummary> events(String text) {
        if (text == null || text.equals("{}")) return Map.of();
        Map<String, EventSummary> out = new LinkedHashMap<>();
        for (var it = Json.parse(text).fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode o = e.getValue();
            out.put(e.getKey(), new EventSummary(o.get("count").asLong(), instant(o.get("lastAt").asLong()),
                    Json.MAPPER.convertValue(o.get("last"), Map.class)));
        }
        return out;
    }

    static String redeemedText(Map<String, Long> redeemed) {
        return Json.text(redeemed);
    }

    static Map<String, Long> redeemed(String text) {
        if (text == null || text.equals("{}")) return Map.of();
        Map<String, Long> out = new LinkedHashMap<>();
        for (var it = Json.parse(text).fields(); it.hasNext(); ) {
            var e = it.next();
            out.put(e.getKey(), e.getValue().asLong());
        }
        return out;
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
