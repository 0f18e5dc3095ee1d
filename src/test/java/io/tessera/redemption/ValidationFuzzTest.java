package io.tessera.redemption;

import io.tessera.config.Config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.TestDatabases;
import io.tessera.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The checkout request path end to end: any body sent to {@code POST /v1/validations} of a project with campaigns of
 * every discount type (codes, automatic promotions, CEL conditions, selectors and a dynamic amount, a points
 * programme) goes through the real server (routes, JSON parsing, {@link CheckoutRequest}, the guessing guard, the
 * snapshot reads and the engine, the answer's JSON). It must give a 200 evaluation whose figures add up, or a 4xx
 * problem document, never a 500; and every answer must match openapi.yaml ({@code TestServer} checks each one).
 * Validations write nothing, so a finding replays the same way from a fresh server. Redemptions (same body, same
 * engine) are left out on purpose: they write, and a finding would depend on what earlier inputs redeemed.
 * Seeds and past findings: {@code src/test/resources/io/tessera/redemption/ValidationFuzzTestInputs}.
 */
class ValidationFuzzTest {
    /** Every request happens at this instant (X-Test-Now), so that periods and dates evaluate the same in any run. */
    private static final String NOW = "2026-11-30T10:00:00Z";
    private static TestServer server;
    private static TestServer.Client api;
    private static boolean loopbackAllowed;

    @BeforeAll
    static void start() {
        // Far above what the inputs can reach: unknown codes must reach the engine, not the guessing guard's 429.
        server = TestServer.start(TestDatabases.H2, c -> c.with(java.util.Map.of(Config.Setting.GUESS_LIMIT, 1_000_000_000,
                Config.Setting.GUESS_KEY_LIMIT, 1_000_000_000, Config.Setting.GUESS_WINDOW_SECONDS, 60)));
        api = server.client(server.newProject()).at(NOW);
        for (Map<String, Object> campaign : CAMPAIGNS) {
            Response r = api.post("/v1/campaigns", campaign);
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        Response r = api.post("/v1/loyalty/stars/members/c-1/transactions", Map.of("points", 5000, "reason", "seed"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        r = api.put("/v1/customers/c-1", Map.of("attributes", Map.of("country", "DE", "tier", "gold")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @FuzzTest(maxDuration = "60s")
    void anyValidationBodyIsAnEvaluationOrAProblem(byte[] body) {
        // The server is on this machine: the fuzzer's request-forgery detector must let the client reach it, for the
        // whole run (the policy is not reset: Jazzer drops it itself when it stops). Said here, not before all:
        // Jazzer's agent, which holds the policy, is installed when the first input comes.
        if (!loopbackAllowed) {
            BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1") || host.equals("localhost"));
            loopbackAllowed = true;
        }
        Response r = api.send("POST", "/v1/validations", body, Map.of());
        assertThat(r.status()).as(r.toString()).isIn(200, 400, 413, 415, 422);
        if (r.status() != 200) return;
        JsonNode order = r.json().get("order");
        long items = 0;
        for (JsonNode line : order.get("items")) {
            assertThat(line.get("total").asLong()).as(r.toString())
                    .isEqualTo(line.get("amount").asLong() - line.get("discount").asLong()).isNotNegative();
            items += line.get("discount").asLong();
        }
        assertThat(order.get("discount").asLong()).as(r.toString()).isEqualTo(items);
        assertThat(order.get("shippingDiscount").asLong()).as(r.toString()).isBetween(0L, order.get("shipping").asLong());
        assertThat(order.get("total").asLong()).as(r.toString()).isEqualTo(order.get("subtotal").asLong()
                + order.get("shipping").asLong() - order.get("discount").asLong() - order.get("shippingDiscount").asLong());
        // Each applied discount gives something: its items' share spread over the lines exactly, plus its shipping
        // share (an applied discount's "discount" is both, as Applied holds it); together they are the order's.
        long applied = 0, shipping = 0;
        for (JsonNode a : r.json().get("applied")) {
            long lines = 0;
            for (JsonNode line : a.get("items")) lines += line.get("discount").asLong();
            assertThat(a.get("discount").asLong()).as(r.toString())
                    .isEqualTo(lines + a.get("shippingDiscount").asLong());
            assertThat(a.get("discount").asLong()).as(r.toString()).isPositive();
            applied += lines;
            shipping += a.get("shippingDiscount").asLong();
        }
        assertThat(applied).as(r.toString()).isEqualTo(order.get("discount").asLong());
        assertThat(shipping).as(r.toString()).isEqualTo(order.get("shippingDiscount").asLong());
    }

    private static final List<Map<String, Object>> CAMPAIGNS = List.of(
            Map.of("name", "welcome", "type", "CODES", "codes", Map.of("mode", "UNIVERSAL", "code", "WELCOME10"),
                    "condition", "customer.attributes.country == 'DE' && order.subtotal >= 1000",
                    "discount", Map.of("type", "PERCENT", "percent", 10, "max", 2000),
                    "limits", Map.of("perCustomer", 1)),
            Map.of("name", "new-ones", "type", "CODES", "codes", Map.of("mode", "UNIVERSAL", "code", "HELLO"),
                    "discount", Map.of("type", "AMOUNT", "amount", "customer.isNew ? 1000 : 500"),
                    "stacking", Map.of("priority", 5, "group", "intro")),
            Map.of("name", "euro", "type", "CODES", "codes", Map.of("mode", "UNIVERSAL", "code", "EURO5"),
                    "discount", Map.of("type", "AMOUNT", "amount", Map.of("USD", 500, "EUR", 450)),
                    "stacking", Map.of("group", "intro")),
            Map.of("name", "shirts999", "type", "CODES", "codes", Map.of("mode", "UNIVERSAL", "code", "SHIRTS"),
                    "discount", Map.of("type", "FIXED_PRICE", "price", 999, "target", Map.of("scope", "EACH_UNIT",
                            "selector", "'shirts' in item.categories"))),
            Map.of("name", "bogo", "type", "CODES", "codes", Map.of("mode", "UNIVERSAL", "code", "SHOES2"),
                    "discount", Map.of("type", "BUY_X_GET_Y", "percent", 50,
                            "buy", Map.of("selector", "'shoes' in item.categories", "quantity", 1),
                            "get", Map.of("selector", "'shoes' in item.categories", "quantity", 1),
                            "maxApplications", 3)),
            Map.of("name", "tiers", "type", "CODES", "codes", Map.of("mode", "UNIVERSAL", "code", "SPEND"),
                    "discount", Map.of("type", "TIERED", "basis", "AMOUNT", "tiers", List.of(
                            Map.of("min", 10000, "percent", 10), Map.of("min", 20000, "amount", 3000)))),
            Map.of("name", "ship", "type", "CODES", "codes", Map.of("mode", "UNIVERSAL", "code", "SHIPFREE"),
                    "condition", "context.channel == 'app'", "discount", Map.of("type", "FREE_SHIPPING", "max", 700)),
            Map.of("name", "vip", "type", "CODES", "codes", Map.of("mode", "UNIVERSAL", "code", "VIP"),
                    "discount", Map.of("type", "PERCENT", "percent", 100, "target", Map.of("scope", "CHEAPEST")),
                    "stacking", Map.of("exclusive", true, "priority", 10)),
            Map.of("name", "mug", "type", "AUTO", "condition", "order.items.exists(i, 'coffee' in i.categories)",
                    "discount", Map.of("type", "FREE_ITEM", "sku", "MUG", "quantity", 1, "price", 800)),
            Map.of("name", "bulk", "type", "AUTO", "condition", "order.items.size() > 0",
                    "discount", Map.of("type", "TIERED", "basis", "QUANTITY", "tiers", List.of(
                            Map.of("min", 5, "percent", 5), Map.of("min", 10, "percent", 7.5)),
                            "target", Map.of("scope", "ITEMS", "selector", "item.price >= 100")),
                    "limits", Map.of("budget", Map.of("discount", 1000000))),
            Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of("earning", List.of(),
                    "pointValue", Map.of("points", 100, "amount", 50))));
}
