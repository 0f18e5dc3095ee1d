package io.tessera.automation;

import static io.tessera.testing.Bodies.item;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Fixtures;
import io.tessera.testing.Response;
import io.tessera.testing.TestServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Campaigns, automations, orders and the runs log for the automation tests. */
final class AutomationFixtures {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private AutomationFixtures() {
    }

    /** A CODES campaign with {@code count} UNIQUE codes. */
    static void codes(TestServer.Client api, String name, long count) {
        created(api.post("/v1/campaigns", Map.of("name", name, "type", "CODES", "active", true,
                "codes", Map.of("mode", "UNIQUE", "pattern", name.toUpperCase() + "-######", "count", count),
                "discount", Map.of("type", "AMOUNT", "amount", 500))));
    }

    /** An automation from alternating keys and values, e.g. {@code "on", "order_paid", "actions", List.of(...)}. */
    static Map<String, Object> automation(String name, Object... fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        for (int i = 0; i < fields.length; i += 2) m.put((String) fields[i], fields[i + 1]);
        return m;
    }

    static List<Map<String, Object>> publish(String campaign) {
        return List.of(Map.of("type", "PUBLISH_CODE", "campaign", campaign));
    }

    static Response created(Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r;
    }

    static Response paid(TestServer.Client api, String id, String customer, long price) {
        Response r = api.post("/v1/orders", Map.of("id", id, "customer", customer, "status", "PAID", "currency", "USD",
                "items", List.of(item("A", price, 1))));
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
        return r;
    }

    static Response event(TestServer.Client api, String customer, String type) {
        Response r = api.post("/v1/events", Map.of("customer", customer, "type", type, "properties", Map.of()));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r;
    }

    static void advance(TestServer.Client api, String to) {
        Response r = api.post("/v1/test-clock/advance", Map.of("to", to));
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
    }

    /** The automation's runs, newest first. */
    static JsonNode runs(TestServer.Client api, String automation) {
        Response r = api.get("/v1/automations/" + automation + "/runs");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("data");
    }

    /** Waits until {@code done} holds for the runs log (runs due at once are run by the scheduler's poller). */
    static JsonNode awaitRuns(TestServer.Client api, String automation, Predicate<JsonNode> done) {
        return await("the runs of " + automation).atMost(TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(() -> runs(api, automation), done);
    }

    /** True when every run ended and there are {@code n}. */
    static Predicate<JsonNode> ended(int n) {
        return runs -> {
            if (runs.size() != n) return false;
            for (JsonNode r : runs) if ("SCHEDULED".equals(r.get("status").asText())) return false;
            return true;
        };
    }

    /** How many codes of the campaign were handed to customers. */
    static long published(TestServer server, String key, String campaign) {
        return Fixtures.count(server, "select count(*) from codes where campaign_id = ? and customer_id is not null",
                Fixtures.campaignId(server, key, campaign));
    }
}
