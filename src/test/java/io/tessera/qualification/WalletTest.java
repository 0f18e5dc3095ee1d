package io.tessera.qualification;

import static io.tessera.testing.Fixtures.create;
import static io.tessera.testing.Fixtures.execute;
import static io.tessera.testing.Fixtures.uniqueCampaign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

class WalletTest extends ServerPerDatabase {

    @Test
    void walletShowsEachCodeWithItsStatusNow() {
        create(server, key, uniqueCampaign("live", "LV-######", 3));
        Map<String, Object> ended = new LinkedHashMap<>(uniqueCampaign("ended", "EN-######", 1));
        ended.put("endsAt", "2020-01-31T23:59:59Z");
        create(server, key, ended);
        create(server, key, uniqueCampaign("paused", "PA-######", 1));

        String active = publish("live");
        String redeemed = publish("live");
        String inactive = publish("live");
        String expired = publish("ended");
        String off = publish("paused");
        execute(server, "update codes set redemptions = 1 where code = ?", redeemed); // as a redemption leaves it
        assertThat(server.patch("/v1/codes/" + inactive, key, Map.of("active", false)).status()).isEqualTo(200);
        assertThat(server.patch("/v1/campaigns/paused", key, Map.of("active", false)).status()).isEqualTo(200);

        Response r = server.get("/v1/customers/c-1/wallet", key);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Map<String, String> status = new HashMap<>();
        for (JsonNode c : r.json().get("codes")) status.put(c.get("code").asText(), c.get("status").asText());
        assertThat(status).isEqualTo(Map.of(active, "ACTIVE", redeemed, "REDEEMED", inactive, "INACTIVE",
                expired, "EXPIRED", off, "INACTIVE"));
        assertThat(r.json().get("codes").findValuesAsText("campaign")).contains("live", "ended", "paused");
        assertThat(r.json().get("loyalty")).isEmpty();
        assertThat(r.json().get("referralCodes")).isEmpty();

        assertThat(server.get("/v1/customers/nobody/wallet", key).status()).isEqualTo(404);
        assertThat(server.get("/v1/customers/c-1/wallet", null).status()).isEqualTo(401);
    }

    private String publish(String campaign) {
        Response r = server.post("/v1/campaigns/" + campaign + "/publications", key,
                Map.of("customer", "c-1", "reuse", false));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("code").asText();
    }
}
