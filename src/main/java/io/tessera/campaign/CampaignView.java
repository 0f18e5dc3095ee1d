package io.tessera.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A campaign as the API shows it. Every documented field is present, {@code null} when it has no value — also inside
 * {@code discount} (e.g. {@code target}, {@code max}), {@code limits} and {@code stacking} — so clients never have to
 * tell "absent" from "null".
 */
public record CampaignView(String id, String name, String type, boolean active, JsonNode startsAt, JsonNode endsAt,
                           JsonNode codes, JsonNode condition, JsonNode discount, JsonNode limits, JsonNode stacking,
                           JsonNode currency, JsonNode metadata, JsonNode display, JsonNode loyalty, JsonNode referral, boolean archived,
                           Instant createdAt, Instant updatedAt) {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** The documented members of each discount type, and the default of each one that has one. */
    private static final Map<String, List<String>> DISCOUNT_FIELDS = Map.of(
            "PERCENT", List.of("percent", "max", "target"),
            "AMOUNT", List.of("amount", "target"),
            "FIXED_PRICE", List.of("price", "target"),
            "FREE_SHIPPING", List.of("max"),
            "FREE_ITEM", List.of("sku", "quantity", "price", "product", "categories"),
            "BUY_X_GET_Y", List.of("buy", "get", "percent", "maxApplications"),
            "TIERED", List.of("basis", "tiers", "target"));

    public static CampaignView of(Campaign c) {
        ObjectNode d = c.definition();
        return new CampaignView(c.id(), c.name(), d.path("type").asText(), d.path("active").asBoolean(true),
                orNull(d, "startsAt"), orNull(d, "endsAt"), orNull(d, "codes"), orNull(d, "condition"),
                discount(d.path("discount")), limits(d.path("limits")), stacking(d.path("stacking")),
                orNull(d, "currency"), orNull(d, "metadata"), orNull(d, "display"), loyalty(d.path("loyalty")),
                referral(d.path("referral")), c.archived(), c.createdAt(), c.updatedAt());
    }

    private static JsonNode orNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null ? NullNode.instance : v;
    }

    private static JsonNode discount(JsonNode d) {
        if (!d.isObject()) return NullNode.instance;
        String type = d.path("type").asText();
        ObjectNode out = F.objectNode().put("type", type);
        for (String f : DISCOUNT_FIELDS.getOrDefault(type, List.of())) out.set(f, orNull(d, f));
        if (out.has("target")) {
            String defaultScope = type.equals("FIXED_PRICE") ? "EACH_UNIT" : "ORDER";
            JsonNode t = d.path("target");
            out.set("target", F.objectNode().put("scope", t.path("scope").asText(defaultScope))
                    .set("selector", orNull(t, "selector")));
        }
        if (type.equals("FREE_ITEM") && out.get("quantity").isNull()) out.put("quantity", 1);
        if (type.equals("BUY_X_GET_Y") && out.get("percent").isNull()) out.put("percent", 100);
        if (type.equals("TIERED") && out.get("basis").isNull()) out.put("basis", "AMOUNT");
        return out;
    }

    /** A program's section with its defaults filled in: every documented member present. */
    private static JsonNode loyalty(JsonNode l) {
        if (!l.isObject()) return NullNode.instance;
        ObjectNode out = F.objectNode();
        var earning = out.putArray("earning");
        for (JsonNode r : l.path("earning")) {
            ObjectNode rule = earning.addObject();
            for (String f : List.of("name", "on", "condition", "points", "limit")) rule.set(f, orNull(r, f));
            rule.put("pendingDays", r.path("pendingDays").asInt(0));
        }
        var tiers = out.putArray("tiers");
        for (JsonNode t : l.path("tiers")) {
            tiers.addObject().put("name", t.path("name").asText()).put("min", t.path("min").asLong())
                    .set("multiplier", t.has("multiplier") ? t.get("multiplier") : F.numberNode(1));
        }
        out.put("tierBasis", l.path("tierBasis").asText("EARNED_LIFETIME"));
        JsonNode e = l.path("expiry");
        out.set("expiry", e.isObject() ? F.objectNode().<ObjectNode>set("afterDays", orNull(e, "afterDays"))
                .set("notifyDaysBefore", orNull(e, "notifyDaysBefore")) : NullNode.instance);
        out.set("pointValue", orNull(l, "pointValue"));
        return out;
    }

    /** A referral section with every member present: the reward is points of a program or a code of a campaign. */
    private static JsonNode referral(JsonNode r) {
        if (!r.isObject()) return NullNode.instance;
        JsonNode w = r.path("referrerReward");
        ObjectNode reward = F.objectNode();
        if (w.has("campaign")) reward.set("campaign", w.get("campaign"));
        else reward.<ObjectNode>set("points", orNull(w, "points")).set("program", orNull(w, "program"));
        return F.objectNode().<ObjectNode>set("referrerReward", reward)
                .put("conversion", r.path("conversion").asText("order_paid"));
    }

    private static JsonNode limits(JsonNode l) {
        ObjectNode out = F.objectNode();
        for (String f : List.of("redemptions", "perCode", "perCustomer", "perCustomerPerPeriod", "perPeriod"))
            out.set(f, orNull(l, f));
        JsonNode b = l.path("budget");
        out.set("budget", F.objectNode().<ObjectNode>set("discount", orNull(b, "discount"))
                .set("orders", orNull(b, "orders")));
        return out;
    }

    private static JsonNode stacking(JsonNode s) {
        return F.objectNode().put("priority", s.path("priority").asInt(0))
                .put("exclusive", s.path("exclusive").asBoolean(false)).set("group", orNull(s, "group"));
    }
}
