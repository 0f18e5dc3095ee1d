package io.tessera.http;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.item;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Backend;
import io.tessera.testing.Response;
import io.tessera.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every kind of bad input gets a problem document naming the field, and nothing is written. */
class BadInputTest {

    private static void assertProblem(Response r, int status, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("content-type")).contains("application/problem+json");
        if (field != null) assertThat(r.json().get("errors").findValuesAsText("field")).contains(field);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void campaignsRefuseBadDefinitions(Backend backend) {
        try (TestServer server = TestServer.on(backend)) {
            var api = server.newProjectClient();
            var malformed = api.post("/v1/campaigns", "{\"name\": \"x\", ");
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.json().get("code").asText()).isEqualTo("malformed_json");

            assertProblem(api.post("/v1/campaigns", universal("b1", "B1", Map.of("type", "PERCENT", "percent", 150), Map.of())), 422, "discount.percent");
            assertProblem(api.post("/v1/campaigns", universal("b2", "B2", Map.of("type", "PERCENT", "percent", 0), Map.of())), 422, "discount.percent");
            assertProblem(api.post("/v1/campaigns", universal("b3", "B3", Map.of("type", "BOGUS"), Map.of())), 422, "discount.type");
            assertProblem(api.post("/v1/campaigns", universal("b4", "B4", amount(-5), Map.of())), 422, "discount.amount");
            assertProblem(api.post("/v1/campaigns", universal("b5", "B5", Map.of("type", "AMOUNT", "amount", true), Map.of())), 422, "discount.amount");
            assertProblem(api.post("/v1/campaigns", universal("b6", "B6", Map.of("type", "AMOUNT", "amount", 1e15), Map.of())), 422, "discount.amount");
            assertProblem(api.post("/v1/campaigns", universal("b7", "B7", Map.of("type", "AMOUNT", "amount", 100, "amout", 1), Map.of())), 422, "discount.amout");
            assertProblem(api.post("/v1/campaigns", universal("b8", "B8", amount(100), Map.of("redemptions", 0))), 422, "limits.redemptions");
            assertProblem(api.post("/v1/campaigns", universal("b9", "B9", Map.of("type", "AMOUNT", "amount", Map.of("USD", 100, "ZZZ", 1)), Map.of())), 422, "discount.amount.ZZZ");
            var cel = Map.<String, Object>of("name", "b10", "type", "CODES", "codes", Map.of("mode", "UNIVERSAL", "code", "B10"),
                    "condition", "order.subtotal >= ", "discount", amount(100));
            assertProblem(api.post("/v1/campaigns", cel), 422, "condition");
            var undeclared = Map.<String, Object>of("name", "b11", "type", "CODES", "codes", Map.of("mode", "UNIVERSAL", "code", "B11"),
                    "condition", "ordr.subtotal > 1", "discount", amount(100));
            assertProblem(api.post("/v1/campaigns", undeclared), 422, "condition");
            var selector = Map.<String, Object>of("name", "b12", "type", "CODES", "codes", Map.of("mode", "UNIVERSAL", "code", "B12"),
                    "discount", Map.of("type", "PERCENT", "percent", 10, "target", Map.of("scope", "ITEMS", "selector", "item.sku +")));
            assertProblem(api.post("/v1/campaigns", selector), 422, "discount.target.selector");
            var guessable = Map.<String, Object>of("name", "b13", "type", "CODES", "codes", Map.of("mode", "UNIQUE", "pattern", "G-##", "count", 50),
                    "discount", amount(100));
            assertProblem(api.post("/v1/campaigns", guessable), 422, "codes.count");
            assertProblem(api.post("/v1/campaigns", Map.of("name", "bad name", "type", "AUTO", "discount", amount(1))), 422, "name");
            assertProblem(api.post("/v1/campaigns", Map.of("name", "b14", "type", "AUTO", "discount", amount(1), "endsAt", "tomorrow")), 422, "endsAt");

            assertThat(api.get("/v1/campaigns").json().get("data").size()).isZero();
            assertThat(api.get("/v1/campaigns/b1").status()).isEqualTo(404);

            // Duplicates are conflicts, and leave the first intact.
            assertThat(api.post("/v1/campaigns", universal("ok", "OK1", amount(100), Map.of())).status()).isEqualTo(201);
            assertThat(api.post("/v1/campaigns", universal("ok", "OK2", amount(100), Map.of())).status()).isEqualTo(409);
            var codeTaken = api.post("/v1/campaigns", universal("ok2", "ok1", amount(100), Map.of()));
            assertThat(codeTaken.status()).isEqualTo(409);
            assertThat(codeTaken.json().get("code").asText()).isEqualTo("code_taken");
            assertThat(api.get("/v1/campaigns").json().get("data").size()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void checkoutRefusesBadOrders(Backend backend) {
        try (TestServer server = TestServer.on(backend)) {
            var api = server.newProjectClient();
            api.post("/v1/campaigns", universal("c", "CODE", amount(100), Map.of()));
            assertProblem(api.post("/v1/validations", Map.of("codes", List.of("CODE"), "order",
                    Map.of("currency", "USD", "items", List.of(item("A", -5, 1))))), 422, "order.items[0].price");
            assertProblem(api.post("/v1/validations", Map.of("codes", List.of("CODE"), "order",
                    Map.of("currency", "USD", "items", List.of(item("A", 5, 0))))), 422, "order.items[0].quantity");
            assertProblem(api.post("/v1/validations", Map.of("codes", List.of("CODE"), "order",
                    Map.of("currency", "USD", "items", List.of(item("A", 999_999_999_999L, 1_000_000))))), 422, "order.items[0].quantity");
            assertProblem(api.post("/v1/validations", Map.of("codes", List.of("CODE"), "order",
                    Map.of("currency", "DOLLARS", "items", List.of(item("A", 5, 1))))), 422, "order.currency");
            assertProblem(api.post("/v1/validations", Map.of("codes", "CODE", "order",
                    Map.of("currency", "USD", "items", List.of(item("A", 5, 1))))), 422, "codes");
            assertProblem(api.post("/v1/validations", Map.of("codez", List.of("CODE"), "order",
                    Map.of("currency", "USD", "items", List.of(item("A", 5, 1))))), 422, "codez");
            assertProblem(api.post("/v1/validations", Map.of("codes", List.of("CODE"))), 422, "order");
            assertProblem(api.post("/v1/redemptions", Map.of("customer", "c-1", "codes", List.of("CODE"), "order",
                    Map.of("currency", "USD", "items", List.of(item("A", 5, 1)), "shipping", -1))), 422, "order.shipping");
            var big = "{\"pad\": \"" + "x".repeat(2_000_000) + "\"}";
            var tooLarge = api.post("/v1/validations", big);
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(api.get("/v1/redemptions").json().get("data").size()).isZero();
        }
    }
}
