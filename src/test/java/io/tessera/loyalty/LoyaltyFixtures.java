package io.tessera.loyalty;

import static io.tessera.testing.Bodies.item;

import io.tessera.testing.Response;
import io.tessera.testing.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loyalty programs and orders for the loyalty tests. */
final class LoyaltyFixtures {
    private LoyaltyFixtures() {
    }

    /** A program "stars": one point per whole unit of the order total, plus {@code loyalty} settings. */
    static Map<String, Object> stars(Map<String, Object> loyalty) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("earning", List.of(Map.of("name", "buy", "on", "order_paid", "points", "order.total / 100")));
        l.putAll(loyalty);
        return Map.of("name", "stars", "type", "LOYALTY", "loyalty", l);
    }

    static Response create(TestServer.Client api, Map<String, Object> program) {
        Response r = api.post("/v1/campaigns", program);
        if (r.status() != 201) throw new AssertionError(r.toString());
        return r;
    }

    static Response order(TestServer.Client api, String id, String customer, String status, long price) {
        return api.post("/v1/orders", Map.of("id", id, "customer", customer, "status", status, "currency", "USD",
                "items", List.of(item("A", price, 1))));
    }

    static long balance(TestServer.Client api, String customer) {
        return api.get("/v1/loyalty/stars/members/" + customer).json().get("balance").asLong();
    }

    /** A CODES campaign with {@code count} UNIQUE codes worth 5.00 off: what rewards grant. */
    static void codes(TestServer.Client api, String name, long count) {
        Response r = api.post("/v1/campaigns", Map.of("name", name, "type", "CODES", "active", true,
                "codes", Map.of("mode", "UNIQUE", "pattern", "RW-######", "count", count),
                "discount", Map.of("type", "AMOUNT", "amount", 500)));
        if (r.status() != 201) throw new AssertionError(r.toString());
    }

    /** A reward of program "stars" costing {@code cost}, granting a code of {@code campaign}. */
    static Response reward(TestServer.Client api, String name, long cost, String campaign) {
        return api.post("/v1/loyalty/stars/rewards", Map.of("name", name, "cost", cost,
                "grant", Map.of("campaign", campaign)));
    }

    static Response claim(TestServer.Client api, String customer, String reward) {
        return api.post("/v1/loyalty/stars/members/" + customer + "/rewards/" + reward, Map.of());
    }

    static Response adjust(TestServer.Client api, String customer, long points) {
        return api.post("/v1/loyalty/stars/members/" + customer + "/transactions", Map.of("points", points, "reason", "test"));
    }
}
