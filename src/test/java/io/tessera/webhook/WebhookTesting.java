package io.tessera.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Webhooks and delivery logs as the HTTP tests set them up and read them. */
final class WebhookTesting {
    private WebhookTesting() {
    }

    static Map<String, Object> webhook(String name, String url, String... events) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("name", name);
        w.put("url", url);
        w.put("events", List.of(events));
        w.put("secret", "s3cret");
        return w;
    }

    static void create(TestServer.Client api, Map<String, Object> webhook) {
        Response r = api.post("/v1/webhooks", webhook);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    /** A new customer, which adds a customer.created event. */
    static void newCustomer(TestServer.Client api, String id) {
        Response r = api.put("/v1/customers/" + id, Map.of("attributes", Map.of()));
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
    }

    static List<JsonNode> deliveries(TestServer.Client api, String webhook) {
        Response r = api.get("/v1/webhooks/" + webhook + "/deliveries?limit=1000");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().get("data").forEach(out::add);
        return out;
    }

    /** Waits (up to 20 s) until the delivery log satisfies {@code done}; returns it. */
    static List<JsonNode> awaitDeliveries(TestServer.Client api, String webhook, Predicate<List<JsonNode>> done) {
        return await("the delivery log of " + webhook).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50)).until(() -> deliveries(api, webhook), done);
    }

    static JsonNode advance(TestServer.Client api, String to) {
        Response r = api.post("/v1/test-clock/advance", Map.of("to", to));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }
}
