package io.tessera.redemption;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.order;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A validation answers what a redemption would, consumes nothing, and explains on request. */
class ValidationTest extends ServerPerDatabase {

    @BeforeEach
    void oneRedemptionCodeAndABigSpenderPromotion() {
        api().post("/v1/campaigns", universal("one", "ONE", amount(100), Map.of("redemptions", 1)));
        api().post("/v1/campaigns", Map.of("name", "big-spender", "type", "AUTO", "condition", "order.subtotal >= 10000",
                "discount", amount(500)));
    }

    @Test
    void validationsConsumeNothing() {
        for (int i = 0; i < 3; i++) {
            assertThat(api().post("/v1/validations", checkout("c-" + i, List.of("ONE"), 1000)).json().get("valid").asBoolean())
                    .isTrue();
        }
        assertThat(api().get("/v1/campaigns/one/stats").json().get("redemptions").asLong()).isZero();
        assertThat(api().post("/v1/redemptions", checkout("c-9", List.of("ONE"), 1000)).status()).isEqualTo(201);
    }

    @Test
    void anExplainedValidationSaysWhyAnAutomaticPromotionDidNotApply() {
        JsonNode explained = api().post("/v1/validations", Map.of("customer", "c-1", "codes", List.of("ONE"),
                "order", order(1000), "explain", true)).json();
        assertThat(explained.get("notApplied").findValuesAsText("campaign")).containsExactly("big-spender");
        assertThat(explained.at("/notApplied/0/reason").asText()).isEqualTo("condition_not_met");
    }
}
