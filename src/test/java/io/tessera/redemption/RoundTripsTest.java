package io.tessera.redemption;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.StatementLog;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a checkout costs in statements, the unit of its latency: a redemption reads nothing for its idempotency key,
 * nothing of static segments in a project without them, no per-customer counter of a customer it is creating, writes
 * the customer once, and stores no event no webhook wants. Background statements (the scheduler's poll, cache version
 * checks) are left out.
 */
class RoundTripsTest extends ServerPerDatabase {
    private static final Predicate<String> BACKGROUND = s -> s.contains(" from tasks ") || s.contains("update tasks ")
            || s.contains("config_version");

    @BeforeEach
    void campaigns() {
        for (int i = 0; i < 3; i++) {
            assertThat(api().post("/v1/campaigns", Map.of("name", "auto" + i, "type", "AUTO",
                    "condition", "order.subtotal >= " + (1000 + i),
                    "discount", Map.of("type", "AMOUNT", "amount", 10 + i))).status()).isEqualTo(201);
        }
        assertThat(api().post("/v1/campaigns", Map.of("name", "once", "type", "CODES",
                "codes", Map.of("mode", "UNIVERSAL", "code", "ONCE"), "discount", Map.of("type", "AMOUNT", "amount", 500),
                "limits", Map.of("perCustomer", 1))).status()).isEqualTo(201);
        redeem("warm-up", "k-warm-up"); // the caches of this project are loaded
    }

    @Test
    void aNewCustomersRedemptionWritesItsCustomerOnceAndReadsNothingItNeedNot() {
        List<String> statements = statementsOf(() -> assertThat(redeem("c-new", "k-1").status()).isEqualTo(201));
        assertThat(statements).noneMatch(s -> s.matches("(?s)select .* from redemptions .*idempotency_key.*"));
        assertThat(statements).noneMatch(s -> s.contains("segment_members"));
        assertThat(statements).noneMatch(s -> s.matches("(?s)select .* from \"?counters\"? .*"));
        assertThat(statements).noneMatch(s -> s.contains("insert into events"));
        assertThat(statements).filteredOn(s -> s.matches("(?s).*\\bcustomers\\b.*"))
                .as("the read before the transaction, and one insert with customer.redeemed").hasSize(2);
        assertThat(statements).filteredOn(s -> s.matches("(?s).*\\binto counters\\b.*|.*update counters\\b.*"))
                .as("the per-customer counter of a new customer: one insert").hasSize(1);
    }

    @Test
    void aRetriedRedemptionGetsItsStoredAnswerAndTheRefusedFirstAttemptNone() {
        Response first = redeem("c-retry", "k-retry");
        assertThat(first.status()).isEqualTo(201);
        Response again = redeem("c-retry", "k-retry"); // refused by perCustomer 1 if it were new: the key decides
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        Response other = redeem("c-retry", "k-other");
        assertThat(other.status()).as(other.body()).isEqualTo(422);
        assertThat(api().get("/v1/redemptions?customer=c-retry").json().at("/data").size()).isEqualTo(1);
    }

    @Test
    void anEventIsStoredOnlyWhenAWebhookWantsIt() {
        List<String> without = statementsOf(() -> redeem("c-a", "k-a"));
        assertThat(without).noneMatch(s -> s.contains("insert into events"));
        assertThat(api().post("/v1/webhooks", Map.of("name", "shop", "url", "http://127.0.0.1:9/hooks",
                "events", List.of("redemption.created"))).status()).isEqualTo(201);
        List<String> with = statementsOf(() -> redeem("c-b", "k-b"));
        assertThat(with).filteredOn(s -> s.contains("insert into events")).as("redemption.created only").hasSize(1);
    }

    @Test
    void aHotCodesSlotIsTheLastRowARedemptionTakesAndOnPostgresqlItsRecordRidesInTheSameStatement() {
        assertThat(api().post("/v1/campaigns", Map.of("name", "hot", "type", "CODES",
                "codes", Map.of("mode", "UNIVERSAL", "code", "HOT"), "discount", Map.of("type", "AMOUNT", "amount", 100),
                "limits", Map.of("redemptions", 2))).status()).isEqualTo(201);
        assertThat(redeem("HOT", "c-hot-0", "k-hot-0").status()).isEqualTo(201); // its slot rows exist from here on
        List<String> statements = statementsOf(() -> assertThat(redeem("HOT", "c-hot-1", "k-hot-1").status()).isEqualTo(201));
        int slot = statements.indexOf(statements.stream().filter(s -> s.contains("counter_slots")).findFirst().orElseThrow());
        // Concurrent checkouts of the code wait on the slot rows until the commit: nothing else runs after taking one.
        List<String> after = statements.subList(slot, statements.size());
        assertThat(after).allMatch(s -> s.contains("counter_slots") || s.contains("into redemption_counters"));
        if (server.app().database().postgres()) {
            assertThat(after).singleElement().asString().contains("update counter_slots")
                    .contains("insert into redemption_counters");
        }
        // The record is what a rollback gives back: the limit of 2 has room for exactly one more.
        assertThat(api().post("/v1/redemptions/" + api().get("/v1/redemptions?customer=c-hot-1").json().at("/data/0/id")
                .asText() + "/rollback", Map.of("reason", "cancelled")).status()).isEqualTo(200);
        assertThat(redeem("HOT", "c-hot-2", "k-hot-2").status()).isEqualTo(201);
        assertThat(redeem("HOT", "c-hot-3", "k-hot-3").status()).isEqualTo(422);
    }

    @Test
    void aQualificationReadsTheCustomerTheirCodesAndThePublicCodesInOnePipeline() throws Exception {
        assertThat(api().post("/v1/campaigns", Map.of("name", "open", "type", "CODES",
                "codes", Map.of("mode", "UNIVERSAL", "code", "OPEN"), "discount", Map.of("type", "AMOUNT", "amount", 100),
                "metadata", Map.of("public", true))).status()).isEqualTo(201);
        Map<String, Object> body = Map.of("customer", Map.of("id", "c-q"), "order", Map.of("currency", "USD",
                "items", List.of(Map.of("sku", "A", "price", 10000, "quantity", 1))));
        assertThat(api().post("/v1/qualifications", body).status()).isEqualTo(200); // the public codes are cached
        List<String> pipelined = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> statements;
        Response answer;
        try (AutoCloseable pipelines = server.app().database().onPipelineStatement(pipelined::add)) {
            Response[] got = new Response[1];
            statements = statementsOf(() -> got[0] = api().post("/v1/qualifications", body));
            answer = got[0];
        }
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().at("/data").findValuesAsText("code")).contains("OPEN");
        List<String> reads = statements.stream().filter(s -> s.matches("(?s).*\\b(customers|codes)\\b.*")).toList();
        assertThat(reads).as("the customer, their codes, the public codes").hasSize(3);
        // One pipeline's statements, one after another (a pipeline goes in one round trip: PipelineTest); no other
        // statement reads either table.
        assertThat(java.util.Collections.indexOfSubList(pipelined, reads)).as(pipelined.toString()).isNotNegative();
    }

    private Response redeem(String customer, String key) {
        return redeem("ONCE", customer, key);
    }

    private Response redeem(String code, String customer, String key) {
        return api().post("/v1/redemptions", Map.of("customer", Map.of("id", customer, "attributes", Map.of("country", "DE")),
                "codes", List.of(code), "order", Map.of("currency", "USD",
                        "items", List.of(Map.of("sku", "A", "price", 10000, "quantity", 1)))), Map.of("Idempotency-Key", key));
    }

    private static List<String> statementsOf(Runnable call) {
        try (StatementLog log = StatementLog.on(server.app().database())) {
            call.run();
            return log.statements().stream().filter(BACKGROUND.negate()).toList();
        }
    }
}
