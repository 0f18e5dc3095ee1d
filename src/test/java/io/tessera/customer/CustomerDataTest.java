package io.tessera.customer;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.item;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.StatementLog;
import io.tessera.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The customer data conditions read — {@code customer.orders.lastAt}, {@code customer.redeemed},
 * {@code customer.events} — in campaign conditions and dynamic segments, kept up to date by orders, redemptions,
 * rollbacks, events and erasure.
 */
class CustomerDataTest extends ServerPerDatabase {

    private void campaign(String name, String condition) {
        Response r = api().post("/v1/campaigns", Map.of("name", name, "type", "AUTO", "active", true,
                "discount", amount(100), "condition", condition));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    private void segment(String name, String condition) {
        Response r = api().post("/v1/segments", Map.of("name", name, "condition", condition));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    private List<String> applied(TestServer.Client client, String customer) {
        Response r = client.post("/v1/validations", Map.of("customer", customer, "order", Map.of("currency", "USD",
                "items", List.of(item("A", 5000, 1)))));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("applied").findValuesAsText("campaign");
    }

    private List<String> applied(String customer) {
        return applied(api(), customer);
    }

    private JsonNode customer(String id) {
        return api().get("/v1/customers/" + id).json();
    }

    private List<String> segmentsOf(String id) {
        return customer(id).get("segments").valueStream().map(JsonNode::asText).toList();
    }

    private void order(TestServer.Client client, String id, String customer, String status) {
        Response r = client.post("/v1/orders", Map.of("id", id, "customer", customer, "status", status,
                "currency", "USD", "items", List.of(item("A", 2000, 1))));
        assertThat(r.status()).as(r.toString()).isBetween(200, 201);
    }

    private Response event(TestServer.Client client, Map<String, Object> body) {
        Response r = client.post("/v1/events", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r;
    }

    private void viewed(String at, String customer, String model) {
        event(api().at(at), Map.of("customer", customer, "type", "car_viewed", "properties", Map.of("model", model)));
    }

    // ---- customer.orders.lastAt ----

    @Test
    void aNewCustomerHasNoLastOrderTime() {
        campaign("first", "!has(customer.orders.lastAt)");
        api().put("/v1/customers/c-1", Map.of("attributes", Map.of()));
        assertThat(applied("c-1")).containsExactly("first");
    }

    @Test
    void aPaidOrderSetsTheLastOrderTimeConditionsRead() {
        campaign("comeback", "has(customer.orders.lastAt) && now - customer.orders.lastAt > duration('720h')");
        order(api().at("2031-01-01T10:00:00Z"), "o-1", "c-1", "PAID");
        assertThat(applied(api().at("2031-01-10T00:00:00Z"), "c-1")).isEmpty();
        assertThat(applied(api().at("2031-03-01T00:00:00Z"), "c-1")).containsExactly("comeback");
    }

    @Test
    void aRefundTakesTheLastOrderTimeFromThePaidOrdersLeft() {
        order(api().at("2031-01-01T10:00:00Z"), "o-1", "c-1", "PAID");
        order(api().at("2031-02-01T10:00:00Z"), "o-2", "c-1", "PAID");
        assertThat(customer("c-1").at("/orders/lastAt").asText()).isEqualTo("2031-02-01T10:00:00Z");
        order(api().at("2031-02-02T10:00:00Z"), "o-2", "c-1", "REFUNDED");
        assertThat(customer("c-1").at("/orders/lastAt").asText()).isEqualTo("2031-01-01T10:00:00Z");
        order(api().at("2031-02-03T10:00:00Z"), "o-1", "c-1", "CANCELLED");
        assertThat(customer("c-1").at("/orders/lastAt").isNull()).isTrue();
    }

    @Test
    void aDynamicSegmentReadsTheLastOrderTime() {
        segment("buyers-2031", "has(customer.orders.lastAt) && customer.orders.lastAt >= timestamp('2031-01-01T00:00:00Z')");
        order(api().at("2030-12-01T00:00:00Z"), "o-1", "c-old", "PAID");
        order(api().at("2031-01-05T00:00:00Z"), "o-2", "c-new", "PAID");
        assertThat(segmentsOf("c-old")).isEmpty();
        assertThat(segmentsOf("c-new")).containsExactly("buyers-2031");
    }

    // ---- customer.redeemed ----

    private String redeemBlackFriday(String customer) {
        Response r = api().post("/v1/redemptions", Map.of("customer", customer, "codes", List.of("BF"),
                "order", Map.of("currency", "USD", "items", List.of(item("A", 5000, 1)))));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private void blackFridayAndWelcome() {
        assertThat(api().post("/v1/campaigns", Map.of("name", "blackfriday", "type", "CODES",
                "codes", Map.of("mode", "UNIVERSAL", "code", "BF"), "discount", amount(500))).status()).isEqualTo(201);
        campaign("welcome", "!('blackfriday' in customer.redeemed)");
    }

    @Test
    void aRedemptionCountsInTheCustomersRedeemedCampaigns() {
        blackFridayAndWelcome();
        assertThat(applied("c-1")).containsExactly("welcome");
        redeemBlackFriday("c-1");
        redeemBlackFriday("c-1");
        assertThat(applied("c-1")).isEmpty();
        assertThat(customer("c-1").at("/redeemed/blackfriday").asLong()).isEqualTo(2);
    }

    @Test
    void aRollbackTakesTheRedemptionOutOfTheCustomersRedeemedCampaigns() {
        blackFridayAndWelcome();
        String id = redeemBlackFriday("c-1");
        assertThat(api().post("/v1/redemptions/" + id + "/rollback", Map.of("reason", "test")).status()).isEqualTo(200);
        assertThat(customer("c-1").get("redeemed").has("blackfriday")).isFalse();
        assertThat(applied("c-1")).containsExactly("welcome");
    }

    @Test
    void aDynamicSegmentReadsTheRedeemedCampaigns() {
        blackFridayAndWelcome();
        segment("bargain-hunters", "customer.redeemed.exists(c, customer.redeemed[c] >= 1)");
        redeemBlackFriday("c-1");
        api().put("/v1/customers/c-2", Map.of("attributes", Map.of()));
        assertThat(segmentsOf("c-1")).containsExactly("bargain-hunters");
        assertThat(segmentsOf("c-2")).isEmpty();
    }

    // ---- customer.events ----

    @Test
    void eventsFeedACampaignConditionWithCountAndLatestProperties() {
        campaign("carlover", "has(customer.events.car_viewed) && customer.events.car_viewed.count == 2 "
                + "&& customer.events.car_viewed.last.model == 'civic'");
        viewed("2031-01-01T10:00:00Z", "c-1", "golf");
        assertThat(applied("c-1")).isEmpty();
        viewed("2031-01-01T11:00:00Z", "c-1", "civic");
        assertThat(applied("c-1")).containsExactly("carlover");
    }

    @Test
    void aDynamicSegmentReadsTheEvents() {
        segment("recent-viewers", "has(customer.events.car_viewed) "
                + "&& customer.events.car_viewed.lastAt >= timestamp('2031-01-01T00:00:00Z')");
        viewed("2030-06-01T00:00:00Z", "c-old", "golf");
        viewed("2031-01-02T00:00:00Z", "c-new", "golf");
        assertThat(segmentsOf("c-old")).isEmpty();
        assertThat(segmentsOf("c-new")).containsExactly("recent-viewers");
    }

    @Test
    void anEventSentTwiceWithTheSameIdCountsOnce() {
        Map<String, Object> body = Map.of("id", "ev-1", "customer", "c-1", "type", "car_viewed",
                "properties", Map.of("model", "civic"));
        event(api(), body);
        event(api(), body);
        assertThat(customer("c-1").at("/events/car_viewed/count").asLong()).isEqualTo(1);
    }

    @Test
    void anEventToldLateCountsButTheLatestStaysTheLatest() {
        viewed("2031-01-02T00:00:00Z", "c-1", "civic");
        viewed("2031-01-01T00:00:00Z", "c-1", "golf"); // arrives now, happened earlier
        JsonNode summary = customer("c-1").at("/events/car_viewed");
        assertThat(summary.get("count").asLong()).isEqualTo(2);
        assertThat(summary.get("lastAt").asText()).isEqualTo("2031-01-02T00:00:00Z");
        assertThat(summary.at("/last/model").asText()).isEqualTo("civic");
    }

    @Test
    void concurrentEventsOfOneCustomerAllCount() throws Exception {
        int n = 16;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Response>> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Map<String, Object> body = Map.of("customer", "c-1", "type", "car_viewed",
                        "properties", Map.of("n", i));
                sent.add(pool.submit(() -> api().post("/v1/events", body)));
            }
            for (Future<Response> f : sent) assertThat(f.get().status()).isEqualTo(202);
        } finally {
            pool.shutdown();
        }
        assertThat(customer("c-1").at("/events/car_viewed/count").asLong()).isEqualTo(n);
    }

    @Test
    void erasureKeepsTheEventCountsButEmptiesWhatTheyHeld() {
        viewed("2031-01-01T00:00:00Z", "c-1", "civic");
        assertThat(api().delete("/v1/customers/c-1").status()).isEqualTo(200);
        JsonNode rows = api().get("/v1/customers").json().get("data");
        assertThat(rows).hasSize(1);
        JsonNode summary = rows.get(0).at("/events/car_viewed");
        assertThat(summary.get("count").asLong()).isEqualTo(1);
        assertThat(summary.get("last").isEmpty()).isTrue();
    }

    @Test
    void aLoyaltyEarningRuleReadsTheEvents() {
        Response r = api().post("/v1/campaigns", Map.of("name", "stars", "type", "LOYALTY", "loyalty",
                Map.of("earning", List.of(Map.of("name", "first-review", "on", "event:product_reviewed",
                        "condition", "customer.events.product_reviewed.count == 1", "points", "50")))));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        event(api(), Map.of("customer", "c-1", "type", "product_reviewed"));
        event(api(), Map.of("customer", "c-1", "type", "product_reviewed"));
        assertThat(api().get("/v1/loyalty/stars/members/c-1").json().get("balance").asLong()).isEqualTo(50);
    }

    // ---- cost ----

    @Test
    void aValidationReadsTheCustomerOnceAndNothingItsDataComesFrom() {
        campaign("all", "has(customer.orders.lastAt) && 'blackfriday' in customer.redeemed "
                + "&& customer.events.car_viewed.count > 0");
        blackFridayAndWelcome();
        order(api(), "o-1", "c-1", "PAID");
        redeemBlackFriday("c-1");
        viewed("2031-01-01T00:00:00Z", "c-1", "civic");
        List<String> statements;
        try (StatementLog log = StatementLog.on(server.app().database())) {
            assertThat(applied("c-1")).containsExactly("all");
            statements = log.statements();
        }
        assertThat(statements).filteredOn(s -> s.matches("(?s).*\\bcustomers\\b.*")).hasSize(1);
        assertThat(statements).noneMatch(s -> s.matches("(?s).*\\b(customer_events|orders|redemptions|redemption_lines)\\b.*"));
    }
}
