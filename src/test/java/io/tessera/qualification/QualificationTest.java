package io.tessera.qualification;

import static io.tessera.testing.Fixtures.create;
import static io.tessera.testing.Fixtures.uniqueCampaign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Everything a customer could get on an order (scenario 31): a public code of 700, an automatic 10 % from 5000, a
 * personal code of 300 published to c-1, and a code of 900 that is not public.
 */
class QualificationTest extends ServerPerDatabase {

    private static Map<String, Object> order(long price) {
        return Map.of("currency", "USD", "shipping", 0, "items", List.of(Map.of("sku", "A", "product", "a",
                "categories", List.of(), "price", price, "quantity", 1)));
    }

    @BeforeEach
    void fourCampaigns() {
        create(server, key, Map.of("name", "auto10", "type", "AUTO", "active", true,
                "condition", "order.subtotal >= 5000", "discount", Map.of("type", "PERCENT", "percent", 10)));
        create(server, key, Map.of("name", "pub700", "type", "CODES", "active", true,
                "codes", Map.of("mode", "UNIVERSAL", "code", "PUB700"), "metadata", Map.of("public", true),
                "discount", Map.of("type", "AMOUNT", "amount", 700)));
        create(server, key, Map.of("name", "secret", "type", "CODES", "active", true,
                "codes", Map.of("mode", "UNIVERSAL", "code", "SECRET"),
                "discount", Map.of("type", "AMOUNT", "amount", 900)));
        Map<String, Object> mine = new LinkedHashMap<>(uniqueCampaign("mine300", "M-#####", 3));
        mine.put("discount", Map.of("type", "AMOUNT", "amount", 300));
        create(server, key, mine);
        assertThat(server.post("/v1/campaigns/mine300/publications", key, Map.of("customer", "c-1")).status())
                .isEqualTo(201);
    }

    private JsonNode offersTo(Map<String, Object> request) {
        Response r = server.post("/v1/qualifications", key, request);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("data");
    }

    /** The offer of {@code campaign} to c-1 on an order of 6000. */
    private JsonNode offer(String campaign) {
        for (JsonNode o : offersTo(Map.of("customer", "c-1", "order", order(6000)))) {
            if (o.get("campaign").asText().equals(campaign)) return o;
        }
        throw new AssertionError("no offer of " + campaign);
    }

    @Test
    void offersComeBestFirstAndLeaveOutCodesThatAreNotPublic() {
        JsonNode data = offersTo(Map.of("customer", "c-1", "order", order(6000)));
        assertThat(data.findValuesAsText("campaign")).containsExactly("pub700", "auto10", "mine300");
        assertThat(data.findValuesAsText("discount")).containsExactly("700", "600", "300");
    }

    @Test
    void aPublicCodeIsOfferedWithItsCode() {
        JsonNode pub = offer("pub700");
        assertThat(pub.get("code").asText()).isEqualTo("PUB700");
        assertThat(pub.get("personal").asBoolean()).isFalse();
    }

    @Test
    void anAutomaticPromotionIsOfferedWithoutACode() {
        JsonNode auto = offer("auto10");
        assertThat(auto.get("code").isNull()).isTrue();
        assertThat(auto.get("discount").asLong()).isEqualTo(600);
    }

    @Test
    void aPublishedCodeIsOfferedToItsCustomerAsPersonal() {
        JsonNode mine = offer("mine300");
        assertThat(mine.get("personal").asBoolean()).isTrue();
        assertThat(mine.get("type").asText()).isEqualTo("AMOUNT");
        assertThat(mine.get("code").asText()).startsWith("M-");
    }

    @Test
    void anAnonymousShopperBelowTheThresholdIsOfferedOnlyThePublicCode() {
        assertThat(offersTo(Map.of("order", order(1000))).findValuesAsText("campaign")).containsExactly("pub700");
    }

    @Test
    void codesInAQualificationAreRefused() {
        Response r = server.post("/v1/qualifications", key, Map.of("order", order(1000), "codes", List.of("X")));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors").findValuesAsText("field")).containsExactly("codes");
    }
}
