package io.tessera.code;

import io.tessera.testing.ServerPerDatabase;
import static io.tessera.testing.Fixtures.campaignId;
import static io.tessera.testing.Fixtures.count;
import static io.tessera.testing.Fixtures.create;
import static io.tessera.testing.Fixtures.uniqueCampaign;
import static io.tessera.testing.Fixtures.universalCampaign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Json;
import io.tessera.testing.Fixtures;
import io.tessera.testing.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PublicationTest extends ServerPerDatabase {

    @Test
    void concurrentPublicationsNeverShareACodeAndExhaustionIsExact() {
        create(server, key, uniqueCampaign("pool", "P-######", 40));
        Fixtures.recordEvents(server, key, "code.published");
        List<CompletableFuture<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            calls.add(server.callAsync("POST", "/v1/campaigns/pool/publications", key, Map.of("customer", "pc-" + i)));
        }
        Map<Integer, Integer> statuses = new HashMap<>();
        List<String> codes = new ArrayList<>();
        for (CompletableFuture<Response> call : calls) {
            Response r = call.join();
            statuses.merge(r.status(), 1, Integer::sum);
            if (r.status() == 201) codes.add(r.json().get("code").asText());
            else assertThat(r.json().get("code").asText()).as(r.toString()).isEqualTo("codes_exhausted");
        }
        assertThat(statuses).isEqualTo(Map.of(201, 40, 409, 24));
        assertThat(codes).doesNotHaveDuplicates().allSatisfy(c -> assertThat(c).startsWith("P-"));
        String campaign = campaignId(server, key, "pool");
        assertThat(count(server, "select count(*) from codes where campaign_id = ? and customer_id is not null", campaign))
                .isEqualTo(40);
        assertThat(count(server, "select count(*) from publications where campaign_id = ?", campaign)).isEqualTo(40);
        assertThat(count(server, "select count(distinct customer_id) from publications where campaign_id = ?", campaign))
                .isEqualTo(40);
        // One code.published event per publication, in the outbox; a refused publication created no customer.
        List<String> payloads = Fixtures.strings(server, "select payload from events where type = 'code.published' "
                + "and project_id = (select project_id from campaigns where id = ?)", campaign);
        assertThat(payloads).hasSize(40);
        JsonNode event = Json.parse(payloads.getFirst());
        assertThat(event.get("code").asText()).isIn(codes);
        assertThat(server.get("/v1/customers?limit=1000", key).json().get("data")).hasSize(40);
    }

    @Test
    void reuseHandsBackTheCustomersCodeUnlessAskedNotTo() {
        create(server, key, uniqueCampaign("win", "WIN-####", 5));
        Response first = server.post("/v1/campaigns/win/publications", key, Map.of("customer", "c-1"));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        JsonNode pub = first.json();
        assertThat(pub.get("code").asText()).matches("WIN-[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{4}");
        assertThat(pub.get("customer").asText()).isEqualTo("c-1");
        assertThat(pub.get("campaign").asText()).isEqualTo("win");
        assertThat(pub.get("publishedAt").asText()).isNotBlank();
        assertThat(pub.get("id").asText()).startsWith("pub_");

        Response again = server.post("/v1/campaigns/win/publications", key, Map.of("customer", "c-1"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("code").asText()).isEqualTo(pub.get("code").asText());
        assertThat(again.json().get("id").asText()).isEqualTo(pub.get("id").asText());

        Response fresh = server.post("/v1/campaigns/win/publications", key, Map.of("customer", "c-1", "reuse", false));
        assertThat(fresh.status()).isEqualTo(201);
        assertThat(fresh.json().get("code").asText()).isNotEqualTo(pub.get("code").asText());

        JsonNode code = server.get("/v1/codes/" + pub.get("code").asText().toLowerCase(), key).json();
        assertThat(code.get("customer").asText()).isEqualTo("c-1");
        assertThat(code.get("publishedAt").isNull()).isFalse();
    }

    @Test
    void emptyPoolIsAConflictThatWritesNothing() {
        // Scenario 19: two codes, three customers.
        create(server, key, uniqueCampaign("pair", "P-######", 2));
        assertThat(server.post("/v1/campaigns/pair/publications", key, Map.of("customer", "c-1")).status()).isEqualTo(201);
        assertThat(server.post("/v1/campaigns/pair/publications", key, Map.of("customer", "c-2")).status()).isEqualTo(201);
        Response third = server.post("/v1/campaigns/pair/publications", key, Map.of("customer", "c-3"));
        assertThat(third.status()).isEqualTo(409);
        assertThat(third.header("Content-Type")).startsWith("application/problem+json");
        assertThat(third.json().get("code").asText()).isEqualTo("codes_exhausted");
        assertThat(server.get("/v1/customers/c-3", key).status()).isEqualTo(404);
    }

    @Test
    void deactivatedCodesAreNotHandedOut() {
        create(server, key, uniqueCampaign("off", "O-######", 1));
        String code = Fixtures.codes(server, campaignId(server, key, "off")).getFirst();
        assertThat(server.patch("/v1/codes/" + code, key, Map.of("active", false)).status()).isEqualTo(200);
        assertThat(server.post("/v1/campaigns/off/publications", key, Map.of("customer", "c-1")).status()).isEqualTo(409);
    }

    @Test
    void badRequestsAreRefusedByField() {
        create(server, key, uniqueCampaign("val", "V-######", 3));
        create(server, key, universalCampaign("uni", "UNI10"));
        Response missing = server.post("/v1/campaigns/val/publications", key, Map.of("reuse", "yes"));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("customer", "reuse");
        assertThat(server.post("/v1/campaigns/val/publications", key, Map.of("customer", "has space")).status())
                .isEqualTo(422);
        Response universal = server.post("/v1/campaigns/uni/publications", key, Map.of("customer", "c-1"));
        assertThat(universal.status()).isEqualTo(422);
        assertThat(universal.json().get("code").asText()).isEqualTo("not_unique_codes");
        assertThat(server.post("/v1/campaigns/none/publications", key, Map.of("customer", "c-1")).status())
                .isEqualTo(404);
        // A customer object is accepted and upserted.
        Response object = server.post("/v1/campaigns/val/publications", key,
                Map.of("customer", Map.of("id", "c-9", "attributes", Map.of("firstName", "Ana"))));
        assertThat(object.status()).isEqualTo(201);
        assertThat(server.get("/v1/customers/c-9", key).json().at("/attributes/firstName").asText()).isEqualTo("Ana");
    }
}
