package io.tessera.http;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.item;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad input gets a problem document naming the field, and nothing is written. */
class BadInputTest extends ServerPerDatabase {

    private static void assertProblem(Response r, int status, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("content-type")).contains("application/problem+json");
        assertThat(r.json().get("errors").findValuesAsText("field")).contains(field);
    }

    private static Map<String, Object> codes(String name, String code, Map<String, Object> more) {
        var m = new java.util.HashMap<String, Object>(Map.of("name", name, "type", "CODES",
                "codes", Map.of("mode", "UNIVERSAL", "code", code), "discount", amount(100)));
        m.putAll(more);
        return m;
    }

    static Stream<Arguments> badCampaigns() {
        return Stream.of(
                Arguments.of("discount.percent", universal("b1", "B1", Map.of("type", "PERCENT", "percent", 150), Map.of())),
                Arguments.of("discount.percent", universal("b2", "B2", Map.of("type", "PERCENT", "percent", 0), Map.of())),
                Arguments.of("discount.type", universal("b3", "B3", Map.of("type", "BOGUS"), Map.of())),
                Arguments.of("discount.amount", universal("b4", "B4", amount(-5), Map.of())),
                Arguments.of("discount.amount", universal("b5", "B5", Map.of("type", "AMOUNT", "amount", true), Map.of())),
                Arguments.of("discount.amount", universal("b6", "B6", Map.of("type", "AMOUNT", "amount", 1e15), Map.of())),
                Arguments.of("discount.amout", universal("b7", "B7", Map.of("type", "AMOUNT", "amount", 100, "amout", 1), Map.of())),
                Arguments.of("limits.redemptions", universal("b8", "B8", amount(100), Map.of("redemptions", 0))),
                Arguments.of("discount.amount.ZZZ", universal("b9", "B9", Map.of("type", "AMOUNT", "amount",
                        Map.of("USD", 100, "ZZZ", 1)), Map.of())),
                Arguments.of("condition", codes("b10", "B10", Map.of("condition", "order.subtotal >= "))),
                Arguments.of("condition", codes("b11", "B11", Map.of("condition", "ordr.subtotal > 1"))),
                Arguments.of("discount.target.selector", codes("b12", "B12", Map.of("discount", Map.of("type", "PERCENT",
                        "percent", 10, "target", Map.of("scope", "ITEMS", "selector", "item.sku +"))))),
                Arguments.of("codes.count", Map.of("name", "b13", "type", "CODES", "codes", Map.of("mode", "UNIQUE",
                        "pattern", "G-##", "count", 50), "discount", amount(100))),
                Arguments.of("name", Map.of("name", "bad name", "type", "AUTO", "discount", amount(1))),
                Arguments.of("endsAt", Map.of("name", "b14", "type", "AUTO", "discount", amount(1), "endsAt", "tomorrow")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCampaigns")
    void aBadCampaignIsRefusedNamingTheFieldAndNothingIsCreated(String field, Map<String, Object> body) {
        assertProblem(server.post("/v1/campaigns", key, body), 422, field);
        assertThat(server.get("/v1/campaigns", key).json().get("data")).isEmpty();
    }

    @Test
    void aBodyThatIsNotJsonIsMalformed() {
        Response r = server.raw("POST", "/v1/campaigns", key, "{\"name\": \"x\", ", "application/json");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("code").asText()).isEqualTo("malformed_json");
    }

    @Test
    void aTakenNameIsAConflictThatKeepsTheFirstCampaign() {
        assertThat(server.post("/v1/campaigns", key, universal("ok", "OK1", amount(100), Map.of())).status()).isEqualTo(201);
        assertThat(server.post("/v1/campaigns", key, universal("ok", "OK2", amount(100), Map.of())).status()).isEqualTo(409);
        assertThat(server.get("/v1/campaigns/ok", key).json().at("/codes/code").asText()).isEqualTo("OK1");
    }

    @Test
    void aCodeTakenInAnyCaseIsAConflict() {
        server.post("/v1/campaigns", key, universal("ok", "OK1", amount(100), Map.of()));
        Response taken = server.post("/v1/campaigns", key, universal("ok2", "ok1", amount(100), Map.of()));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().get("code").asText()).isEqualTo("code_taken");
        assertThat(server.get("/v1/campaigns", key).json().get("data").findValuesAsText("name")).containsExactly("ok");
    }

    private static Map<String, Object> order(Map<String, Object> item) {
        return Map.of("currency", "USD", "items", List.of(item));
    }

    static Stream<Arguments> badCheckouts() {
        return Stream.of(
                Arguments.of("order.items[0].price", Map.of("codes", List.of("CODE"), "order", order(item("A", -5, 1)))),
                Arguments.of("order.items[0].quantity", Map.of("codes", List.of("CODE"), "order", order(item("A", 5, 0)))),
                Arguments.of("order.items[0].quantity", Map.of("codes", List.of("CODE"), "order",
                        order(item("A", 999_999_999_999L, 1_000_000)))),
                Arguments.of("order.currency", Map.of("codes", List.of("CODE"), "order",
                        Map.of("currency", "DOLLARS", "items", List.of(item("A", 5, 1))))),
                Arguments.of("codes", Map.of("codes", "CODE", "order", order(item("A", 5, 1)))),
                Arguments.of("codez", Map.of("codez", List.of("CODE"), "order", order(item("A", 5, 1)))),
                Arguments.of("order", Map.of("codes", List.of("CODE"))),
                Arguments.of("order.shipping", Map.of("customer", "c-1", "codes", List.of("CODE"), "order",
                        Map.of("currency", "USD", "items", List.of(item("A", 5, 1)), "shipping", -1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCheckouts")
    void aBadRedemptionIsRefusedNamingTheFieldAndNothingIsRedeemed(String field, Map<String, Object> body) {
        server.post("/v1/campaigns", key, universal("c", "CODE", amount(100), Map.of()));
        assertProblem(server.post("/v1/redemptions", key, body), 422, field);
        assertThat(server.get("/v1/redemptions", key).json().get("data")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCheckouts")
    void aBadValidationIsRefusedNamingTheField(String field, Map<String, Object> body) {
        assertProblem(server.post("/v1/validations", key, body), 422, field);
    }

    @Test
    void aBodyLargerThanTheLimitIs413() {
        var big = "{\"pad\": \"" + "x".repeat(2_000_000) + "\"}";
        assertThat(server.raw("POST", "/v1/validations", key, big, "application/json").status()).isEqualTo(413);
    }
}
