package io.tessera.qualification;

import static io.tessera.testing.Fixtures.create;
import static io.tessera.testing.Fixtures.uniqueCampaign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/** Needs the real discount engine (discount/Engine) and CEL rules. */
class QualificationTest extends ServerPerDatabase {

    private static Map<String, Object> order(long price) {
        return Map.of("currency", "USD", "shipping", 0, "items", List.of(Map.of("sku", "A", "product", "a",
                "categories", List.of(), "price", price, "quantity", 1)));
    }

    @Test
    void everythingTheCustomerCouldGetBestFirst() {
        // Scenario 31: public code 700 > auto 10% of 6000 = 600 > personal 300; the non-public code is not shown.
        create(server, key, Map.of("name", "auto10", "type", "AUTO", "active", true,
                "condition", "order.subtotal >= 5000", "discount", Map.of("type", "PERCENT", "percent", 10)));
        create(server, key, Map.of("name", "pub700", "type", "CODES", "active", true,
                "codes", Map.of("mode", "UNIVERSAL", "code", "PUB700"), "metadata", Map.of("public", true),
                "discount", Map.of("type", "AMOUNT", "amount", 700)));
        create(server, key, Map.of("name", "secret", "type", "CODES", "active", true,
                "codes", Map.of("mode", "UNIVERSAL", "code", "SECRET"),
                "discount", Map.of("type", "AMOUNT", "amount", 900)));
        Map<String, Object> mine = new java.util.LinkedHashMap<>(uniqueCampaign("mine300", "M-#####", 3));
        mine.put("discount", Map.of("type", "AMOUNT", "amount", 300));
        create(server, key, mine);
        assertThat(server.post("/v1/campaigns/mine300/publications", key, Map.of("customer", "c-1")).status())
                .isEqualTo(201);

        Response r = server.post("/v1/qualifications", key, Map.of("customer", "c-1", "order", order(6000)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode data = r.json().get("data");
        assertThat(data).hasSize(3);
        assertThat(data.get(0).get("campaign").asText()).isEqualTo("pub700");
        assertThat(data.get(0).get("code").asText()).isEqualTo("PUB700");
        assertThat(data.get(0).get("discount").asLong()).isEqualTo(700);
        assertThat(data.get(0).get("personal").asBoolean()).isFalse();
        assertThat(data.get(1).get("campaign").asText()).isEqualTo("auto10");
        assertThat(data.get(1).get("code").isNull()).isTrue();
        assertThat(data.get(1).get("discount").asLong()).isEqualTo(600);
        assertThat(data.get(2).get("campaign").asText()).isEqualTo("mine300");
        assertThat(data.get(2).get("personal").asBoolean()).isTrue();
        assertThat(data.get(2).get("type").asText()).isEqualTo("AMOUNT");

        // Below the automatic promotion's threshold, and for an anonymous shopper: no personal code.
        JsonNode small = server.post("/v1/qualifications", key, Map.of("order", order(1000))).json().get("data");
        assertThat(small.findValuesAsText("campaign")).containsExactly("pub700");
        // Codes are not accepted here.
        assertThat(server.post("/v1/qualifications", key, Map.of("order", order(1000), "codes", List.of("X")))
                .status()).isEqualTo(422);
    }
}
