package io.tessera.webhook;

import static io.tessera.webhook.WebhookTesting.create;
import static io.tessera.webhook.WebhookTesting.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import io.tessera.testing.ServerPerDatabase;

class WebhookConfigTest extends ServerPerDatabase {
    private static final String URL = "http://127.0.0.1:9/hooks";

    @Test
    void aWebhookIsShownWithItsSettingsAndStatusButNeverItsSecret() {
        Response created = api().post("/v1/webhooks", webhook("crm", URL, "redemption.created", "tier.changed"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().has("secret")).isFalse();

        JsonNode w = api().get("/v1/webhooks/crm").json();
        assertThat(w.get("name").asText()).isEqualTo("crm");
        assertThat(w.get("url").asText()).isEqualTo(URL);
        assertThat(w.get("events")).extracting(JsonNode::asText).containsExactly("redemption.created", "tier.changed");
        assertThat(w.get("rateLimit").asInt()).isEqualTo(20);
        assertThat(w.get("status").asText()).isEqualTo("ENABLED");
        assertThat(w.get("disabledReason").isNull()).isTrue();
        assertThat(w.has("secret")).isFalse();
        assertThat(api().get("/v1/webhooks").json().get("data")).hasSize(1);
    }

    @Test
    void withoutASecretOneIsGeneratedAndShownOnceInTheAnswer() {
        Map<String, Object> w = webhook("crm", URL, "code.published");
        w.remove("secret");
        JsonNode created = api().post("/v1/webhooks", w).json();
        assertThat(created.get("secret").asText()).matches("whsec_[A-Za-z0-9+/=]{44}");
        assertThat(api().get("/v1/webhooks/crm").json().has("secret")).isFalse();
    }

    @Test
    void badFieldsAreEachNamedAndNothingIsCreated() {
        Map<String, Object> w = Map.of("name", "bad name!", "url", "ftp://example.com/x",
                "events", List.of("redemption.created", "order.shipped"), "rateLimit", 0, "secret", "whsec_???");
        Response r = api().post("/v1/webhooks", w);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("name", "url", "events[1]", "rateLimit", "secret");
        assertThat(api().post("/v1/webhooks", Map.of("name", "crm", "url", URL, "events", List.of())).json()
                .get("errors").get(0).get("field").asText()).isEqualTo("events");
        assertThat(api().get("/v1/webhooks").json().get("data")).isEmpty();
    }

    @Test
    void aSecondWebhookWithTheSameNameIsAConflict() {
        create(api(), webhook("crm", URL, "code.published"));
        assertThat(api().post("/v1/webhooks", webhook("crm", URL, "code.published")).status()).isEqualTo(409);
    }

    @Test
    void onlyAdminKeysChangeWebhooksAndReadKeysSeeThem() {
        create(api(), webhook("crm", URL, "code.published"));
        String reader = api().post("/v1/api-keys", Map.of("name", "ro", "scopes", List.of("read"))).json()
                .get("key").asText();
        assertThat(server.client(reader).post("/v1/webhooks", webhook("b", URL, "code.published")).status())
                .isEqualTo(403);
        assertThat(server.client(reader).patch("/v1/webhooks/crm", Map.of("rateLimit", 5)).status()).isEqualTo(403);
        assertThat(server.client(reader).get("/v1/webhooks/crm").status()).isEqualTo(200);
        assertThat(server.client(reader).get("/v1/webhooks/crm/deliveries").status()).isEqualTo(200);
    }

    @Test
    void aPatchChangesTheGivenFieldsAndKeepsTheName() {
        create(api(), webhook("crm", URL, "code.published"));
        Response r = api().patch("/v1/webhooks/crm", Map.of("rateLimit", 5, "events", List.of("points.earned")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("rateLimit").asInt()).isEqualTo(5);
        assertThat(r.json().get("events")).extracting(JsonNode::asText).containsExactly("points.earned");
        assertThat(r.json().get("url").asText()).isEqualTo(URL);
        assertThat(api().patch("/v1/webhooks/crm", Map.of("name", "other")).status()).isEqualTo(422);
    }

    @Test
    void aDeletedWebhookIsGone() {
        create(api(), webhook("crm", URL, "code.published"));
        assertThat(api().delete("/v1/webhooks/crm").status()).isEqualTo(204);
        assertThat(api().get("/v1/webhooks/crm").status()).isEqualTo(404);
        assertThat(api().delete("/v1/webhooks/crm").status()).isEqualTo(404);
    }

    @Test
    void changesAreAuditedWithoutTheSecret() {
        create(api(), webhook("crm", URL, "code.published"));
        api().patch("/v1/webhooks/crm", Map.of("secret", "n3w-secret"));
        api().delete("/v1/webhooks/crm");

        Response r = api().get("/v1/audit?resource=webhook/crm");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("data")).extracting(e -> e.get("action").asText())
                .containsExactly("webhook.deleted", "webhook.updated", "webhook.created");
        assertThat(r.body()).doesNotContain("s3cret").doesNotContain("n3w-secret").doesNotContain("\"secret\"");
        assertThat(r.json().get("data").get(2).get("after").get("url").asText()).isEqualTo(URL);
    }

    @Test
    void theDeliveryLogRefusesAnUnknownStatus() {
        create(api(), webhook("crm", URL, "code.published"));
        Response r = api().get("/v1/webhooks/crm/deliveries?status=LOST");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("status");
    }
}
