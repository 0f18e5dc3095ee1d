package io.tessera.code;

import io.tessera.testing.ServerPerDatabase;
import static io.tessera.testing.Fixtures.create;
import static io.tessera.testing.Fixtures.uniqueCampaign;
import static io.tessera.testing.Fixtures.universalCampaign;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Published codes at checkout, and redemption counts on codes. Needs the real discount engine. */
class PersonalCodeRedemptionTest extends ServerPerDatabase {

    private static Map<String, Object> redemption(String customer, String code) {
        return Map.of("customer", customer, "codes", List.of(code), "order", Map.of("currency", "USD", "shipping", 0,
                "items", List.of(Map.of("sku", "A", "product", "a", "categories", List.of(), "price", 1000, "quantity", 1))));
    }

    @Test
    void aPublishedCodeServesItsOwnerOnceThenANewOneIsPublished() {
        // Scenario 18.
        create(server, key, uniqueCampaign("win", "WIN-####", 5));
        String code = server.post("/v1/campaigns/win/publications", key, Map.of("customer", "c-1")).json().get("code").asText();
        Response other = server.post("/v1/redemptions", key, redemption("c-2", code));
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().at("/rejected/0/reason").asText()).isEqualTo("code_owned_by_other");
        Response own = server.post("/v1/redemptions", key, redemption("c-1", code.toLowerCase()));
        assertThat(own.status()).as(own.toString()).isEqualTo(201);
        assertThat(own.json().at("/order/discount").asLong()).isEqualTo(100);
        assertThat(server.post("/v1/redemptions", key, redemption("c-1", code)).json().at("/rejected/0/reason").asText())
                .isEqualTo("code_limit");
        Response next = server.post("/v1/campaigns/win/publications", key, Map.of("customer", "c-1"));
        assertThat(next.status()).isEqualTo(201);
        assertThat(next.json().get("code").asText()).isNotEqualTo(code);
        var read = server.get("/v1/codes/" + code, key).json();
        assertThat(read.get("campaign").asText()).isEqualTo("win");
        assertThat(read.get("customer").asText()).isEqualTo("c-1");
        assertThat(read.get("redemptions").asLong()).isEqualTo(1);
        assertThat(server.get("/v1/campaigns/win/codes?status=redeemed", key).json().get("data")).hasSize(1);
    }

    @Test
    void aUniversalCodeCountsItsStandingRedemptions() {
        create(server, key, universalCampaign("uni", "UNI10"));
        String first = server.post("/v1/redemptions", key, redemption("c-1", "UNI10")).json().get("id").asText();
        assertThat(server.post("/v1/redemptions", key, redemption("c-2", "uni10")).status()).isEqualTo(201);
        assertThat(server.get("/v1/codes/UNI10", key).json().get("redemptions").asLong()).isEqualTo(2);
        assertThat(server.post("/v1/redemptions/" + first + "/rollback", key, Map.of()).status()).isEqualTo(200);
        assertThat(server.get("/v1/codes/UNI10", key).json().get("redemptions").asLong()).isEqualTo(1);
    }
}
