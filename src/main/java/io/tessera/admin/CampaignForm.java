package io.tessera.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.core.FieldError;
import io.tessera.core.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The campaign form: every field of the API's campaign definition in words, named by its JSON path (so the API's
 * field errors land next to the field that has them), read back into the JSON the API takes.
 */
public final class CampaignForm {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final List<Frame.Option> NONE = List.of(new Frame.Option("", "(none)"));

    /** One form field. {@code kind}: text, number, select, textarea, checkbox; {@code live}: checked as typed. */
    public record Field(String name, String label, String kind, List<Frame.Option> options, String hint, boolean live,
                 String value, String error) {
        public String id() {
            return "f-" + name.replace('.', '-');
        }

        public String errorId() {
            return id() + "-error";
        }

        Field with(String value, String error) {
            return new Field(name, label, kind, options, hint, live, value, error);
        }
    }

    public record Section(String legend, List<Field> fields) {
    }

    /** The form's fields with values and errors; {@code fixed}: name, type and codes cannot change (edit). */
    public record Form(List<Section> sections, List<FieldError> errors, boolean fixed) {
        /** Errors that name no field of the form, shown above it. */
        public List<FieldError> unplaced() {
            List<String> names = sections.stream().flatMap(s -> s.fields().stream()).map(Field::name).toList();
            return errors.stream().filter(e -> names.stream().noneMatch(n -> owns(n, e.field()))).toList();
        }
    }

    private static List<Frame.Option> options(String... values) {
        List<Frame.Option> o = new ArrayList<>();
        for (String v : values) o.add(new Frame.Option(v, v));
        return o;
    }

    private static List<Frame.Option> optional(String... values) {
        List<Frame.Option> o = new ArrayList<>(NONE);
        o.addAll(options(values));
        return o;
    }

    private static Field f(String name, String label, String kind, String hint) {
        return new Field(name, label, kind, List.of(), hint, false, "", null);
    }

    private static Field cel(String name, String label, String kind, String hint) {
        return new Field(name, label, kind, List.of(), hint, true, "", null);
    }

    private static Field select(String name, String label, List<Frame.Option> options, String hint) {
        return new Field(name, label, "select", options, hint, false, "", null);
    }

    static final List<Section> SECTIONS = List.of(
            new Section("Campaign", List.of(
                    f("name", "Name", "text", "letters, digits, '_', '.', '-'; cannot change later"),
                    select("type", "Type", options("CODES", "AUTO", "REFERRAL", "LOYALTY"),
                            "CODES: customers enter a code; AUTO: applies by itself; LOYALTY: a points program"),
                    f("active", "Active", "checkbox", null),
                    f("startsAt", "Starts at", "text", "ISO-8601 instant, e.g. 2026-11-27T00:00:00Z"),
                    f("endsAt", "Ends at", "text", "ISO-8601 instant"),
                    f("currency", "Currency", "text", "ISO-4217, e.g. USD"))),
            new Section("Codes", List.of(
                    select("codes.mode", "Code mode", optional("UNIVERSAL", "UNIQUE"), "CODES and REFERRAL campaigns"),
                    f("codes.code", "Code", "text", "the universal code"),
                    f("codes.pattern", "Code pattern", "text", "unique codes, e.g. BF-####-####"),
                    f("codes.count", "Number of codes", "number", "unique codes made at once"))),
            new Section("Discount", List.of(
                    select("discount.type", "Discount type", optional("PERCENT", "AMOUNT", "FIXED_PRICE",
                            "FREE_SHIPPING", "FREE_ITEM", "BUY_X_GET_Y", "TIERED"), null),
                    cel("discount.percent", "Percent", "text", "in (0, 100], or a CEL formula"),
                    cel("discount.amount", "Amount", "text", "minor units (cents), or a CEL formula"),
                    cel("discount.max", "Maximum discount", "text", "minor units"),
                    cel("discount.price", "Price", "text", "fixed price or free item's price, minor units"),
                    f("discount.sku", "Free item SKU", "text", null),
                    f("discount.quantity", "Free item quantity", "number", null),
                    cel("discount.buy.selector", "Buy selector", "text", "CEL over item, e.g. item.categories.exists(c, c == \"coffee\")"),
                    f("discount.buy.quantity", "Buy quantity", "number", null),
                    cel("discount.get.selector", "Get selector", "text", "CEL over item"),
                    f("discount.get.quantity", "Get quantity", "number", null),
                    f("discount.maxApplications", "Maximum applications", "number", null),
                    select("discount.basis", "Tier basis", optional("AMOUNT", "QUANTITY"), null),
                    f("discount.tiers", "Tiers", "textarea", "JSON, e.g. [{\"min\": 5000, \"percent\": 10}]"),
                    select("discount.target.scope", "Target scope", optional("ORDER", "ITEMS", "EACH_UNIT", "CHEAPEST",
                            "MOST_EXPENSIVE"), null),
                    cel("discount.target.selector", "Target selector", "text", "CEL over item"))),
            new Section("Condition", List.of(
                    cel("condition", "Condition", "textarea", "CEL, e.g. order.subtotal >= 5000"))),
            new Section("Limits", List.of(
                    f("limits.redemptions", "Total redemptions", "number", null),
                    f("limits.perCode", "Per code", "number", null),
                    f("limits.perCustomer", "Per customer", "number", null),
                    f("limits.perCustomerPerPeriod.count", "Per customer per period", "number", null),
                    select("limits.perCustomerPerPeriod.period", "Customer period", optional("DAY", "WEEK", "MONTH"), null),
                    f("limits.perPeriod.count", "Per period", "number", null),
                    select("limits.perPeriod.period", "Period", optional("DAY", "WEEK", "MONTH"), null),
                    f("limits.budget.discount", "Discount budget", "number", "minor units"),
                    f("limits.budget.orders", "Order value budget", "number", "minor units"))),
            new Section("Stacking", List.of(
                    f("stacking.priority", "Priority", "number", "higher applies first"),
                    f("stacking.exclusive", "Exclusive", "checkbox", null),
                    f("stacking.group", "Group", "text", "at most one campaign per group applies"))),
            new Section("Referral and loyalty", List.of(
                    f("referral.referrerReward.points", "Referrer reward points", "number", null),
                    f("referral.referrerReward.program", "Referrer reward program", "text", null),
                    f("referral.referrerReward.campaign", "Referrer reward campaign", "text", null),
                    f("loyalty", "Loyalty settings", "textarea", "LOYALTY campaigns: JSON with earning, tiers, expiry"))));

    /** Fields whose text is JSON (parsed as such when it is). */
    private static final List<String> JSON_FIELDS = List.of("discount.tiers", "loyalty");
    private static final List<String> CHECKBOXES = List.of("active", "stacking.exclusive");
    private static final List<String> NUMBERS = List.of("codes.count", "discount.quantity", "discount.buy.quantity",
            "discount.get.quantity", "discount.maxApplications", "limits.redemptions", "limits.perCode",
            "limits.perCustomer", "limits.perCustomerPerPeriod.count", "limits.perPeriod.count",
            "limits.budget.discount", "limits.budget.orders", "stacking.priority", "referral.referrerReward.points",
            "discount.percent", "discount.amount", "discount.max", "discount.price");

    static Form empty() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("active", "on");
        values.put("type", "CODES");
        values.put("codes.mode", "UNIVERSAL");
        values.put("discount.type", "PERCENT");
        return form(values, List.of(), false);
    }

    /** The form filled with {@code values}, each error next to its field. */
    static Form form(Map<String, String> values, List<FieldError> errors, boolean fixed) {
        List<Section> sections = new ArrayList<>();
        for (Section s : SECTIONS) {
            List<Field> fields = new ArrayList<>();
            for (Field f : s.fields()) {
                String error = errors.stream().filter(e -> owns(f.name(), e.field())).map(FieldError::message)
                        .reduce((a, b) -> a + "; " + b).orElse(null);
                fields.add(f.with(values.getOrDefault(f.name(), ""), error));
            }
            sections.add(new Section(s.legend(), fields));
        }
        return new Form(sections, errors, fixed);
    }

    /** True when an error at JSON path {@code path} belongs to the field {@code name}. */
    static boolean owns(String name, String path) {
        return path.equals(name) || path.startsWith(name + ".") || path.startsWith(name + "[");
    }

    /** The submitted values of the form's fields (checkboxes: "on" or absent). */
    static Map<String, String> values(Map<String, List<String>> params) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Section s : SECTIONS) {
            for (Field f : s.fields()) {
                List<String> v = params.get(f.name());
                if (v != null && !v.isEmpty()) values.put(f.name(), v.get(0));
            }
        }
        return values;
    }

    /** The API's JSON for {@code values}: empty fields are left out, numbers become numbers. */
    static ObjectNode json(Map<String, String> values) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (var e : values.entrySet()) {
            String name = e.getKey(), text = e.getValue().trim();
            if (CHECKBOXES.contains(name)) continue;
            if (text.isEmpty()) continue;
            JsonNode value;
            if (JSON_FIELDS.contains(name)) {
                value = parseOrText(text);
            } else if (NUMBERS.contains(name) && NUMBER.matcher(text).matches()) {
                value = text.contains(".") ? JsonNodeFactory.instance.numberNode(new java.math.BigDecimal(text))
                        : JsonNodeFactory.instance.numberNode(Long.parseLong(text));
            } else {
                value = JsonNodeFactory.instance.textNode(text);
            }
            put(root, name, value);
        }
        root.put("active", "on".equals(values.get("active")));
        if ("on".equals(values.get("stacking.exclusive"))) put(root, "stacking.exclusive",
                JsonNodeFactory.instance.booleanNode(true));
        return root;
    }

    private static JsonNode parseOrText(String text) {
        try {
            return Json.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return JsonNodeFactory.instance.textNode(text); // the API names the field
        }
    }

    private static void put(ObjectNode root, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode at = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = at.get(parts[i]);
            at = next instanceof ObjectNode o ? o : at.putObject(parts[i]);
        }
        at.set(parts[parts.length - 1], value);
    }

    /** The form's values for a saved definition (the edit form). */
    static Map<String, String> values(JsonNode definition) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Section s : SECTIONS) {
            for (Field f : s.fields()) {
                JsonNode v = definition.at("/" + f.name().replace('.', '/'));
                if (v.isMissingNode() || v.isNull()) continue;
                if (CHECKBOXES.contains(f.name())) {
                    if (v.asBoolean()) values.put(f.name(), "on");
                } else {
                    values.put(f.name(), v.isValueNode() ? v.asText() : Json.text(v));
                }
            }
        }
        return values;
    }

    /**
     * The merge patch (RFC 7396) that turns {@code current} into {@code desired} for the members the form manages:
     * members the form left empty are removed (null), not kept.
     */
    static ObjectNode patch(JsonNode current, ObjectNode desired) {
        ObjectNode patch = diff(current, desired);
        // Members the form does not show (metadata, display) are the API's to change: leave them as they are.
        // Name, type and codes cannot change (the form shows them read-only).
        patch.remove(List.of("metadata", "display", "name", "type", "codes"));
        return patch;
    }

    private static ObjectNode diff(JsonNode current, JsonNode desired) {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        for (Iterator<String> it = current.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!desired.has(k)) patch.putNull(k);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode before = current.get(e.getKey());
            if (e.getValue().isObject() && before != null && before.isObject()) patch.set(e.getKey(), diff(before, e.getValue()));
            else patch.set(e.getKey(), e.getValue());
        }
        return patch;
    }
}
