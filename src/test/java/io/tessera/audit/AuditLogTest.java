package io.tessera.audit;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditLogTest extends ServerPerDatabase {

    private JsonNode audit(String query) {
        Response r = server.get("/v1/audit" + query, key);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("data");
    }

    private void createCampaign(String name, String code, long amount) {
        Response r = server.post("/v1/campaigns", key, universal(name, code, amount(amount), Map.of()));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    @Test
    void aCreatedCampaignIsRecordedWithNoBeforeAndItsViewAfter() {
        createCampaign("promo", "AUD1", 100);
        JsonNode entries = audit("?resource=campaign/promo");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).get("action").asText()).isEqualTo("campaign.created");
        assertThat(entries.get(0).get("before").isNull()).isTrue();
        assertThat(entries.get(0).at("/after/discount/amount").asLong()).isEqualTo(100);
        assertThat(entries.get(0).at("/actor/type").asText()).isEqualTo("key");
        assertThat(entries.get(0).at("/actor/name").asText()).isEqualTo("default");
    }

    @Test
    void aPatchIsRecordedWithBeforeAndAfterNewestFirst() {
        createCampaign("promo", "AUD2", 100);
        assertThat(server.patch("/v1/campaigns/promo", key, Map.of("discount", amount(250))).status()).isEqualTo(200);
        JsonNode entries = audit("?resource=campaign/promo");
        assertThat(entries.findValuesAsText("action")).containsExactly("campaign.updated", "campaign.created");
        assertThat(entries.get(0).at("/before/discount/amount").asLong()).isEqualTo(100);
        assertThat(entries.get(0).at("/after/discount/amount").asLong()).isEqualTo(250);
    }

    @Test
    void aRefusedChangeLeavesNoEntry() {
        createCampaign("promo", "AUD3", 100);
        assertThat(server.patch("/v1/campaigns/promo", key, Map.of("discount", Map.of("type", "PERCENT", "percent", 150)))
                .status()).isEqualTo(422);
        assertThat(server.post("/v1/campaigns", key, universal("promo", "OTHER", amount(1), Map.of())).status())
                .isEqualTo(409);
        assertThat(audit("?resource=campaign/promo")).hasSize(1);
    }

    @Test
    void checkoutTrafficIsNotAudited() {
        createCampaign("promo", "AUD4", 100);
        assertThat(server.post("/v1/validations", key, checkout("c-1", List.of("AUD4"), 2000)).status()).isEqualTo(200);
        assertThat(server.post("/v1/redemptions", key, checkout("c-1", List.of("AUD4"), 2000)).status()).isEqualTo(201);
        assertThat(audit("").findValuesAsText("action")).containsExactly("campaign.created", "project.created");
    }

    @Test
    void aKeyIsRecordedWithoutItsSecret() {
        Response created = server.post("/v1/api-keys", key, Map.of("name", "storefront", "scopes", List.of("validate")));
        String secret = created.json().get("key").asText();
        JsonNode entries = audit("?action=api-key.created");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).at("/after/name").asText()).isEqualTo("storefront");
        assertThat(entries.get(0).get("after").has("key")).isFalse();
        assertThat(server.get("/v1/audit", key).body()).doesNotContain(secret);
    }

    @Test
    void disablingACodeIsRecordedAsAnUpdateOfTheCode() {
        createCampaign("promo", "AUD5", 100);
        assertThat(server.patch("/v1/codes/aud5", key, Map.of("active", false)).status()).isEqualTo(200);
        JsonNode entries = audit("?resource=code/AUD5");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).get("action").asText()).isEqualTo("code.updated");
        assertThat(entries.get(0).at("/before/active").asBoolean()).isTrue();
        assertThat(entries.get(0).at("/after/active").asBoolean()).isFalse();
    }

    @Test
    void customerEntriesNameAttributesButNeverHoldTheirValues() {
        assertThat(server.call("PUT", "/v1/customers/c-9", key, Map.of("attributes", Map.of("email", "ana@example.com")))
                .status()).isEqualTo(200);
        assertThat(server.call("DELETE", "/v1/customers/c-9", key, null).status()).isEqualTo(200);
        JsonNode entries = audit("?resource=customer/c-9");
        assertThat(entries.findValuesAsText("action")).containsExactly("customer.deleted", "customer.created");
        assertThat(entries.get(1).at("/after/attributes/0").asText()).isEqualTo("email");
        assertThat(entries.toString()).doesNotContain("ana@example.com");
    }

    @Test
    void entriesPageNewestFirstWithACursor() {
        for (int i = 0; i < 5; i++) createCampaign("c" + i, "PAGE" + i, 100);
        JsonNode first = server.get("/v1/audit?action=campaign.created&limit=2", key).json();
        assertThat(first.get("data").findValuesAsText("resource")).containsExactly("campaign/c4", "campaign/c3");
        JsonNode second = server.get("/v1/audit?action=campaign.created&limit=2&cursor=" + first.get("nextCursor").asText(),
                key).json();
        assertThat(second.get("data").findValuesAsText("resource")).containsExactly("campaign/c2", "campaign/c1");
    }

    @Test
    void filtersAreChecked() {
        assertThat(server.get("/v1/audit?from=yesterday", key).json().at("/errors/0/field").asText()).isEqualTo("from");
        assertThat(server.get("/v1/audit?resourse=campaign/x", key).json().at("/errors/0/field").asText())
                .isEqualTo("resourse");
        assertThat(server.get("/v1/audit?cursor=abc", key).status()).isEqualTo(422);
    }

    @Test
    void aTimeWindowSelectsEntriesByTheirInstant() {
        server.client(key).at("2026-01-10T00:00:00Z").post("/v1/campaigns", universal("old", "OLD1", amount(1), Map.of()));
        server.client(key).at("2026-03-10T00:00:00Z").post("/v1/campaigns", universal("new", "NEW1", amount(1), Map.of()));
        JsonNode entries = audit("?action=campaign.created&from=2026-02-01T00:00:00Z&to=2026-04-01T00:00:00Z");
        assertThat(entries.findValuesAsText("resource")).containsExactly("campaign/new");
    }
}
