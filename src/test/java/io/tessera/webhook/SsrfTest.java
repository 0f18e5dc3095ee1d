package io.tessera.webhook;

import io.tessera.testing.Receiver;

import static io.tessera.webhook.WebhookTesting.awaitDeliveries;
import static io.tessera.webhook.WebhookTesting.create;
import static io.tessera.webhook.WebhookTesting.newCustomer;
import static io.tessera.webhook.WebhookTesting.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.config.Config;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import org.junit.jupiter.api.Test;
import java.util.List;

/** Server-side request forgery: with TESSERA_WEBHOOK_ALLOW_PRIVATE off, no webhook reaches a private address. */
class SsrfTest extends ServerPerDatabase {

    private static final List<String> PRIVATE = List.of("http://127.0.0.1:8080/hooks", "http://[::1]/hooks",
            "http://169.254.169.254/latest/meta-data", "http://10.1.2.3/hooks", "http://192.168.1.10/hooks",
            "http://172.20.0.5/hooks", "http://100.64.0.1/hooks", "http://0.0.0.0/hooks",
            "http://[::ffff:127.0.0.1]/hooks", "http://[fd00::1]/hooks", "http://[fe80::1]/hooks",
            "http://localhost:8080/hooks");

    @Test
    void aUrlOnAPrivateAddressIsRefused() {
        try (TestServer strict = TestServer.start(database, c -> c.with(Config.Setting.WEBHOOK_ALLOW_PRIVATE, false))) {
            TestServer.Client api = strict.client(strict.newProject());
            for (String url : PRIVATE) {
                Response r = api.post("/v1/webhooks", webhook("crm", url, "customer.created"));
                assertThat(r.status()).as(url + ": " + r).isEqualTo(422);
                assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("url");
            }
            assertThat(api.get("/v1/webhooks").json().get("data")).isEmpty();
        }
    }

    @Test
    void aDestinationIsCheckedAgainAtDelivery() {
        // Saved while private addresses were allowed; delivered by a node that refuses them.
        try (Receiver receiver = new Receiver()) {
            create(api(), webhook("crm", receiver.url(), "customer.created"));
            server.stop();
            try (TestServer strict = server.anotherNode(c -> c.with(Config.Setting.WEBHOOK_ALLOW_PRIVATE, false))) {
                TestServer.Client api = strict.client(key);
                newCustomer(api, "c-1");
                JsonNode d = awaitDeliveries(api, "crm", log -> log.getFirst().get("attempts").asInt() == 1).getFirst();
                assertThat(d.get("status").asText()).isEqualTo("PENDING");
                JsonNode detail = api.get("/v1/webhooks/crm/deliveries/" + d.get("id").asText()).json();
                assertThat(detail.get("lastError").asText()).contains("destination refused").contains("127.0.0.1");
            } finally {
                server.startAgain();
            }
            assertThat(receiver.calls()).isEmpty();
        }
    }
}
