package io.tessera.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Through the API: a campaign's expressions are typed and bounded when it is saved, and at checkout. */
class ExpressionValidationApiTest extends ServerPerDatabase {

    private static Map<String, Object> auto(String name, Map<String, Object> discount, String condition) {
        Map<String, Object> c = new HashMap<>(Map.of("name", name, "type", "AUTO", "active", true,
                "discount", discount));
        if (condition != null) c.put("condition", condition);
        return c;
    }

    private static Map<String, Object> amount(Object amount) {
        return Map.of("type", "AMOUNT", "amount", amount);
    }

    /** The field and message of the single error of a 422. */
    private Map.Entry<String, String> refusal(Map<String, Object> campaign) {
        Response r = server.client(key).post("/v1/campaigns", campaign);
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        var errors = r.json().get("errors");
        assertThat(errors.size()).as(r.body()).isEqualTo(1);
        return Map.entry(errors.get(0).get("field").asText(), errors.get(0).get("message").asText());
    }

    @Test
    void aConditionThatIsNotABoolIsRefusedNamingTheField() {
        assertThat(refusal(auto("t1", amount(100), "order.subtotal")))
                .satisfies(e -> assertThat(e.getKey()).isEqualTo("condition"))
                .satisfies(e -> assertThat(e.getValue()).contains("must give a bool, not int"));
    }

    @Test
    void anIntComparedWithAStringIsRefusedNamingTheField() {
        assertThat(refusal(auto("t2", amount(100), "order.subtotal >= 'abc'")).getKey()).isEqualTo("condition");
    }

    @Test
    void anUnknownItemFieldInASelectorIsRefusedNamingTheField() {
        var discount = Map.of("type", "AMOUNT", "amount", 100,
                "target", Map.of("scope", "ITEMS", "selector", "item.cats == 'x'"));
        assertThat(refusal(auto("t3", discount, null)))
                .satisfies(e -> assertThat(e.getKey()).isEqualTo("discount.target.selector"))
                .satisfies(e -> assertThat(e.getValue()).contains("undefined field 'cats'"));
    }

    @Test
    void aDynamicAmountThatIsNotANumberIsRefusedNamingTheField() {
        assertThat(refusal(auto("t4", amount("'ten'"), null)))
                .satisfies(e -> assertThat(e.getKey()).isEqualTo("discount.amount"))
                .satisfies(e -> assertThat(e.getValue()).contains("must give a number, not string"));
    }

    @Test
    void comprehensionsNested3DeepAreRefused() {
        String triple = "order.items.exists(a, order.items.exists(b, order.items.exists(c, "
                + "a.price + b.price + c.price > 0)))";
        assertThat(refusal(auto("t5", amount(100), triple)))
                .satisfies(e -> assertThat(e.getKey()).isEqualTo("condition"))
                .satisfies(e -> assertThat(e.getValue()).contains("3 deep; at most 2"));
    }

    @Test
    void anExpressionOfMoreThan2000CharactersIsRefused() {
        String longer = "order.subtotal >= 1" + " || order.subtotal >= 1".repeat(100);
        assertThat(refusal(auto("t6", amount(100), longer)))
                .satisfies(e -> assertThat(e.getKey()).isEqualTo("condition"))
                .satisfies(e -> assertThat(e.getValue()).isEqualTo(
                        "condition is 2,319 characters long; at most 2,000 are allowed"));
    }

    @Test
    void anAmountOfZeroIsRefusedLikeAPercentOfZero() {
        assertThat(refusal(auto("zero", amount(0), null)).getKey()).isEqualTo("discount.amount");
        assertThat(refusal(auto("zero", amount(Map.of("USD", 0)), null)).getKey()).isEqualTo("discount.amount.USD");
    }

    @Test
    void aSoundConditionOnFreeAttributesIsAccepted() {
        Response r = server.client(key).post("/v1/campaigns", auto("ok", amount(100),
                "customer.attributes.tier == 'gold' && order.items.exists(i, 'coffee' in i.categories)"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    @Test
    void aCampaignOverItsBudgetAtCheckoutIsNotAppliedAndSaysWhy() {
        var api = server.client(key);
        assertThat(api.post("/v1/campaigns", auto("pairs", amount(100),
                "order.items.exists(a, order.items.exists(b, a.price + b.price < 0)) || true")).status())
                .isEqualTo(201);
        assertThat(api.post("/v1/campaigns", auto("plain", amount(50), null)).status()).isEqualTo(201);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 500; i++) items.add(Map.of("sku", "SKU-" + i, "price", 100 + i, "quantity", 1));
        Response r = api.post("/v1/validations", Map.of("explain", true,
                "order", Map.of("currency", "USD", "items", items)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("applied").findValuesAsText("campaign")).containsExactly("plain");
        var notApplied = r.json().get("notApplied").get(0);
        assertThat(notApplied.get("reason").asText()).isEqualTo("condition_not_met");
        assertThat(notApplied.get("message").asText()).isEqualTo("the condition of campaign pairs was stopped: "
                + "it exceeded its evaluation budget (more than 10,000 comprehension iterations)");
    }
}
