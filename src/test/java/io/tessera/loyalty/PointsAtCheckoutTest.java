package io.tessera.loyalty;

import static io.tessera.loyalty.LoyaltyFixtures.adjust;
import static io.tessera.loyalty.LoyaltyFixtures.balance;
import static io.tessera.testing.Bodies.item;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Points plus cash: loyalty points pay part of an order in validations and redemptions; rollbacks give them back. */
class PointsAtCheckoutTest extends ServerPerDatabase {

    /** "stars" without earning rules, {@code points} points worth {@code amount} minor units, plus {@code extra}. */
    private void program(long points, long amount, Map<String, Object> extra) {
        Map<String, Object> loyalty = new HashMap<>(Map.of("earning", List.of(),
                "pointValue", Map.of("points", points, "amount", amount)));
        loyalty.putAll(extra);
        LoyaltyFixtures.create(api(), Map.of("name", "stars", "type", "LOYALTY", "loyalty", loyalty));
    }

    private static Map<String, Object> body(String customer, List<String> codes, List<Map<String, Object>> items,
                                            long shipping, Object loyalty) {
        Map<String, Object> b = new HashMap<>(Map.of("customer", customer, "codes", codes, "order",
                Map.of("currency", "USD", "items", items, "shipping", shipping)));
        if (loyalty != null) b.put("loyalty", loyalty);
        return b;
    }

    private static Map<String, Object> pay(long points) {
        return Map.of("program", "stars", "points", points);
    }

    private static Map<String, Object> order3000(long points) {
        return body("c-1", List.of(), List.of(item("A", 3000, 1)), 0, pay(points));
    }

    private static JsonNode pointsEntry(Response r) {
        for (JsonNode a : r.json().get("applied")) if (a.get("type").asText().equals("POINTS")) return a;
        throw new AssertionError("no POINTS entry in " + r);
    }

    private static List<String> fields(Response r) {
        return r.json().get("errors").findValuesAsText("field");
    }

    private Response redeem(TestServer.Client api, Map<String, Object> body) {
        return api.post("/v1/redemptions", body);
    }

    @Test
    void pointsPayWhatIsLeftAfterTheOtherDiscountsSpreadOverTheLines() {
        program(100, 100, Map.of());
        api().post("/v1/campaigns", Map.of("name", "ten", "type", "CODES", "active", true,
                "codes", Map.of("mode", "UNIVERSAL", "code", "TEN"), "discount", Map.of("type", "PERCENT", "percent", 10)));
        adjust(api(), "c-1", 1000);
        Response r = api().post("/v1/validations", body("c-1", List.of("TEN"),
                List.of(item("A", 2000, 1), item("B", 1000, 1)), 400, pay(500)));
        assertThat(r.status()).isEqualTo(200);
        JsonNode order = r.json().get("order");
        assertThat(r.json().get("valid").asBoolean()).isTrue();
        assertThat(order.get("discount").asLong()).isEqualTo(800);
        assertThat(order.get("total").asLong()).isEqualTo(3000 + 400 - 800);
        JsonNode points = pointsEntry(r);
        assertThat(points.get("campaign").asText()).isEqualTo("stars");
        assertThat(points.get("discount").asLong()).isEqualTo(500);
        assertThat(points.get("points").asLong()).isEqualTo(500);
        // 1800 and 900 are left of the lines after 10 %: 500 splits 2:1 by largest remainder → 333 + 167.
        assertThat(points.at("/items/0/discount").asLong()).isEqualTo(333);
        assertThat(points.at("/items/1/discount").asLong()).isEqualTo(167);
        assertThat(order.at("/items/0/total").asLong()).isEqualTo(2000 - 200 - 333);
    }

    @Test
    void pointsNeverPayShippingAndSpendTheFewestPointsThatGiveTheDiscount() {
        program(3, 2, Map.of()); // 3 points are worth 2 minor units
        adjust(api(), "c-1", 10_000);
        // 10 points are worth floor(20 / 3) = 6; the fewest points worth 6 are ceil(18 / 2) = 9.
        JsonNode small = pointsEntry(api().post("/v1/validations",
                body("c-1", List.of(), List.of(item("A", 3000, 1)), 0, pay(10))));
        assertThat(small.get("discount").asLong()).isEqualTo(6);
        assertThat(small.get("points").asLong()).isEqualTo(9);
        // 9000 points would be worth 6000, but only the items' 300 are left to pay: 450 points pay them.
        Response r = api().post("/v1/validations", body("c-1", List.of(), List.of(item("A", 300, 1)), 500, pay(9000)));
        assertThat(pointsEntry(r).get("discount").asLong()).isEqualTo(300);
        assertThat(pointsEntry(r).get("points").asLong()).isEqualTo(450);
        assertThat(r.json().at("/order/total").asLong()).isEqualTo(500);
    }

    @Test
    void aValidationSpendsNothingAndWritesNothing() {
        program(100, 100, Map.of());
        adjust(api(), "c-1", 1000);
        assertThat(api().post("/v1/validations", order3000(500)).json().get("valid").asBoolean()).isTrue();
        assertThat(balance(api(), "c-1")).isEqualTo(1000);
        assertThat(api().get("/v1/loyalty/stars/members/c-1/transactions").json().get("data").size()).isEqualTo(1);
    }

    @Test
    void aBalanceTooSmallForTheRequestIsInvalidOnValidation() {
        program(100, 100, Map.of());
        adjust(api(), "c-1", 1000);
        Response r = api().post("/v1/validations", order3000(1001));
        assertThat(r.json().get("valid").asBoolean()).isFalse();
        assertThat(r.json().at("/rejected/0/reason").asText()).isEqualTo("insufficient_points");
        assertThat(r.json().at("/rejected/0/campaign").asText()).isEqualTo("stars");
        assertThat(r.json().at("/order/discount").asLong()).isZero();
    }

    @Test
    void aRedemptionSpendsThePointsWithASpendEntryNamingIt() {
        program(100, 100, Map.of());
        adjust(api(), "c-1", 1000);
        Response r = redeem(api(), order3000(500));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().at("/order/total").asLong()).isEqualTo(2500);
        assertThat(balance(api(), "c-1")).isEqualTo(500);
        JsonNode spend = api().get("/v1/loyalty/stars/members/c-1/transactions").json().at("/data/0");
        assertThat(spend.get("type").asText()).isEqualTo("SPEND");
        assertThat(spend.get("points").asLong()).isEqualTo(-500);
        assertThat(spend.get("balanceAfter").asLong()).isEqualTo(500);
        assertThat(spend.get("redemption").asText()).isEqualTo(r.json().get("id").asText());
        assertThat(api().get("/v1/redemptions?campaign=stars").json().at("/data/0/id").asText())
                .isEqualTo(r.json().get("id").asText());
    }

    @Test
    void aRefusedRedemptionConsumesNothingOfItsCodes() {
        program(100, 100, Map.of());
        api().post("/v1/campaigns", Map.of("name", "once", "type", "CODES", "active", true,
                "codes", Map.of("mode", "UNIVERSAL", "code", "ONCE"), "discount", Map.of("type", "AMOUNT", "amount", 100),
                "limits", Map.of("redemptions", 1)));
        adjust(api(), "c-1", 1000);
        Response refused = redeem(api(), body("c-1", List.of("ONCE"), List.of(item("A", 3000, 1)), 0, pay(2000)));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("code").asText()).isEqualTo("redemption_rejected");
        assertThat(refused.json().at("/rejected/0/reason").asText()).isEqualTo("insufficient_points");
        assertThat(balance(api(), "c-1")).isEqualTo(1000);
        assertThat(redeem(api(), body("c-1", List.of("ONCE"), List.of(item("A", 3000, 1)), 0, pay(1000))).status())
                .isEqualTo(201);
    }

    @Test
    void aRollbackGivesThePointsBackToTheBucketsTheyCameFromOnce() {
        program(100, 100, Map.of("expiry", Map.of("afterDays", 30)));
        adjust(api().at("2031-01-01T00:00:00Z"), "c-1", 300); // expires Jan 31
        adjust(api().at("2031-01-10T00:00:00Z"), "c-1", 700); // expires Feb 9
        TestServer.Client jan20 = api().at("2031-01-20T00:00:00Z");
        JsonNode before = jan20.get("/v1/loyalty/stars/members/c-1").json().get("expiring");
        String id = redeem(jan20, order3000(500)).json().get("id").asText();
        assertThat(jan20.get("/v1/loyalty/stars/members/c-1").json().at("/expiring/0/at").asText())
                .startsWith("2031-02-09"); // the 300 expiring first went first
        assertThat(jan20.post("/v1/redemptions/" + id + "/rollback", Map.of("reason", "cancelled")).status())
                .isEqualTo(200);
        assertThat(jan20.post("/v1/redemptions/" + id + "/rollback", Map.of()).status()).isEqualTo(409);
        JsonNode after = jan20.get("/v1/loyalty/stars/members/c-1").json();
        assertThat(after.get("balance").asLong()).isEqualTo(1000);
        assertThat(after.get("expiring")).isEqualTo(before);
        JsonNode reverse = jan20.get("/v1/loyalty/stars/members/c-1/transactions").json().at("/data/0");
        assertThat(reverse.get("type").asText()).isEqualTo("REVERSE");
        assertThat(reverse.get("points").asLong()).isEqualTo(500);
        assertThat(reverse.get("redemption").asText()).isEqualTo(id);
    }

    @Test
    void pointsWhoseBucketExpiredBeforeTheRollbackComeBackExpired() {
        program(100, 100, Map.of("expiry", Map.of("afterDays", 30)));
        adjust(api().at("2031-01-01T00:00:00Z"), "c-1", 300); // expires Jan 31
        String id = redeem(api().at("2031-01-20T00:00:00Z"), order3000(200)).json().get("id").asText();
        TestServer.Client feb5 = api().at("2031-02-05T00:00:00Z");
        api().post("/v1/test-clock/advance", Map.of("to", "2031-02-05T00:00:00Z")); // the 100 left expire
        assertThat(feb5.post("/v1/redemptions/" + id + "/rollback", Map.of()).status()).isEqualTo(200);
        assertThat(balance(feb5, "c-1")).isZero();
        List<String> ledger = new ArrayList<>();
        for (JsonNode e : feb5.get("/v1/loyalty/stars/members/c-1/transactions").json().get("data"))
            ledger.add(e.get("type").asText() + " " + e.get("points").asLong() + " → " + e.get("balanceAfter").asLong());
        assertThat(ledger).containsExactly("EXPIRE -200 → 0", "REVERSE 200 → 200", "EXPIRE -100 → 0",
                "SPEND -200 → 100", "ADJUST 300 → 300");
    }

    @Test
    void concurrentRedemptionsOfOneMemberNeverSpendMoreThanItsBalance() throws Exception {
        program(100, 100, Map.of());
        adjust(api(), "c-1", 1000);
        List<Future<Response>> calls = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 30; i++) calls.add(pool.submit(() -> redeem(api(), order3000(70))));
        }
        int ok = 0;
        for (Future<Response> f : calls) {
            Response r = f.get();
            assertThat(r.status()).as(r.toString()).isIn(201, 422);
            if (r.status() == 201) ok++;
            else assertThat(r.json().at("/rejected/0/reason").asText()).isEqualTo("insufficient_points");
        }
        assertThat(ok).isEqualTo(14); // 14 x 70 = 980; a 15th would need 1050
        assertThat(balance(api(), "c-1")).isEqualTo(20);
    }

    @Test
    void aRedemptionSentAgainWithItsIdempotencyKeySpendsOnce() {
        program(100, 100, Map.of());
        adjust(api(), "c-1", 1000);
        Response first = api().post("/v1/redemptions", order3000(500), Map.of("Idempotency-Key", "pp-1"));
        Response again = api().post("/v1/redemptions", order3000(500), Map.of("Idempotency-Key", "pp-1"));
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(balance(api(), "c-1")).isEqualTo(500);
        Response other = api().post("/v1/redemptions", order3000(400), Map.of("Idempotency-Key", "pp-1"));
        assertThat(other.json().get("code").asText()).isEqualTo("idempotency_conflict");
    }

    @Test
    void badLoyaltyInputIsRefusedNamingTheField() {
        program(100, 100, Map.of());
        LoyaltyFixtures.create(api(), Map.of("name", "plain", "type", "LOYALTY", "loyalty", Map.of("earning", List.of())));
        api().post("/v1/campaigns", Map.of("name", "ten", "type", "CODES", "active", true,
                "codes", Map.of("mode", "UNIVERSAL", "code", "TEN"), "discount", Map.of("type", "PERCENT", "percent", 10)));
        for (String name : List.of("nope", "plain", "ten")) {
            Response r = api().post("/v1/validations", body("c-1", List.of(), List.of(item("A", 3000, 1)), 0,
                    Map.of("program", name, "points", 10)));
            assertThat(r.status()).as(name).isEqualTo(422);
            assertThat(fields(r)).as(name).containsExactly("loyalty.program");
        }
        Response zero = redeem(api(), body("c-1", List.of(), List.of(item("A", 3000, 1)), 0,
                Map.of("program", "stars", "points", 0)));
        assertThat(zero.status()).isEqualTo(422);
        assertThat(fields(zero)).containsExactly("loyalty.points");
        Response anonymous = api().post("/v1/validations", Map.of("order", Map.of("currency", "USD",
                "items", List.of(item("A", 3000, 1))), "loyalty", pay(10)));
        assertThat(fields(anonymous)).containsExactly("customer");
    }

    @Test
    void pointsThatPayNothingAreRejectedWithNoEffect() {
        program(100, 1, Map.of()); // 100 points are worth one minor unit
        adjust(api(), "c-1", 1000);
        Response r = api().post("/v1/validations", order3000(99));
        assertThat(r.json().get("valid").asBoolean()).isFalse();
        assertThat(r.json().at("/rejected/0/reason").asText()).isEqualTo("no_effect");
    }
}
