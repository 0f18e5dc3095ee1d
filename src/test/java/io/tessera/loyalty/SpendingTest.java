package io.tessera.loyalty;

import static io.tessera.loyalty.LoyaltyFixtures.balance;
import static io.tessera.loyalty.LoyaltyFixtures.order;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Adjustments and transfers: never below zero, also under concurrency, and never with an expired point. */
class SpendingTest extends ServerPerDatabase {

    @Test
    void anOverdraftIsRefusedAndWritesNothing() {
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(Map.of()));
        order(api(), "o-1", "c-1", "PAID", 10000);
        Response r = LoyaltyFixtures.adjust(api(), "c-1", -101);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("code").asText()).isEqualTo("insufficient_points");
        assertThat(api().get("/v1/loyalty/stars/members/c-1/transactions").json().get("data").size()).isEqualTo(1);
        assertThat(api().get("/v1/audit?action=loyalty-member.adjusted").json().get("data").size()).isZero();
    }

    @Test
    void anAdjustmentIsAuditedWithTheBalanceBeforeAndAfter() {
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(Map.of()));
        Response r = LoyaltyFixtures.adjust(api(), "c-1", 40);
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().at("/entry/balanceAfter").asLong()).isEqualTo(40);
        JsonNode entry = api().get("/v1/audit?action=loyalty-member.adjusted").json().at("/data/0");
        assertThat(entry.at("/before/balance").asLong()).isZero();
        assertThat(entry.at("/after/balance").asLong()).as(entry.toString()).isEqualTo(40);
        assertThat(entry.get("resource").asText()).startsWith("loyalty-member/stars/anon-");
    }

    @Test
    void aPositiveAdjustmentCountsAsEarned() {
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(Map.of()));
        LoyaltyFixtures.adjust(api(), "c-1", 40);
        assertThat(api().get("/v1/loyalty/stars/members/c-1").json().get("earnedLifetime").asLong()).isEqualTo(40);
    }

    @Test
    void aTransferMovesPointsWithTheirExpiryAndNotAsEarned() {
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(Map.of("expiry", Map.of("afterDays", 30))));
        order(api().at("2031-01-01T00:00:00Z"), "o-1", "c-1", "PAID", 10000);
        Response t = api().at("2031-01-05T00:00:00Z").post("/v1/loyalty/stars/members/c-1/transfers",
                Map.of("to", "charity", "points", 60));
        assertThat(t.status()).isEqualTo(201);
        JsonNode charity = api().at("2031-01-05T00:00:00Z").get("/v1/loyalty/stars/members/charity").json();
        assertThat(charity.get("balance").asLong()).isEqualTo(60);
        assertThat(charity.get("earnedLifetime").asLong()).isZero();
        assertThat(charity.at("/expiring/0/at").asText()).startsWith("2031-01-31T00:00");
        assertThat(balance(api().at("2031-01-05T00:00:00Z"), "c-1")).isEqualTo(40);
    }

    @Test
    void manyConcurrentSpendsNeverTakeTheBalanceBelowZero() throws Exception {
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(Map.of()));
        order(api(), "o-1", "c-1", "PAID", 100000); // 1000 points
        List<Future<Response>> calls = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 30; i++) calls.add(pool.submit(() -> LoyaltyFixtures.adjust(api(), "c-1", -70)));
        }
        int ok = 0;
        for (Future<Response> f : calls) {
            int status = f.get().status();
            assertThat(status).isIn(201, 422);
            if (status == 201) ok++;
        }
        assertThat(ok).isEqualTo(14); // 14 x 70 = 980; a 15th would need 1050
        assertThat(balance(api(), "c-1")).isEqualTo(20);
    }

    @Test
    void aSpendRacingTheExpiryNeverSpendsAnExpiredPoint() throws Exception {
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(Map.of("expiry", Map.of("afterDays", 30))));
        order(api().at("2031-01-01T00:00:00Z"), "o-1", "c-1", "PAID", 10000);
        Future<Response> spend;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            spend = pool.submit(() -> LoyaltyFixtures.adjust(api().at("2031-01-30T23:59:59Z"), "c-1", -100));
            pool.submit(() -> api().post("/v1/test-clock/advance", Map.of("to", "2031-02-01T00:00:00Z")));
        }
        long spent = spend.get().status() == 201 ? 100 : 0;
        long expired = 0;
        for (JsonNode e : api().get("/v1/loyalty/stars/members/c-1/transactions").json().get("data"))
            if (e.get("type").asText().equals("EXPIRE")) expired -= e.get("points").asLong();
        assertThat(spent + expired).isEqualTo(100); // every point either spent or expired, never both
    }
}
