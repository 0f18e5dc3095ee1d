package io.tessera.redemption;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Backend;
import io.tessera.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every limit under real concurrency: many requests at once through the HTTP API, and the counts come out exact —
 * never one redemption or one cent over, and never fewer than the limit allows.
 */
class LimitConcurrencyTest {
    private static final int THREADS = 24;

    /** Sends {@code n} redemptions at once; returns how many succeeded (201). Any other status than 201/422 fails. */
    static int redeemConcurrently(TestServer.Client api, int n, java.util.function.IntFunction<Object> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                fs.add(pool.submit((Callable<Integer>) () -> api.post("/v1/redemptions", body.apply(k)).status()));
            }
            int ok = 0;
            for (Future<Integer> f : fs) {
                int s = f.get();
                assertThat(s).isIn(201, 422);
                if (s == 201) ok++;
            }
            return ok;
        } finally {
            pool.shutdown();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void totalLimitIsExact(Backend backend) throws Exception {
        try (TestServer server = TestServer.on(backend)) {
            var api = server.newProjectClient();
            assertThat(api.post("/v1/campaigns", universal("rush", "RUSH", amount(100), Map.of("redemptions", 15))).status()).isEqualTo(201);
            int ok = redeemConcurrently(api, 80, i -> checkout("c-" + i, List.of("RUSH"), 1000));
            assertThat(ok).isEqualTo(15);
            var stats = api.get("/v1/campaigns/rush/stats").json();
            assertThat(stats.get("redemptions").asLong()).isEqualTo(15);
            assertThat(stats.get("discountGiven").asLong()).isEqualTo(1500);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void perCustomerLimitIsExact(Backend backend) throws Exception {
        try (TestServer server = TestServer.on(backend)) {
            var api = server.newProjectClient();
            api.post("/v1/campaigns", universal("pc", "PC", amount(100), Map.of("perCustomer", 2)));
            // 5 customers each try 10 times at once: exactly 2 each.
            int ok = redeemConcurrently(api, 50, i -> checkout("c-" + (i % 5), List.of("PC"), 1000));
            assertThat(ok).isEqualTo(10);
            for (int c = 0; c < 5; c++) {
                var page = api.get("/v1/redemptions?customer=c-" + c).json();
                assertThat(page.get("data").size()).isEqualTo(2);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void periodLimitsAreExact(Backend backend) throws Exception {
        try (TestServer server = TestServer.on(backend)) {
            var api = server.newProjectClient(Map.of("timezone", "Europe/Berlin"));
            api.post("/v1/campaigns", universal("pp", "PP", amount(100), Map.of("perPeriod",
                    Map.of("count", 7, "period", "DAY"), "perCustomerPerPeriod", Map.of("count", 1, "period", "DAY"))));
            // 23:30 UTC on Nov 30 is already Dec 1 in Berlin: both batches share one Berlin day.
            var late = api.at("2026-11-30T23:30:00Z");
            int ok1 = redeemConcurrently(late, 30, i -> checkout("c-" + (i % 10), List.of("PP"), 1000));
            var nextMorning = api.at("2026-12-01T08:00:00Z");
            int ok2 = redeemConcurrently(nextMorning, 30, i -> checkout("d-" + (i % 10), List.of("PP"), 1000));
            assertThat(ok1 + ok2).isEqualTo(7);
            // A new Berlin day opens the limits again.
            var dayAfter = api.at("2026-12-02T08:00:00Z");
            int ok3 = redeemConcurrently(dayAfter, 30, i -> checkout("c-" + (i % 10), List.of("PP"), 1000));
            assertThat(ok3).isEqualTo(7);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void budgetsAreExactToTheCent(Backend backend) throws Exception {
        try (TestServer server = TestServer.on(backend)) {
            var api = server.newProjectClient();
            api.post("/v1/campaigns", universal("bud", "BUD", amount(300), Map.of("budget", Map.of("discount", 3000))));
            api.post("/v1/campaigns", universal("ord", "ORD", amount(1), Map.of("budget", Map.of("orders", 10_000))));
            assertThat(redeemConcurrently(api, 40, i -> checkout("c-" + i, List.of("BUD"), 1000))).isEqualTo(10);
            assertThat(redeemConcurrently(api, 40, i -> checkout("c-" + i, List.of("ORD"), 1000))).isEqualTo(10);
            var stats = api.get("/v1/campaigns/bud/stats").json();
            assertThat(stats.get("discountGiven").asLong()).isEqualTo(3000);
            assertThat(stats.get("budgetLeft").asLong()).isZero();
            assertThat(api.get("/v1/campaigns/ord/stats").json().get("ordersValue").asLong()).isEqualTo(10_000);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void uniqueCodeIsRedeemedOncePerCode(Backend backend) throws Exception {
        try (TestServer server = TestServer.on(backend)) {
            var api = server.newProjectClient();
            api.post("/v1/campaigns", Map.of("name", "u", "type", "CODES",
                    "codes", Map.of("mode", "UNIQUE", "pattern", "U-#######", "count", 3), "discount", amount(100)));
            String projectId = api.get("/v1/project").json().get("id").asText();
            List<String> all = server.app().database().dsl().fetch("select code from codes where project_id = ?", projectId)
                    .map(r -> r.get(0, String.class));
            assertThat(all).hasSize(3);
            // 20 customers per code at once: each code is redeemed exactly once (perCode defaults to 1).
            int ok = redeemConcurrently(api, 60, i -> checkout("c-" + i, List.of(all.get(i % 3)), 1000));
            assertThat(ok).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void rollbacksGiveBackExactlyOnceUnderConcurrency(Backend backend) throws Exception {
        try (TestServer server = TestServer.on(backend)) {
            var api = server.newProjectClient();
            api.post("/v1/campaigns", universal("rb", "RB", amount(100), Map.of("redemptions", 5)));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) ids.add(api.post("/v1/redemptions", checkout("c-" + i, List.of("RB"), 1000)).json().get("id").asText());
            // Each redemption rolled back by 4 threads at once: exactly one rollback each succeeds.
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            AtomicInteger ok = new AtomicInteger(), conflict = new AtomicInteger();
            List<Future<?>> fs = new ArrayList<>();
            for (String id : ids) for (int k = 0; k < 4; k++) fs.add(pool.submit(() -> {
                int s = api.post("/v1/redemptions/" + id + "/rollback", Map.of("reason", "test")).status();
                (s == 200 ? ok : conflict).incrementAndGet();
                assertThat(s).isIn(200, 409);
            }));
            for (Future<?> f : fs) f.get();
            pool.shutdown();
            assertThat(ok.get()).isEqualTo(5);
            assertThat(conflict.get()).isEqualTo(15);
            // Everything was given back: 5 more redemptions fit, the 6th does not.
            assertThat(redeemConcurrently(api, 20, i -> checkout("d-" + i, List.of("RB"), 1000))).isEqualTo(5);
        }
    }

    /** Two server processes' worth of nodes (two Applications, two pools) on one PostgreSQL database. */
    @Test
    void limitHoldsAcrossTwoServersOnOnePostgres() throws Exception {
        Backend.requirePostgres();
        try (TestServer a = TestServer.on(Backend.POSTGRES); TestServer b = TestServer.on(Backend.POSTGRES)) {
            var apiA = a.newProjectClient();
            var apiB = b.client(apiA.key());
            apiA.post("/v1/campaigns", universal("two", "TWO", amount(100),
                    Map.of("redemptions", 25, "perCustomer", 1, "budget", Map.of("discount", 2400))));
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int k = i;
                var api = k % 2 == 0 ? apiA : apiB;
                fs.add(pool.submit(() -> api.post("/v1/redemptions", checkout("c-" + (k % 50), List.of("TWO"), 1000)).status()));
            }
            int ok = 0;
            for (Future<Integer> f : fs) if (f.get() == 201) ok++;
            pool.shutdown();
            // The budget (2400 = 24 x 100) binds before the count (25).
            assertThat(ok).isEqualTo(24);
            assertThat(apiB.get("/v1/campaigns/two/stats").json().get("discountGiven").asLong()).isEqualTo(2400);
        }
    }
}
