package io.tessera.campaign;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A campaign changed by merge patch, deactivated and archived; the engine sees each change at once. */
class CampaignLifecycleTest extends ServerPerDatabase {

    @BeforeEach
    void campaignC1() {
        api().post("/v1/campaigns", universal("c1", "CODE1", amount(100), Map.of()));
    }

    private JsonNode validate(long price) {
        return api().post("/v1/validations", checkout("c-1", List.of("CODE1"), price)).json();
    }

    private Response patch(Map<String, Object> change) {
        return api().patch("/v1/campaigns/c1", change);
    }

    @Test
    void aMergePatchKeepsWhatItDoesNotName() {
        Response patched = patch(Map.of("discount", Map.of("amount", 700)));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().at("/discount/type").asText()).isEqualTo("AMOUNT");
        assertThat(patched.json().at("/codes/code").asText()).isEqualTo("CODE1");
    }

    @Test
    void aPatchedDiscountAppliesAtOnce() {
        patch(Map.of("discount", Map.of("amount", 700)));
        assertThat(validate(1000).at("/order/discount").asLong()).isEqualTo(700);
    }

    @Test
    void aPatchedConditionAppliesAtOnce() {
        patch(Map.of("condition", "order.subtotal >= 500"));
        assertThat(validate(400).at("/rejected/0/reason").asText()).isEqualTo("condition_not_met");
    }

    @Test
    void aBadPatchIsRefusedWithAnErrorPerField() {
        Response bad = patch(Map.of("discount", Map.of("amount", -1), "name", "renamed"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("discount.amount", "name");
    }

    @Test
    void aBadPatchChangesNothing() {
        patch(Map.of("discount", Map.of("amount", 700)));
        patch(Map.of("discount", Map.of("amount", -1), "name", "renamed"));
        assertThat(api().get("/v1/campaigns/c1").json().at("/discount/amount").asLong()).isEqualTo(700);
    }

    @Test
    void aDeactivatedCampaignRefusesItsCode() {
        patch(Map.of("active", false));
        assertThat(validate(1000).at("/rejected/0/reason").asText()).isEqualTo("campaign_inactive");
    }

    @Test
    void deletingACampaignArchivesIt() {
        Response deleted = api().delete("/v1/campaigns/c1");
        assertThat(deleted.json().get("archived").asBoolean()).isTrue();
        assertThat(api().get("/v1/campaigns/c1").json().get("archived").asBoolean()).isTrue();
    }

    @Test
    void anArchivedCampaignRefusesItsCode() {
        api().delete("/v1/campaigns/c1");
        assertThat(validate(1000).at("/rejected/0/reason").asText()).isEqualTo("campaign_inactive");
    }
}
