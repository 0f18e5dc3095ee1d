package io.tessera.loyalty;

import static io.tessera.loyalty.LoyaltyFixtures.balance;
import static io.tessera.loyalty.LoyaltyFixtures.claim;
import static io.tessera.loyalty.LoyaltyFixtures.codes;
import static io.tessera.loyalty.LoyaltyFixtures.order;
import static io.tessera.loyalty.LoyaltyFixtures.reward;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Claims: the points, the stock and the code in one transaction — all of it, or nothing. */
class RewardClaimTest extends ServerPerDatabase {

    private void program(Map<String, Object> loyalty, long codes) {
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(loyalty));
        codes(api(), "five-off-codes", codes);
    }

    @Test
    void aClaimSpendsTheCostAndPublishesACodeToTheMember() {
        program(Map.of(), 10);
        reward(api(), "five-off", 500, "five-off-codes");
        order(api(), "o-1", "c-1", "PAID", 60000); // 600 points
        Response r = claim(api(), "c-1", "five-off");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("pointsSpent").asLong()).isEqualTo(500);
        assertThat(r.json().get("balance").asLong()).isEqualTo(100);
        JsonNode code = api().get("/v1/codes/" + r.json().get("code").asText()).json();
        assertThat(code.get("customer").asText()).isEqualTo("c-1");
        assertThat(code.get("campaign").asText()).isEqualTo("five-off-codes");
        JsonNode spend = api().get("/v1/loyalty/stars/members/c-1/transactions").json().at("/data/0");
        assertThat(spend.get("type").asText()).isEqualTo("SPEND");
        assertThat(spend.get("points").asLong()).isEqualTo(-500);
        assertThat(spend.get("reward").asText()).isEqualTo("five-off");
        assertThat(spend.get("balanceAfter").asLong()).isEqualTo(100);
    }

    @Test
    void aClaimTakesTheEarliestExpiringPointsFirst() {
        program(Map.of("expiry", Map.of("afterDays", 30)), 10);
        reward(api(), "five-off", 250, "five-off-codes");
        order(api().at("2031-01-01T00:00:00Z"), "o-1", "c-1", "PAID", 30000); // 300, expires Jan 31
        order(api().at("2031-01-20T00:00:00Z"), "o-2", "c-1", "PAID", 20000); // 200, expires Feb 19
        assertThat(claim(api().at("2031-01-25T00:00:00Z"), "c-1", "five-off").status()).isEqualTo(201);
        JsonNode expiring = api().at("2031-01-25T00:00:00Z").get("/v1/loyalty/stars/members/c-1").json().get("expiring");
        assertThat(expiring.get(0).get("points").asLong()).isEqualTo(50);
        assertThat(expiring.get(0).get("at").asText()).startsWith("2031-01-31");
        assertThat(expiring.get(1).get("points").asLong()).isEqualTo(200);
    }

    @Test
    void anOverdraftIsRefusedAndPublishesNoCode() {
        program(Map.of(), 10);
        reward(api(), "five-off", 500, "five-off-codes");
        order(api(), "o-1", "c-1", "PAID", 49900); // 499 points
        Response r = claim(api(), "c-1", "five-off");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("code").asText()).isEqualTo("insufficient_points");
        assertThat(balance(api(), "c-1")).isEqualTo(499);
        assertThat(api().get("/v1/campaigns/five-off-codes/codes?status=published").json().get("data").size()).isZero();
    }

    @Test
    void noCodeLeftRefusesTheClaimAndTakesNoPoints() {
        program(Map.of(), 1);
        reward(api(), "five-off", 100, "five-off-codes");
        order(api(), "o-1", "c-1", "PAID", 50000); // 500 points
        assertThat(claim(api(), "c-1", "five-off").status()).isEqualTo(201);
        Response r = claim(api(), "c-1", "five-off");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("code").asText()).isEqualTo("codes_exhausted");
        assertThat(balance(api(), "c-1")).isEqualTo(400);
        assertThat(api().get("/v1/loyalty/stars/members/c-1/transactions").json().get("data").size()).isEqualTo(2);
    }

    @Test
    void theStockRunsOutWithOutOfStockAndTakesNoPoints() {
        program(Map.of(), 10);
        api().post("/v1/loyalty/stars/rewards", Map.of("name", "mug", "cost", 100,
                "grant", Map.of("campaign", "five-off-codes"), "stock", 1));
        order(api(), "o-1", "c-1", "PAID", 50000);
        assertThat(claim(api(), "c-1", "mug").status()).isEqualTo(201);
        Response r = claim(api(), "c-1", "mug");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("code").asText()).isEqualTo("out_of_stock");
        assertThat(balance(api(), "c-1")).isEqualTo(400);
        assertThat(api().get("/v1/loyalty/stars/rewards/mug").json().get("stock").asLong()).isZero();
    }

    @Test
    void eachClaimGetsACodeOfItsOwn() {
        program(Map.of(), 10);
        reward(api(), "five-off", 100, "five-off-codes");
        order(api(), "o-1", "c-1", "PAID", 50000);
        String first = claim(api(), "c-1", "five-off").json().get("code").asText();
        String second = claim(api(), "c-1", "five-off").json().get("code").asText();
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void concurrentClaimsNeverOverdrawAndEachGetsADistinctCode() throws Exception {
        program(Map.of(), 40);
        reward(api(), "five-off", 70, "five-off-codes");
        order(api(), "o-1", "c-1", "PAID", 100000); // 1000 points
        List<Future<Response>> calls = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 30; i++) calls.add(pool.submit(() -> claim(api(), "c-1", "five-off")));
        }
        Set<String> codes = new HashSet<>();
        int refused = 0;
        for (Future<Response> f : calls) {
            Response r = f.get();
            if (r.status() == 201) codes.add(r.json().get("code").asText());
            else if (r.status() == 422 && r.json().get("code").asText().equals("insufficient_points")) refused++;
        }
        assertThat(codes).hasSize(14); // 14 x 70 = 980; a 15th would need 1050
        assertThat(refused).isEqualTo(16);
        assertThat(balance(api(), "c-1")).isEqualTo(20);
    }

    @Test
    void concurrentClaimsOfManyMembersNeverTakeMoreThanTheStock() throws Exception {
        program(Map.of(), 40);
        api().post("/v1/loyalty/stars/rewards", Map.of("name", "mug", "cost", 100,
                "grant", Map.of("campaign", "five-off-codes"), "stock", 5));
        for (int i = 0; i < 12; i++) order(api(), "o-" + i, "c-" + i, "PAID", 10000);
        List<Future<Response>> calls = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 12; i++) {
                String customer = "c-" + i;
                calls.add(pool.submit(() -> claim(api(), customer, "mug")));
            }
        }
        int ok = 0, out = 0;
        for (Future<Response> f : calls) {
            Response r = f.get();
            if (r.status() == 201) ok++;
            else if (r.status() == 409 && r.json().get("code").asText().equals("out_of_stock")) out++;
        }
        assertThat(ok).isEqualTo(5);
        assertThat(out).isEqualTo(7);
        assertThat(api().get("/v1/campaigns/five-off-codes/codes?status=published").json().get("data").size())
                .isEqualTo(5);
    }
}
