package io.tessera.loyalty;

import static io.tessera.loyalty.LoyaltyFixtures.balance;
import static io.tessera.loyalty.LoyaltyFixtures.order;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Buckets expire at their instant exactly, whether or not the expiry task ran yet; pending points wait. */
class ExpiryTest extends ServerPerDatabase {
    private static final String EARNED = "2031-01-01T00:00:00Z";
    private static final String EXPIRES = "2031-01-31T00:00:00Z";

    @BeforeEach
    void programWithThirtyDayExpiry() {
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(Map.of("expiry", Map.of("afterDays", 30))));
        order(api().at(EARNED), "o-1", "c-1", "PAID", 30000);
    }

    @Test
    void pointsCountUntilTheInstantBeforeTheirExpiry() {
        assertThat(balance(api().at("2031-01-30T23:59:59.999Z"), "c-1")).isEqualTo(300);
    }

    @Test
    void pointsNoLongerCountAtTheirExpiryEvenBeforeTheTaskRan() {
        assertThat(balance(api().at(EXPIRES), "c-1")).isZero();
    }

    @Test
    void theMemberListsWhenItsPointsExpire() {
        JsonNode m = api().at("2031-01-10T00:00:00Z").get("/v1/loyalty/stars/members/c-1").json();
        assertThat(m.get("expiring").size()).isEqualTo(1);
        assertThat(m.at("/expiring/0/points").asLong()).isEqualTo(300);
        assertThat(m.at("/expiring/0/at").asText()).startsWith("2031-01-31T00:00");
    }

    @Test
    void advancingTheClockWritesTheExpiryToTheLedgerOnce() {
        assertThat(api().post("/v1/test-clock/advance", Map.of("to", "2031-02-01T00:00:00Z")).json().get("ran").asInt())
                .isEqualTo(1);
        api().post("/v1/test-clock/advance", Map.of("to", "2031-03-01T00:00:00Z"));
        JsonNode latest = api().get("/v1/loyalty/stars/members/c-1/transactions").json().get("data");
        assertThat(latest.size()).isEqualTo(2);
        assertThat(latest.at("/0/type").asText()).isEqualTo("EXPIRE");
        assertThat(latest.at("/0/points").asLong()).isEqualTo(-300);
        assertThat(latest.at("/0/balanceAfter").asLong()).isZero();
    }

    @Test
    void aSpendJustBeforeTheExpiryLeavesOnlyTheRestToExpire() {
        LoyaltyFixtures.adjust(api().at("2031-01-30T23:59:59Z"), "c-1", -100);
        api().post("/v1/test-clock/advance", Map.of("to", EXPIRES));
        JsonNode latest = api().get("/v1/loyalty/stars/members/c-1/transactions").json().get("data");
        assertThat(latest.at("/0/type").asText()).isEqualTo("EXPIRE");
        assertThat(latest.at("/0/points").asLong()).isEqualTo(-200);
    }

    @Test
    void aSpendAtTheExpiryInstantIsRefused() {
        assertThat(LoyaltyFixtures.adjust(api().at(EXPIRES), "c-1", -1).json().get("code").asText())
                .isEqualTo("insufficient_points");
    }

    @Test
    void spendingTakesTheEarliestExpiringPointsFirst() {
        order(api().at("2031-01-20T00:00:00Z"), "o-2", "c-1", "PAID", 20000);
        LoyaltyFixtures.adjust(api().at("2031-01-25T00:00:00Z"), "c-1", -100);
        JsonNode m = api().at("2031-01-26T00:00:00Z").get("/v1/loyalty/stars/members/c-1").json();
        assertThat(m.at("/expiring/0/points").asLong()).isEqualTo(200);
        assertThat(m.at("/expiring/1/points").asLong()).isEqualTo(200);
        assertThat(balance(api().at(EXPIRES), "c-1")).isEqualTo(200);
    }

    @Test
    void pendingPointsBecomeAvailableAtTheirInstantAndExpireAfterDaysFromThen() {
        LoyaltyFixtures.create(api(), Map.of("name", "slow", "type", "LOYALTY", "loyalty", Map.of(
                "earning", List.of(Map.of("name", "buy", "on", "order_paid", "points", "50", "pendingDays", 14)),
                "expiry", Map.of("afterDays", 30))));
        order(api().at(EARNED), "o-9", "c-9", "PAID", 100);
        JsonNode before = api().at("2031-01-14T23:59:59Z").get("/v1/loyalty/slow/members/c-9").json();
        assertThat(before.get("balance").asLong()).isZero();
        assertThat(before.at("/pending/0/points").asLong()).isEqualTo(50);
        assertThat(api().at("2031-01-15T00:00:00Z").get("/v1/loyalty/slow/members/c-9").json().get("balance").asLong())
                .isEqualTo(50);
        assertThat(api().at("2031-02-14T00:00:00Z").get("/v1/loyalty/slow/members/c-9").json().get("balance").asLong())
                .isZero();
    }
}
