package io.tessera.redemption;

import static io.tessera.testing.Bodies.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Validations and qualifications use the customer attributes they are sent, for that request only. */
class DryRunsNeverWriteTest extends ServerPerDatabase {
    private String browser;

    @BeforeEach
    void browserKeyAndGoldCampaign() {
        browser = server.post("/v1/api-keys", key, Map.of("name", "browser", "scopes", List.of("validate")))
                .json().get("key").asText();
        server.post("/v1/campaigns", key, Map.of("name", "gold", "type", "CODES",
                "codes", Map.of("mode", "UNIVERSAL", "code", "GOLD5"), "discount", Map.of("type", "AMOUNT", "amount", 500),
                "condition", "customer.attributes.tier == 'gold'"));
        server.call("PUT", "/v1/customers/c-1", key, Map.of("attributes", Map.of("tier", "silver")));
    }

    private Map<String, Object> asGold(String customer) {
        return Map.of("customer", Map.of("id", customer, "attributes", Map.of("tier", "gold")), "codes", List.of("GOLD5"),
                "order", order(2000));
    }

    @Test
    void aValidationAppliesTheAttributesItSends() {
        Response r = server.post("/v1/validations", browser, asGold("c-1"));
        assertThat(r.json().get("valid").asBoolean()).isTrue();
        assertThat(r.json().at("/order/discount").asLong()).isEqualTo(500);
    }

    @Test
    void aValidationLeavesTheStoredCustomerAsItWas() {
        server.post("/v1/validations", browser, asGold("c-1"));
        assertThat(server.get("/v1/customers/c-1", key).json().at("/attributes/tier").asText()).isEqualTo("silver");
    }

    @Test
    void aValidationWithAnAdminKeyDoesNotWriteEither() {
        server.post("/v1/validations", key, asGold("c-1"));
        assertThat(server.get("/v1/customers/c-1", key).json().at("/attributes/tier").asText()).isEqualTo("silver");
    }

    @Test
    void aValidationForAnUnknownCustomerCreatesNobody() {
        assertThat(server.post("/v1/validations", browser, asGold("c-new")).json().get("valid").asBoolean()).isTrue();
        assertThat(server.get("/v1/customers/c-new", key).status()).isEqualTo(404);
    }

    @Test
    void aQualificationLeavesTheStoredCustomerAsItWas() {
        Response r = server.post("/v1/qualifications", browser, Map.of("customer",
                Map.of("id", "c-1", "attributes", Map.of("tier", "platinum")), "order", order(2000)));
        assertThat(r.status()).isEqualTo(200);
        assertThat(server.get("/v1/customers/c-1", key).json().at("/attributes/tier").asText()).isEqualTo("silver");
    }
}
