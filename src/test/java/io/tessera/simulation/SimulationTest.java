package io.tessera.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A draft campaign replayed over past paid orders: what it would have cost, per day, and when its budget ran out. */
class SimulationTest extends ServerPerDatabase {

    private void paid(String id, String customer, long price, String at) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("id", id);
        if (customer != null) order.put("customer", customer);
        order.put("status", "PAID");
        order.put("currency", "USD");
        order.put("items", List.of(Map.of("sku", "A", "product", "a", "categories", List.of(), "price", price,
                "quantity", 1)));
        TestServer.Client c = server.client(key).at(at);
        assertThat(c.post("/v1/orders", order).status()).isIn(200, 201);
    }

    private static Map<String, Object> draft(Map<String, Object> extra) {
        Map<String, Object> d = new LinkedHashMap<>(Map.of("name", "draft", "type", "AUTO", "active", true,
                "discount", Map.of("type", "PERCENT", "percent", 10)));
        d.putAll(extra);
        return d;
    }

    private Response simulate(Map<String, Object> campaign, String from, String to) {
        return server.post("/v1/campaigns/simulate", key, Map.of("campaign", campaign, "from", from, "to", to));
    }

    private JsonNode june(Map<String, Object> campaign) {
        Response r = simulate(campaign, "2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    @Test
    void theDraftAloneIsReplayedOverThePeriodsPaidOrdersAndNotSaved() {
        paid("o-1", "c-1", 5000, "2026-06-01T10:00:00Z");
        paid("o-2", "c-2", 12000, "2026-06-02T10:00:00Z");
        paid("o-3", "c-3", 30000, "2026-06-03T10:00:00Z");
        paid("o-4", "c-1", 20000, "2026-07-15T10:00:00Z");
        JsonNode r = june(draft(Map.of("condition", "order.subtotal >= 10000")));
        assertThat(r.get("orders").asLong()).isEqualTo(3);
        assertThat(r.get("matched").asLong()).isEqualTo(2);
        assertThat(r.get("discount").asLong()).isEqualTo(4200);
        assertThat(r.get("byDay").findValuesAsText("day")).containsExactly("2026-06-01", "2026-06-02", "2026-06-03");
        assertThat(r.get("byDay").findValues("discount").stream().map(JsonNode::asLong)).containsExactly(0L, 1200L, 3000L);
        assertThat(r.get("budgetExhaustedOn").isNull()).isTrue();
        assertThat(server.get("/v1/campaigns/draft", key).status()).isEqualTo(404);
    }

    @Test
    void eachOrderSeesItsCustomersHistoryAsOfThatOrder() {
        paid("o-0", "c-1", 1000, "2026-05-20T10:00:00Z");
        paid("o-1", "c-1", 1000, "2026-06-01T10:00:00Z");
        paid("o-2", "c-2", 1000, "2026-06-02T10:00:00Z");
        paid("o-3", "c-2", 1000, "2026-06-03T10:00:00Z");
        // Only a customer's first paid order matches: c-1's June order is its second, c-2's first June order matches.
        JsonNode r = june(draft(Map.of("condition", "customer.isNew")));
        assertThat(r.get("orders").asLong()).isEqualTo(3);
        assertThat(r.get("matched").asLong()).isEqualTo(1);
        assertThat(r.get("byDay").get(1).get("matched").asLong()).isEqualTo(1);
        // The last paid order as of each order: c-1 has May's, c-2 has one only from its second June order on.
        JsonNode returning = june(draft(Map.of("condition", "has(customer.orders.lastAt)")));
        assertThat(returning.get("byDay").findValues("matched").stream().map(JsonNode::asLong))
                .containsExactly(1L, 0L, 1L);
    }

    @Test
    void theDraftsLimitsAndBudgetCountAsTheReplayGoes() {
        paid("o-1", "c-1", 10000, "2026-06-01T10:00:00Z");
        paid("o-2", "c-1", 10000, "2026-06-02T10:00:00Z");
        paid("o-3", "c-2", 10000, "2026-06-03T10:00:00Z");
        paid("o-4", "c-3", 10000, "2026-06-04T10:00:00Z");
        JsonNode r = june(draft(Map.of("limits", Map.of("perCustomer", 1, "budget", Map.of("discount", 1500)))));
        // c-1 once (1000), then c-2's 1000 exceeds the 500 left: the budget runs out on 3 June; c-3 gets nothing.
        assertThat(r.get("matched").asLong()).isEqualTo(1);
        assertThat(r.get("discount").asLong()).isEqualTo(1000);
        assertThat(r.get("budgetExhaustedOn").asText()).isEqualTo("2026-06-03");
    }

    @Test
    void aBudgetSpentToTheMinorUnitIsExhaustedThatDay() {
        paid("o-1", "c-1", 10000, "2026-06-01T10:00:00Z");
        paid("o-2", "c-2", 10000, "2026-06-05T10:00:00Z");
        JsonNode r = june(draft(Map.of("limits", Map.of("budget", Map.of("discount", 2000)))));
        assertThat(r.get("discount").asLong()).isEqualTo(2000);
        assertThat(r.get("budgetExhaustedOn").asText()).isEqualTo("2026-06-05");
    }

    @Test
    void daysAreTheProjectsCalendarDays() {
        TestServer.Client berlin = server.newProjectClient(Map.of("timezone", "Europe/Berlin"));
        Map<String, Object> order = Map.of("id", "o-1", "customer", "c-1", "status", "PAID", "currency", "USD",
                "items", List.of(Map.of("sku", "A", "price", 10000, "quantity", 1)));
        assertThat(berlin.at("2026-06-01T22:30:00Z").post("/v1/orders", order).status()).isIn(200, 201);
        JsonNode r = berlin.post("/v1/campaigns/simulate", Map.of("campaign", draft(Map.of()),
                "from", "2026-06-01T00:00:00Z", "to", "2026-07-01T00:00:00Z")).json();
        assertThat(r.at("/byDay/0/day").asText()).isEqualTo("2026-06-02");
    }

    @Test
    void aBadDraftIsRefusedNamingTheFieldInsideCampaign() {
        Response r = simulate(Map.of("name", "draft", "type", "AUTO",
                "discount", Map.of("type", "PERCENT", "percent", 150)), "2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body()).contains("campaign.discount.percent");
    }

    @Test
    void thePeriodMustBeOrderedAndAtMostAYear() {
        assertThat(simulate(draft(Map.of()), "2026-07-01T00:00:00Z", "2026-06-01T00:00:00Z").body()).contains("\"to\"");
        assertThat(simulate(draft(Map.of()), "2024-01-01T00:00:00Z", "2026-01-01T00:00:00Z").status()).isEqualTo(422);
        Response missing = server.post("/v1/campaigns/simulate", key, Map.of("campaign", draft(Map.of())));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.body()).contains("from").contains("to");
    }
}
