package io.tessera.loyalty;

import static io.tessera.loyalty.LoyaltyFixtures.balance;
import static io.tessera.loyalty.LoyaltyFixtures.order;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.ServerPerDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Paid orders earn points once, at the tier's multiplier; refunds and cancellations take them back. */
class EarningTest extends ServerPerDatabase {
    private static final Map<String, Object> TIERS = Map.of("tiers", List.of(Map.of("name", "Bronze", "min", 0),
            Map.of("name", "Silver", "min", 1000, "multiplier", 1.25)));

    @Test
    void aPaidOrderEarnsItsTotalRoundedDown() {
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(Map.of()));
        order(api(), "o-1", "c-1", "PAID", 25099);
        assertThat(balance(api(), "c-1")).isEqualTo(250);
    }

    @Test
    void aPaidOrderSentAgainEarnsOnce() {
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(Map.of()));
        order(api(), "o-1", "c-1", "PAID", 25000);
        order(api(), "o-1", "c-1", "PAID", 25000);
        assertThat(balance(api(), "c-1")).isEqualTo(250);
        assertThat(api().get("/v1/loyalty/stars/members/c-1/transactions").json().get("data").size()).isEqualTo(1);
    }

    @Test
    void aTierMultipliesWhatTheNextOrderEarnsRoundedDown() {
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(TIERS));
        order(api(), "o-1", "c-1", "PAID", 100000);
        order(api(), "o-2", "c-1", "PAID", 10100);
        JsonNode m = api().get("/v1/loyalty/stars/members/c-1").json();
        assertThat(m.get("balance").asLong()).isEqualTo(1000 + 126); // floor(101 x 1.25)
        assertThat(m.get("earnedLifetime").asLong()).isEqualTo(1126);
        assertThat(m.get("tier").asText()).isEqualTo("Silver");
    }

    @Test
    void aConditionThatDoesNotHoldEarnsNothing() {
        LoyaltyFixtures.create(api(), Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of("earning", List.of(
                Map.of("name", "big", "on", "order_paid", "condition", "order.total >= 10000", "points", "100")))));
        order(api(), "o-1", "c-1", "PAID", 9999);
        order(api(), "o-2", "c-1", "PAID", 10000);
        assertThat(balance(api(), "c-1")).isEqualTo(100);
    }

    @Test
    void aRuleLimitedToOncePerDayEarnsAgainTheNextDay() {
        LoyaltyFixtures.create(api(), Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of("earning", List.of(
                Map.of("name", "visit", "on", "order_paid", "points", "10",
                        "limit", Map.of("perCustomerPerPeriod", Map.of("count", 1, "period", "DAY")))))));
        order(api().at("2031-01-01T08:00:00Z"), "o-1", "c-1", "PAID", 100);
        order(api().at("2031-01-01T23:59:59Z"), "o-2", "c-1", "PAID", 100);
        order(api().at("2031-01-02T00:00:00Z"), "o-3", "c-1", "PAID", 100);
        assertThat(balance(api().at("2031-01-02T00:00:00Z"), "c-1")).isEqualTo(20);
    }

    @Test
    void aRefundAfterSomePointsWereSpentTakesTheRestFromOtherPointsAndDropsTheTier() {
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(TIERS));
        order(api(), "o-1", "c-1", "PAID", 50000);
        order(api(), "o-2", "c-1", "PAID", 60000);
        LoyaltyFixtures.adjust(api(), "c-1", -550);
        order(api(), "o-2", "c-1", "REFUNDED", 60000);
        JsonNode m = api().get("/v1/loyalty/stars/members/c-1").json();
        assertThat(m.get("balance").asLong()).isZero(); // 550 left, 600 to take back: never below zero
        assertThat(m.get("earnedLifetime").asLong()).isEqualTo(500);
        assertThat(m.get("tier").asText()).isEqualTo("Bronze");
    }

    @Test
    void aCancelledOrderThatWasNeverPaidReversesNothing() {
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(Map.of()));
        order(api(), "o-1", "c-1", "PAID", 10000);
        order(api(), "o-2", "c-1", "CREATED", 20000);
        order(api(), "o-2", "c-1", "CANCELLED", 20000);
        assertThat(balance(api(), "c-1")).isEqualTo(100);
    }

    @Test
    void earningAndTierChangesWriteOutboxEventsInTheSameTransaction() throws Exception {
        String customer = "c-" + java.util.UUID.randomUUID();
        io.tessera.testing.Fixtures.recordEvents(server, key, "points.earned", "tier.changed");
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(TIERS));
        order(api(), "o-1", customer, "PAID", 100000);
        order(api(), "o-1", customer, "REFUNDED", 100000);
        assertThat(events("points.earned", customer)).isEqualTo(1);
        assertThat(events("tier.changed", customer)).isEqualTo(2); // Bronze -> Silver, then back to Bronze
    }

    private long events(String type, String customer) throws Exception {
        try (Connection c = server.connect();
             PreparedStatement s = c.prepareStatement("select count(*) from events where type = ? and payload like ?")) {
            s.setString(1, type);
            s.setString(2, "%\"" + customer + "\"%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
