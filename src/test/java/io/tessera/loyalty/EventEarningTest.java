package io.tessera.loyalty;

import static io.tessera.loyalty.LoyaltyFixtures.balance;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Earning rules {@code on: event:<type>} earn when a customer event of that type is received. */
class EventEarningTest extends ServerPerDatabase {

    private static Map<String, Object> program(Map<String, Object> rule, Map<String, Object> more) {
        Map<String, Object> loyalty = new LinkedHashMap<>(more);
        loyalty.put("earning", List.of(rule));
        return Map.of("name", "stars", "type", "LOYALTY", "loyalty", loyalty);
    }

    private static Map<String, Object> review(Map<String, Object> more) {
        Map<String, Object> rule = new LinkedHashMap<>(Map.of("name", "review", "on", "event:product_reviewed",
                "points", "50"));
        rule.putAll(more);
        return rule;
    }

    private static Response reviewed(TestServer.Client api, String customer, Map<String, Object> properties) {
        Response r = api.post("/v1/events", Map.of("customer", customer, "type", "product_reviewed",
                "properties", properties));
        if (r.status() != 202) throw new AssertionError(r.toString());
        return r;
    }

    @Test
    void anEventEarnsOnTheRulesListeningToItsTypeOnly() {
        LoyaltyFixtures.create(api(), program(review(Map.of()), Map.of()));
        reviewed(api(), "c-1", Map.of());
        api().post("/v1/events", Map.of("customer", "c-1", "type", "product_viewed"));
        assertThat(balance(api(), "c-1")).isEqualTo(50);
        JsonNode entry = api().get("/v1/loyalty/stars/members/c-1/transactions").json().at("/data/0");
        assertThat(entry.get("type").asText()).isEqualTo("EARN");
        assertThat(entry.get("rule").asText()).isEqualTo("review");
    }

    @Test
    void aRuleLimitedToOncePerDayEarnsOnceADayInTheProjectsTimeZone() {
        TestServer.Client berlin = server.newProjectClient(Map.of("timezone", "Europe/Berlin"));
        LoyaltyFixtures.create(berlin, program(review(Map.of("limit",
                Map.of("perCustomerPerPeriod", Map.of("count", 1, "period", "DAY")))), Map.of()));
        reviewed(berlin.at("2031-01-01T10:00:00Z"), "c-1", Map.of());
        reviewed(berlin.at("2031-01-01T22:59:59Z"), "c-1", Map.of()); // still Jan 1 in Berlin
        reviewed(berlin.at("2031-01-01T23:00:00Z"), "c-1", Map.of()); // Jan 2 in Berlin
        assertThat(balance(berlin.at("2031-01-02T00:00:00Z"), "c-1")).isEqualTo(100);
    }

    @Test
    void concurrentEventsNeverEarnPastTheRulesLimit() throws Exception {
        LoyaltyFixtures.create(api(), program(review(Map.of("limit",
                Map.of("perCustomerPerPeriod", Map.of("count", 3, "period", "DAY")))), Map.of()));
        List<Future<Response>> calls = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 12; i++) calls.add(pool.submit(() -> reviewed(api(), "c-1", Map.of())));
        }
        for (Future<Response> f : calls) assertThat(f.get().status()).isEqualTo(202);
        assertThat(balance(api(), "c-1")).isEqualTo(150);
    }

    @Test
    void aConditionAndPointsReadTheEventsProperties() {
        LoyaltyFixtures.create(api(), program(review(Map.of("condition", "event.properties.stars >= 4",
                "points", "event.properties.words / 10")), Map.of()));
        reviewed(api(), "c-1", Map.of("stars", 3, "words", 500));
        reviewed(api(), "c-1", Map.of("stars", 5, "words", 125));
        assertThat(balance(api(), "c-1")).isEqualTo(12);
    }

    @Test
    void anEventIdSentAgainEarnsOnceEvenConcurrently() throws Exception {
        LoyaltyFixtures.create(api(), program(review(Map.of()), Map.of()));
        List<Future<Response>> calls = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 10; i++) {
                calls.add(pool.submit(() -> api().post("/v1/events", Map.of("id", "review-77", "customer", "c-1",
                        "type", "product_reviewed"))));
            }
        }
        for (Future<Response> f : calls) assertThat(f.get().status()).isEqualTo(202);
        assertThat(balance(api(), "c-1")).isEqualTo(50);
        assertThat(api().get("/v1/loyalty/stars/members/c-1/transactions").json().get("data")).hasSize(1);
    }

    @Test
    void theTierMultiplierAndPendingDaysApplyAsForOrders() {
        LoyaltyFixtures.create(api(), program(review(Map.of("pendingDays", 14)), Map.of("tiers", List.of(
                Map.of("name", "Bronze", "min", 0), Map.of("name", "Silver", "min", 100, "multiplier", 1.5)))));
        LoyaltyFixtures.adjust(api().at("2031-01-01T00:00:00Z"), "c-1", 100); // Silver
        reviewed(api().at("2031-01-02T00:00:00Z"), "c-1", Map.of());
        JsonNode m = api().at("2031-01-02T00:00:00Z").get("/v1/loyalty/stars/members/c-1").json();
        assertThat(m.get("balance").asLong()).isEqualTo(100);
        assertThat(m.at("/pending/0/points").asLong()).isEqualTo(75);
        assertThat(m.at("/pending/0/at").asText()).startsWith("2031-01-16T00:00:00");
        assertThat(balance(api().at("2031-01-16T00:00:00Z"), "c-1")).isEqualTo(175);
    }

    @Test
    void anInactiveProgramDoesNotEarnOnEvents() {
        Map<String, Object> p = new LinkedHashMap<>(program(review(Map.of()), Map.of()));
        p.put("active", false);
        LoyaltyFixtures.create(api(), p);
        reviewed(api(), "c-1", Map.of());
        assertThat(balance(api(), "c-1")).isZero();
    }
}
