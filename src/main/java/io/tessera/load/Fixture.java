package io.tessera.load;

import io.tessera.core.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project the load runs in, set up through the API: given the root key, a scratch project of its own; given a
 * project's admin key, that project, whose campaigns created here are archived again at the end. It holds 100
 * automatic promotions with CEL conditions (about a third hold for the cart, a quarter are near misses by subtotal),
 * one public universal code, a hot code with a large total limit, a code limited to one redemption per customer, a
 * UNIQUE campaign for bulk generation, and one of {@link #UNIQUE} unique codes redeemable without limit. Names carry
 * the run's id so runs in one project never collide.
 */
final class Fixture {
    static final int AUTOMATIC = 100;
    /** Codes per generation request: the most the server generates inline (a larger count becomes a job). */
    static final int GENERATED_PER_REQUEST = 1_000;
    /** The unique codes {@code redeem-unique} takes in turn. */
    static final int UNIQUE = 1_000;

    final String run;
    final String key;
    final String code;
    final String hotCode;
    final String onceCode;
    final String generation;
    /** The codes of the unique campaign, read once it was made. */
    final List<String> uniqueCodes = new ArrayList<>();
    private final boolean scratch;
    private final List<String> created = new ArrayList<>();

    private Fixture(String run, String key, boolean scratch) {
        this.run = run;
        this.key = key;
        this.scratch = scratch;
        this.code = "LOAD" + run.toUpperCase();
        this.hotCode = "HOT" + run.toUpperCase();
        this.onceCode = "ONCE" + run.toUpperCase();
        this.generation = "ld" + run + "-gen";
    }

    static Fixture create(Http http, String givenKey, String run) throws IOException {
        Http.Response project = http.send("POST", "/v1/projects", givenKey,
                Map.of("name", "load-" + run, "currency", "USD"));
        Fixture f;
        if (project.statusCode() == 201) {
            f = new Fixture(run, Json.parse(project.body()).get("apiKey").asText(), true);
        } else if (project.statusCode() == 401 || project.statusCode() == 403) {
            // Not the root key: a project's key, which must be an admin one to create the campaigns.
            http.expect(200, "GET", "/v1/project", givenKey, null);
            f = new Fixture(run, givenKey, false);
        } else {
            throw new Http.SetupFailed("POST /v1/projects answered " + project.statusCode() + ": " + project.body());
        }
        f.campaigns(http);
        return f;
    }

    private void campaigns(Http http) throws IOException {
        for (int i = 0; i < AUTOMATIC; i++) {
            Map<String, Object> c = campaign("auto" + i, "AUTO");
            int sku = i % 20;
            switch (i % 4) {
                // Subtotal thresholds from 20,000 to 39,800: the cart (27,700) reaches the lower ones; the others
                // are the near misses of a qualification.
                case 0 -> {
                    c.put("condition", "order.subtotal >= " + (20_000 + i * 200));
                    c.put("discount", Map.of("type", "AMOUNT", "amount", 100 + i));
                }
                case 1 -> {
                    c.put("condition", "customer.attributes.country == 'DE' && order.items.exists(x, x.sku == 'SKU-"
                            + sku + "')");
                    c.put("discount", Map.of("type", "PERCENT", "percent", 5,
                            "target", Map.of("scope", "ITEMS", "selector", "item.sku == 'SKU-" + sku + "'")));
                }
                case 2 -> {
                    c.put("condition", "customer.attributes.tier == '" + (i % 3 == 0 ? "gold" : "silver")
                            + "' && order.subtotal >= " + (i * 300));
                    c.put("discount", Map.of("type", "PERCENT", "percent", 1 + i % 10, "max", 1000));
                }
                default -> {
                    c.put("condition", "order.items.exists(x, 'c" + (i % 5) + "' in x.categories && x.quantity >= 2)"
                            + " && context.channel == 'web'");
                    c.put("discount", Map.of("type", "AMOUNT", "amount", 50));
                }
            }
            post(http, c);
        }
        Map<String, Object> universal = campaign("code", "CODES");
        universal.put("codes", Map.of("mode", "UNIVERSAL", "code", code));
        universal.put("condition", "order.subtotal >= 1000");
        universal.put("discount", Map.of("type", "PERCENT", "percent", 10, "max", 5000));
        universal.put("metadata", Map.of("public", true));
        post(http, universal);
        Map<String, Object> hot = campaign("hot", "CODES");
        hot.put("codes", Map.of("mode", "UNIVERSAL", "code", hotCode));
        hot.put("discount", Map.of("type", "PERCENT", "percent", 10, "max", 5000));
        hot.put("limits", Map.of("redemptions", 1_000_000_000));
        post(http, hot);
        Map<String, Object> once = campaign("once", "CODES");
        once.put("codes", Map.of("mode", "UNIVERSAL", "code", onceCode));
        once.put("discount", Map.of("type", "AMOUNT", "amount", 500));
        once.put("limits", Map.of("perCustomer", 1));
        post(http, once);
        Map<String, Object> unique = campaign("gen", "CODES");
        unique.put("codes", Map.of("mode", "UNIQUE", "pattern", "LG-##########", "count", 1));
        unique.put("discount", Map.of("type", "AMOUNT", "amount", 100));
        post(http, unique);
        Map<String, Object> redeemable = campaign("uniq", "CODES");
        redeemable.put("codes", Map.of("mode", "UNIQUE", "pattern", "LU-##########", "count", UNIQUE));
        redeemable.put("discount", Map.of("type", "AMOUNT", "amount", 300));
        redeemable.put("limits", Map.of("perCode", 1_000_000_000));
        post(http, redeemable);
        String cursor = null;
        do {
            String after = cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
            var page = Json.parse(http.expect(200, "GET", "/v1/campaigns/" + redeemable.get("name")
                    + "/codes?limit=1000" + after, key, null).body());
            for (var c : page.get("data")) uniqueCodes.add(c.get("code").asText());
            cursor = page.path("nextCursor").isTextual() ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        if (uniqueCodes.size() != UNIQUE)
            throw new Http.SetupFailed("the unique campaign lists " + uniqueCodes.size() + " codes, not " + UNIQUE);
    }

    private Map<String, Object> campaign(String suffix, String type) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", "ld" + run + "-" + suffix);
        c.put("type", type);
        return c;
    }

    private void post(Http http, Map<String, Object> campaign) throws IOException {
        http.expect(201, "POST", "/v1/campaigns", key, campaign);
        created.add((String) campaign.get("name"));
    }

    /** The 10-line cart of every scenario (subtotal 27,700), for this customer id. */
    static Map<String, Object> order() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            items.add(Map.of("sku", "SKU-" + i, "product", "p" + i, "categories", List.of("c" + i % 5),
                    "price", 1000 + i * 100, "quantity", 1 + i % 3));
        }
        return Map.of("currency", "USD", "items", items, "shipping", 500);
    }

    static Map<String, Object> customer(String id) {
        return Map.of("id", id, "attributes", Map.of("firstName", "Ana", "country", "DE", "tier", "gold"));
    }

    /** In a project that was not made for the run, archives the run's campaigns so the next run starts alike. */
    void close(Http http) throws IOException {
        if (scratch) return;
        for (String name : created) http.send("DELETE", "/v1/campaigns/" + name, key, null);
    }
}
