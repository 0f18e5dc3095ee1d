package io.tessera.redemption;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Every limit under real concurrency: many requests at once through the HTTP API, and the counts come out exact —
 * never one redemption or one cent over, and never fewer than the limit allows.
 */
class LimitConcurrencyTest extends ServerPerDatabase {
    private static final int THREADS = 24;

    /** Sends the {@code n} requests at once; returns their statuses in request order. */
    private static List<Integer> concurrently(int n, IntFunction<Integer> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                fs.add(pool.submit((Callable<Integer>) () -> request.apply(k)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : fs) statuses.add(f.get());
            return statuses;
        } finally {
            pool.shutdown();
        }
    }

    /** Sends {@code n} redemptions at once; returns how many succeeded (201). Any other status than 201/422 fails. */
    static int redeemConcurrently(TestServer.Client api, int n, IntFunction<Object> body) throws Exception {
        List<Integer> statuses = concurrently(n, i -> api.post("/v1/redemptions", body.apply(i)).status());
        assertThat(statuses).allMatch(s -> s == 201 || s == 422);
        return (int) statuses.stream().filter(s -> s == 201).count();
    }

    private void createCampaign(Map<String, Object> campaign) {
        Response r = api().post("/v1/campaigns", campaign);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    @Test
    void aTotalLimitLetsExactlyThatManyConcurrentRedemptionsStand() throws Exception {
        createCampaign(universal("rush", "RUSH", amount(100), Map.of("redemptions", 15)));

        assertThat(redeemConcurrently(api(), 80, i -> checkout("c-" + i, List.of("RUSH"), 1000))).isEqualTo(15);
        var stats = api().get("/v1/campaigns/rush/stats").json();
        assertThat(stats.at("/redemptions").asLong()).isEqualTo(15);
        assertThat(stats.at("/discountGiven").asLong()).isEqualTo(1500);
    }

    @Test
    void aPerCustomerLimitLetsEachCustomerRedeemExactlyThatOftenUnderConcurrency() throws Exception {
        createCampaign(universal("pc", "PC", amount(100), Map.of("perCustomer", 2)));

        // 5 customers each try 10 times at once: exactly 2 each.
        assertThat(redeemConcurrently(api(), 50, i -> checkout("c-" + (i % 5), List.of("PC"), 1000))).isEqualTo(10);
        for (int c = 0; c < 5; c++) {
            assertThat(api().get("/v1/redemptions?customer=c-" + c).json().at("/data").size()).as("c-" + c).isEqualTo(2);
        }
    }

    /** A project in Berlin with at most 7 redemptions a day and one per customer a day. */
    private TestServer.Client berlinWithDailyLimits() {
        var berlin = server.newProjectClient(Map.of("timezone", "Europe/Berlin"));
        Response r = berlin.post("/v1/campaigns", universal("pp", "PP", amount(100), Map.of("perPeriod",
                Map.of("count", 7, "period", "DAY"), "perCustomerPerPeriod", Map.of("count", 1, "period", "DAY"))));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return berlin;
    }

    @Test
    void periodLimitsCountOneDayOfTheProjectsTimezoneUnderConcurrency() throws Exception {
        var berlin = berlinWithDailyLimits();
        // 23:30 UTC on Nov 30 is already Dec 1 in Berlin: both batches share one Berlin day.
        int late = redeemConcurrently(berlin.at("2026-11-30T23:30:00Z"), 30,
                i -> checkout("c-" + (i % 10), List.of("PP"), 1000));
        int nextMorning = redeemConcurrently(berlin.at("2026-12-01T08:00:00Z"), 30,
                i -> checkout("d-" + (i % 10), List.of("PP"), 1000));

        assertThat(late + nextMorning).isEqualTo(7);
    }

    @Test
    void aNewDayOfTheProjectsTimezoneOpensThePeriodLimitsAgain() throws Exception {
        var berlin = berlinWithDailyLimits();
        assertThat(redeemConcurrently(berlin.at("2026-12-01T08:00:00Z"), 30,
                i -> checkout("c-" + (i % 10), List.of("PP"), 1000))).as("the first day is full").isEqualTo(7);

        // The same customers again, the next Berlin day.
        assertThat(redeemConcurrently(berlin.at("2026-12-02T08:00:00Z"), 30,
                i -> checkout("c-" + (i % 10), List.of("PP"), 1000))).isEqualTo(7);
    }

    @Test
    void aDiscountBudgetIsSpentExactlyToTheCentUnderConcurrency() throws Exception {
        createCampaign(universal("bud", "BUD", amount(300), Map.of("budget", Map.of("discount", 3000))));

        assertThat(redeemConcurrently(api(), 40, i -> checkout("c-" + i, List.of("BUD"), 1000))).isEqualTo(10);
        var stats = api().get("/v1/campaigns/bud/stats").json();
        assertThat(stats.at("/discountGiven").asLong()).isEqualTo(3000);
        assertThat(stats.at("/budgetLeft").asLong()).isZero();
    }

    @Test
    void anOrdersBudgetTakesExactlyTheOrdersThatFitUnderConcurrency() throws Exception {
        createCampaign(universal("ord", "ORD", amount(1), Map.of("budget", Map.of("orders", 10_000))));

        assertThat(redeemConcurrently(api(), 40, i -> checkout("c-" + i, List.of("ORD"), 1000))).isEqualTo(10);
        assertThat(api().get("/v1/campaigns/ord/stats").json().at("/ordersValue").asLong()).isEqualTo(10_000);
    }

    @Test
    void eachUniqueCodeIsRedeemedExactlyOnceUnderConcurrency() throws Exception {
        createCampaign(Map.of("name", "u", "type", "CODES",
                "codes", Map.of("mode", "UNIQUE", "pattern", "U-#######", "count", 3), "discount", amount(100)));
        String projectId = api().get("/v1/project").json().at("/id").asText();
        List<String> all = server.app().database().dsl().fetch("select code from codes where project_id = ?", projectId)
                .map(r -> r.get(0, String.class));
        assertThat(all).hasSize(3);

        // 20 customers per code at once: each code is redeemed exactly once (perCode defaults to 1).
        assertThat(redeemConcurrently(api(), 60, i -> checkout("c-" + i, List.of(all.get(i % 3)), 1000))).isEqualTo(3);
    }

    /** Five redemptions of a campaign limited to five, each then rolled back by four requests at once. */
    private List<Integer> fiveRedemptionsEachRolledBackFourTimesAtOnce() throws Exception {
        createCampaign(universal("rb", "RB", amount(100), Map.of("redemptions", 5)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Response r = api().post("/v1/redemptions", checkout("c-" + i, List.of("RB"), 1000));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            ids.add(r.json().at("/id").asText());
        }
        return concurrently(20, i -> api().post("/v1/redemptions/" + ids.get(i % 5) + "/rollback",
                Map.of("reason", "test")).status());
    }

    @Test
    void concurrentRollbacksOfARedemptionSucceedExactlyOnceAndConflictOtherwise() throws Exception {
        List<Integer> statuses = fiveRedemptionsEachRolledBackFourTimesAtOnce();

        assertThat(statuses).allMatch(s -> s == 200 || s == 409);
        assertThat(statuses.stream().filter(s -> s == 200)).hasSize(5);
        for (int r = 0; r < 5; r++) {
            assertThat(List.of(statuses.get(r), statuses.get(r + 5), statuses.get(r + 10), statuses.get(r + 15)))
                    .as("rollbacks of redemption " + r).containsOnlyOnce(200);
        }
    }

    @Test
    void concurrentRollbacksGiveTheLimitBackExactlyOncePerRedemption() throws Exception {
        fiveRedemptionsEachRolledBackFourTimesAtOnce();

        // Everything was given back once: 5 more redemptions fit, the 6th does not.
        assertThat(redeemConcurrently(api(), 20, i -> checkout("d-" + i, List.of("RB"), 1000))).isEqualTo(5);
    }

    @Test
    void aLimitAndABudgetHoldAcrossTwoNodesOnOneDatabase() throws Exception {
        try (TestServer other = server.anotherNode()) {
            var there = other.client(key);
            createCampaign(universal("two", "TWO", amount(100),
                    Map.of("redemptions", 25, "perCustomer", 1, "budget", Map.of("discount", 2400))));

            List<Integer> statuses = concurrently(100, i -> (i % 2 == 0 ? api() : there)
                    .post("/v1/redemptions", checkout("c-" + (i % 50), List.of("TWO"), 1000)).status());

            // The budget (2400 = 24 x 100) binds before the count (25).
            assertThat(statuses).allMatch(s -> s == 201 || s == 422);
            assertThat(statuses.stream().filter(s -> s == 201)).hasSize(24);
            assertThat(there.get("/v1/campaigns/two/stats").json().at("/discountGiven").asLong()).isEqualTo(2400);
        }
    }
}
