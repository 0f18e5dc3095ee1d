package io.tessera.redemption;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.item;
import static io.tessera.testing.Bodies.order;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Backend;
import io.tessera.testing.Response;
import io.tessera.testing.TestServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CheckoutFlowTest {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void idempotencyKeyReturnsTheFirstAnswerEvenConcurrently(Backend backend) throws Exception {
        try (TestServer server = TestServer.on(backend)) {
            var api = server.newProjectClient();
            api.post("/v1/campaigns", universal("once", "ONCE", amount(100), Map.of("redemptions", 3)));
            var body = checkout("c-1", List.of("ONCE"), 1000);
            ExecutorService pool = Executors.newFixedThreadPool(12);
            List<Future<Response>> fs = new ArrayList<>();
            for (int i = 0; i < 12; i++) fs.add(pool.submit(() -> api.post("/v1/redemptions", body, Map.of("Idempotency-Key", "k-1"))));
            Set<String> ids = new HashSet<>();
            for (var f : fs) {
                var r = f.get();
                assertThat(r.status()).as(r.body()).isEqualTo(201);
                ids.add(r.json().get("id").asText());
            }
            pool.shutdown();
            assertThat(ids).hasSize(1);
            assertThat(api.get("/v1/campaigns/once/stats").json().get("redemptions").asLong()).isEqualTo(1);
            var conflict = api.post("/v1/redemptions", checkout("c-1", List.of("ONCE"), 2000), Map.of("Idempotency-Key", "k-1"));
            assertThat(conflict.status()).isEqualTo(422);
            assertThat(conflict.json().get("code").asText()).isEqualTo("idempotency_conflict");
            // Keys belong to a project: another project may use the same key.
            var other = server.newProjectClient();
            other.post("/v1/campaigns", universal("once", "ONCE", amount(100), Map.of()));
            assertThat(other.post("/v1/redemptions", body, Map.of("Idempotency-Key", "k-1")).json().get("id").asText()).isNotIn(ids);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void allOrNothingRollbackAndListing(Backend backend) {
        try (TestServer server = TestServer.on(backend)) {
            var api = server.newProjectClient();
            api.post("/v1/campaigns", universal("a", "AAA", amount(100), Map.of("redemptions", 1)));
            api.post("/v1/campaigns", universal("b", "BBB", Map.of("type", "PERCENT", "percent", 10), Map.of("perCustomer", 1)));
            // Both apply: one redemption holds both.
            var r1 = api.post("/v1/redemptions", checkout("c-1", List.of("AAA", "BBB"), 1000));
            assertThat(r1.status()).isEqualTo(201);
            assertThat(r1.json().get("order").get("discount").asLong()).isEqualTo(190);
            // AAA is used up, so the pair is refused and BBB is not consumed for c-2.
            var r2 = api.post("/v1/redemptions", checkout("c-2", List.of("BBB", "AAA"), 1000));
            assertThat(r2.status()).isEqualTo(422);
            assertThat(r2.json().get("rejected").get(0).get("code").asText()).isEqualTo("AAA");
            assertThat(r2.json().get("rejected").get(0).get("reason").asText()).isEqualTo("redemption_limit");
            assertThat(api.post("/v1/redemptions", checkout("c-2", List.of("BBB"), 1000)).status()).isEqualTo(201);

            String id = r1.json().get("id").asText();
            assertThat(api.get("/v1/redemptions?campaign=a").json().get("data").size()).isEqualTo(1);
            assertThat(api.get("/v1/redemptions?code=bbb").json().get("data").size()).isEqualTo(2);
            assertThat(api.get("/v1/redemptions?customer=c-2").json().get("data").get(0).get("customer").asText()).isEqualTo("c-2");
            var page = api.get("/v1/redemptions?limit=1").json();
            assertThat(page.get("data").get(0).get("customer").asText()).isEqualTo("c-2");
            var next = api.get("/v1/redemptions?limit=1&cursor=" + page.get("nextCursor").asText()).json();
            assertThat(next.get("data").get(0).get("id").asText()).isEqualTo(id);

            // An order linked to the redemption carries its discount.
            var order = Map.<String, Object>of("id", "o-1", "customer", "c-1", "status", "PAID", "currency", "USD",
                    "items", List.of(item("A", 1000, 1)), "shipping", 300, "redemption", id);
            var o = api.post("/v1/orders", order).json();
            assertThat(o.get("discount").asLong()).isEqualTo(190);
            assertThat(o.get("total").asLong()).isEqualTo(1000 + 300 - 190);
            assertThat(api.get("/v1/redemptions/" + id).json().get("status").asText()).isEqualTo("REDEEMED");
            assertThat(api.post("/v1/orders", Map.of("id", "o-2", "status", "PAID", "currency", "USD",
                    "items", List.of(item("A", 1000, 1)), "redemption", "red_unknown")).json().get("errors").get(0).get("field").asText())
                    .isEqualTo("redemption");

            var rb = api.post("/v1/redemptions/" + id + "/rollback", Map.of("reason", "order cancelled"));
            assertThat(rb.status()).isEqualTo(200);
            assertThat(rb.json().get("status").asText()).isEqualTo("ROLLED_BACK");
            assertThat(api.post("/v1/redemptions/" + id + "/rollback", Map.of()).json().get("code").asText()).isEqualTo("already_rolled_back");
            assertThat(api.post("/v1/redemptions/red_nope/rollback", Map.of()).status()).isEqualTo(404);
            // Everything c-1 took is back: AAA's total and BBB's per-customer count.
            assertThat(api.post("/v1/redemptions", checkout("c-1", List.of("AAA", "BBB"), 1000)).status()).isEqualTo(201);
            var stats = api.get("/v1/campaigns/b/stats").json();
            assertThat(stats.get("redemptions").asLong()).isEqualTo(2);
            assertThat(stats.get("rolledBack").asLong()).isEqualTo(1);
            assertThat(stats.get("byDay").get(0).get("redemptions").asLong()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void validationConsumesNothingAndExplains(Backend backend) {
        try (TestServer server = TestServer.on(backend)) {
            var api = server.newProjectClient();
            api.post("/v1/campaigns", universal("one", "ONE", amount(100), Map.of("redemptions", 1)));
            api.post("/v1/campaigns", Map.of("name", "big-spender", "type", "AUTO", "condition", "order.subtotal >= 10000",
                    "discount", amount(500)));
            for (int i = 0; i < 3; i++) assertThat(api.post("/v1/validations", checkout("c-" + i, List.of("ONE"), 1000)).json().get("valid").asBoolean()).isTrue();
            var explained = api.post("/v1/validations", Map.of("customer", "c-1", "codes", List.of("ONE"), "order", order(1000), "explain", true)).json();
            assertThat(explained.get("notApplied").get(0).get("campaign").asText()).isEqualTo("big-spender");
            assertThat(explained.get("notApplied").get(0).get("reason").asText()).isEqualTo("condition_not_met");
            var anonymous = api.post("/v1/redemptions", checkout(null, List.of("ONE"), 1000));
            assertThat(anonymous.status()).isEqualTo(201);
            assertThat(anonymous.json().get("customer").isNull()).isTrue();
            assertThat(api.post("/v1/redemptions", checkout("c-9", List.of(), 500)).json().get("code").asText()).isEqualTo("nothing_to_redeem");
            // An automatic promotion used up: the next order redeems without it instead of failing.
            api.post("/v1/campaigns", Map.of("name", "first-two", "type", "AUTO", "discount", amount(50),
                    "limits", Map.of("redemptions", 2)));
            for (int i = 0; i < 2; i++) {
                var r = api.post("/v1/redemptions", checkout("d-" + i, List.of(), 1000));
                assertThat(r.json().get("applied").findValuesAsText("campaign")).containsExactly("first-two");
            }
            var withCode = api.post("/v1/redemptions", Map.of("customer", "d-3", "codes", List.of("ONE"), "order", order(1000)));
            assertThat(withCode.status()).isEqualTo(422);
            assertThat(withCode.json().get("rejected").get(0).get("reason").asText()).isEqualTo("redemption_limit");
            assertThat(api.post("/v1/redemptions", checkout("d-4", List.of(), 1000)).json().get("code").asText()).isEqualTo("nothing_to_redeem");
            assertThat(api.get("/v1/campaigns/first-two/stats").json().get("redemptions").asLong()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void customersSegmentsAndOrdersFeedConditions(Backend backend) {
        try (TestServer server = TestServer.on(backend)) {
            var api = server.newProjectClient();
            api.post("/v1/segments", Map.of("name", "loyal", "condition", "customer.orders.total >= 5000"));
            api.post("/v1/segments", Map.of("name", "beta", "customers", List.of("c-beta")));
            api.post("/v1/campaigns", Map.of("name", "loyal10", "type", "AUTO", "condition", "'loyal' in customer.segments",
                    "discount", Map.of("type", "PERCENT", "percent", 10)));
            api.post("/v1/campaigns", Map.of("name", "welcome", "type", "AUTO",
                    "condition", "customer.isNew && customer.attributes.country == 'DE'", "discount", amount(300)));

            // A validation uses the attributes it is sent for that request only: it never writes.
            var v = api.post("/v1/validations", Map.of("customer", Map.of("id", "c-1", "attributes", Map.of("country", "DE", "firstName", "Ana")),
                    "order", order(2000))).json();
            assertThat(v.get("applied").findValuesAsText("campaign")).containsExactly("welcome");
            assertThat(api.get("/v1/customers/c-1").status()).isEqualTo(404);
            api.put("/v1/customers/c-1", Map.of("attributes", Map.of("country", "DE", "firstName", "Ana")));
            api.put("/v1/customers/c-1", Map.of("attributes", Map.of("firstName", "Anna"), "consents", Map.of("email", true)));
            var c = api.get("/v1/customers/c-1").json();
            assertThat(c.get("attributes").get("country").asText()).isEqualTo("DE");
            assertThat(c.get("attributes").get("firstName").asText()).isEqualTo("Anna");
            assertThat(c.get("consents").get("email").asBoolean()).isTrue();

            // A paid order makes the customer not new and, above 5000, loyal.
            var o = api.post("/v1/orders", Map.of("id", "o-1", "customer", "c-1", "status", "PAID", "currency", "USD",
                    "items", List.of(item("A", 6000, 1))));
            assertThat(o.status()).isEqualTo(201);
            c = api.get("/v1/customers/c-1").json();
            assertThat(c.get("orders").get("count").asLong()).isEqualTo(1);
            assertThat(c.get("isNew").asBoolean()).isFalse();
            assertThat(c.get("segments").toString()).contains("loyal");
            v = api.post("/v1/validations", Map.of("customer", "c-1", "order", order(2000))).json();
            assertThat(v.get("applied").findValuesAsText("campaign")).containsExactly("loyal10");
            // Refunding takes the order out of the statistics again.
            assertThat(api.post("/v1/orders", Map.of("id", "o-1", "customer", "c-1", "status", "REFUNDED", "currency", "USD",
                    "items", List.of(item("A", 6000, 1)))).status()).isEqualTo(200);
            assertThat(api.get("/v1/customers/c-1").json().get("orders").get("count").asLong()).isZero();

            assertThat(api.get("/v1/customers/c-beta").json().get("segments").toString()).contains("beta");
            assertThat(api.post("/v1/segments/loyal/members", Map.of("customers", List.of("x"))).status()).isEqualTo(422);
            assertThat(api.post("/v1/segments", Map.of("name", "bad", "condition", "customer.")).json().get("errors").get(0).get("field").asText()).isEqualTo("condition");

            // Erasure keeps the ledger but drops personal data; the export shows what is held.
            assertThat(api.get("/v1/customers/c-1/export").json().get("orders").size()).isEqualTo(1);
            assertThat(api.delete("/v1/customers/c-1").status()).isEqualTo(200);
            c = api.get("/v1/customers/c-1").json();
            assertThat(c.get("attributes").size()).isZero();
            assertThat(c.get("erasedAt").isNull()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void testClockMovesRequestsThroughTime(Backend backend) {
        try (TestServer server = TestServer.on(backend)) {
            var api = server.newProjectClient(Map.of("timezone", "America/New_York"));
            api.post("/v1/campaigns", universal("daily", "DAILY", amount(100),
                    Map.of("perCustomerPerPeriod", Map.of("count", 1, "period", "DAY"))));
            // 03:00 UTC is still the previous evening in New York.
            assertThat(api.at("2026-11-24T03:00:00Z").post("/v1/redemptions", checkout("c-1", List.of("DAILY"), 1000)).status()).isEqualTo(201);
            var sameDay = api.at("2026-11-23T23:00:00Z").post("/v1/redemptions", checkout("c-1", List.of("DAILY"), 1000));
            assertThat(sameDay.json().get("rejected").get(0).get("reason").asText()).isEqualTo("customer_period_limit");
            assertThat(api.at("2026-11-24T12:00:00Z").post("/v1/redemptions", checkout("c-1", List.of("DAILY"), 1000)).status()).isEqualTo(201);
            var bad = api.at("yesterday").post("/v1/validations", checkout("c-1", List.of("DAILY"), 1000));
            assertThat(bad.status()).isEqualTo(422);
            assertThat(bad.json().get("errors").get(0).get("field").asText()).isEqualTo("X-Test-Now");
        }
    }
}
