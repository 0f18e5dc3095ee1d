package io.tessera.automation;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Json;
import io.tessera.discount.Activations;
import io.tessera.discount.Shopper;
import io.tessera.rule.Activation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CEL variables of an automation's condition and points: {@code customer} (the full profile, as campaigns see it),
 * {@code now}, and what the run's trigger data holds ({@code order}, {@code event}, {@code tier}, {@code points}). The
 * trigger data is the JSON stored with the run, so the check when a delayed run comes due sees what the trigger saw.
 */
final class Variables {
    private Variables() {
    }

    static Activation of(Shopper s, JsonNode data, Instant now) {
        Activation.Builder b = Activations.builder(s).now(now);
        JsonNode order = data.get("order");
        if (order != null) {
            b.order(text(order, "id"), text(order, "currency"), order.path("shipping").asLong())
                    .paid(order.path("discount").asLong(), order.path("shippingDiscount").asLong());
            for (JsonNode i : order.path("items")) {
                List<String> categories = new ArrayList<>();
                for (JsonNode c : i.path("categories")) categories.add(c.asText());
                b.item(text(i, "sku"), text(i, "product"), categories, i.path("price").asLong(),
                        i.path("quantity").asLong(), map(i.get("attributes")));
            }
        }
        JsonNode event = data.get("event");
        if (event != null) b.event(text(event, "type"), map(event.get("properties")));
        JsonNode tier = data.get("tier");
        if (tier != null) b.tier(text(tier, "from"), text(tier, "to"), text(tier, "program"));
        JsonNode points = data.get("points");
        if (points != null) {
            b.points(text(points, "program"), points.path("points").asLong(),
                    Instant.parse(points.path("expiresAt").asText()));
        }
        return b.build();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Map<String, Object> map(JsonNode n) {
        return n == null || !n.isObject() ? Map.of() : Json.toMap(n);
    }
}
