package io.tessera.webhook;

import io.tessera.testing.Receiver;

import static io.tessera.webhook.WebhookTesting.advance;
import static io.tessera.webhook.WebhookTesting.awaitDeliveries;
import static io.tessera.webhook.WebhookTesting.create;
import static io.tessera.webhook.WebhookTesting.deliveries;
import static io.tessera.webhook.WebhookTesting.newCustomer;
import static io.tessera.webhook.WebhookTesting.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import io.tessera.core.Json;
import io.tessera.testing.Fixtures;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookDeliveryTest extends ServerPerDatabase {
    private static final String T = "2030-01-01T00:00:00Z";
    private static final Instant T0 = Instant.parse(T);

    private static Map<String, Object> order() {
        return Map.of("currency", "USD", "shipping", 0, "items", List.of(Map.of("sku", "A", "product", "a",
                "categories", List.of(), "price", 1000, "quantity", 1)));
    }

    @Test
    void aRedemptionIsDeliveredSignedSoThatAStandardWebhooksLibraryAndTesseraSignatureBothVerify() throws Exception {
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        try (Receiver receiver = new Receiver()) {
            Map<String, Object> w = webhook("crm", receiver.url(), "redemption.created");
            w.put("secret", secret);
            create(api(), w);
            Fixtures.create(server, key, Fixtures.universalCampaign("hooked", "HOOK"));
            Response r = api().post("/v1/redemptions", Map.of("order", order(), "codes", List.of("HOOK"),
                    "customer", "c-1"));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);

            Receiver.Call call = receiver.await(calls -> calls.size() == 1).getFirst();
            JsonNode body = Json.parse(call.body());
            assertThat(body.get("type").asText()).isEqualTo("redemption.created");
            assertThat(body.get("data").get("id").asText()).isEqualTo(r.json().get("id").asText());
            assertThat(call.headers().get("webhook-id")).isEqualTo(body.get("id").asText());
            // The Standard Webhooks reference library (an independent implementation) accepts the signature...
            new Webhook(secret).verify(call.body(), call.headers().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))));
            // ...and Tessera-Signature is HMAC-SHA256("t.body") keyed with the secret as written.
            Map<String, String> parts = java.util.Arrays.stream(call.headers().get("tessera-signature").split(","))
                    .map(p -> p.split("=", 2)).collect(Collectors.toMap(p -> p[0], p -> p[1]));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = HexFormat.of().formatHex(mac.doFinal((parts.get("t") + "." + call.body())
                    .getBytes(StandardCharsets.UTF_8)));
            assertThat(parts.get("v1")).isEqualTo(expected);
        }
    }

    @Test
    void aRollbackIsDeliveredAsRedemptionRolledBack() {
        try (Receiver receiver = new Receiver()) {
            create(api(), webhook("crm", receiver.url(), "redemption.rolled_back"));
            Fixtures.create(server, key, Fixtures.universalCampaign("hooked", "HOOK"));
            String id = api().post("/v1/redemptions", Map.of("order", order(), "codes", List.of("HOOK"),
                    "customer", "c-1")).json().get("id").asText();
            assertThat(api().post("/v1/redemptions/" + id + "/rollback", Map.of("reason", "cancelled")).status())
                    .isEqualTo(200);

            JsonNode body = Json.parse(receiver.await(calls -> calls.size() == 1).getFirst().body());
            assertThat(body.get("type").asText()).isEqualTo("redemption.rolled_back");
            assertThat(body.get("data").get("id").asText()).isEqualTo(id);
            assertThat(body.get("data").get("status").asText()).isEqualTo("ROLLED_BACK");
        }
    }

    @Test
    void aNewCustomerIsDeliveredAsCustomerCreatedWithItsIdOnly() {
        try (Receiver receiver = new Receiver()) {
            create(api(), webhook("crm", receiver.url(), "customer.created"));
            api().put("/v1/customers/c-7", Map.of("attributes", Map.of("email", "ana@example.com")));

            JsonNode data = Json.parse(receiver.await(calls -> calls.size() == 1).getFirst().body()).get("data");
            assertThat(data.get("id").asText()).isEqualTo("c-7");
            assertThat(data.has("createdAt")).isTrue();
            assertThat(data.has("attributes")).isFalse();
        }
    }

    @Test
    void aFailingReceiverIsRetriedOnTheScheduleThenTheDeliveryFails() {
        try (Receiver receiver = new Receiver().answering(500)) {
            create(api(), webhook("crm", receiver.url(), "customer.created"));
            newCustomer(api().at(T), "c-1");
            JsonNode d = awaitDeliveries(api(), "crm", log -> log.getFirst().get("attempts").asInt() == 1).getFirst();
            Instant attemptAt = T0;
            List<Duration> schedule = Deliveries.SCHEDULE;
            for (int i = 0; i < schedule.size(); i++) {
                Instant next = Instant.parse(d.get("nextAttemptAt").asText());
                Duration delay = Duration.between(attemptAt, next);
                assertThat(delay).as("delay after attempt " + (i + 1))
                        .isBetween(schedule.get(i).multipliedBy(9).dividedBy(10),
                                schedule.get(i).multipliedBy(11).dividedBy(10));
                assertThat(d.get("status").asText()).isEqualTo("PENDING");
                // Not a moment early: just before the instant nothing runs.
                advance(api(), next.minusMillis(1).toString());
                assertThat(deliveries(api(), "crm").getFirst().get("attempts").asInt()).isEqualTo(i + 1);
                advance(api(), next.toString());
                attemptAt = next;
                d = deliveries(api(), "crm").getFirst();
                assertThat(d.get("attempts").asInt()).isEqualTo(i + 2);
            }
            assertThat(d.get("status").asText()).isEqualTo("FAILED");
            assertThat(d.get("nextAttemptAt").isNull()).isTrue();
            assertThat(d.get("responseStatus").asInt()).isEqualTo(500);
            List<Receiver.Call> calls = receiver.calls();
            assertThat(calls).hasSize(8);
            // The same event every time: receivers de-duplicate on its id.
            assertThat(calls.stream().map(c -> Json.parse(c.body()).get("id").asText()).distinct()).hasSize(1);
        }
    }

    @Test
    void aReceiverThatDoesNotAnswerWithinTenSecondsIsAFailedAttempt() {
        try (Receiver receiver = new Receiver().answeringAfter(Duration.ofSeconds(15))) {
            create(api(), webhook("crm", receiver.url(), "customer.created"));
            newCustomer(api().at(T), "c-1");
            JsonNode d = awaitDeliveries(api(), "crm", log -> log.getFirst().get("attempts").asInt() == 1).getFirst();
            assertThat(d.get("status").asText()).isEqualTo("PENDING");
            assertThat(d.get("responseStatus").isNull()).isTrue();
            assertThat(d.get("durationMs").asLong()).isBetween(9_000L, 14_000L);
            JsonNode detail = api().get("/v1/webhooks/crm/deliveries/" + d.get("id").asText()).json();
            assertThat(detail.get("lastError").asText()).contains("no answer within 10 s");
        }
    }

    @Test
    void goneDisablesTheWebhookAtOnce() {
        try (Receiver receiver = new Receiver().answering(410)) {
            create(api(), webhook("crm", receiver.url(), "customer.created"));
            newCustomer(api().at(T), "c-1");
            JsonNode d = awaitDeliveries(api(), "crm", log -> log.getFirst().get("attempts").asInt() == 1).getFirst();
            assertThat(d.get("status").asText()).isEqualTo("FAILED");
            JsonNode w = api().get("/v1/webhooks/crm").json();
            assertThat(w.get("status").asText()).isEqualTo("DISABLED");
            assertThat(w.get("disabledReason").asText()).contains("410");
        }
    }

    @Test
    void fiveDaysOfNothingButFailuresDisableTheWebhook() {
        try (Receiver receiver = new Receiver().answering(503)) {
            create(api(), webhook("crm", receiver.url(), "customer.created"));
            newCustomer(api().at(T), "c-1");
            awaitDeliveries(api(), "crm", log -> log.getFirst().get("attempts").asInt() == 1);
            assertThat(api().get("/v1/webhooks/crm").json().get("status").asText()).isEqualTo("ENABLED");

            newCustomer(api().at(T0.plus(Duration.ofDays(5)).toString()), "c-2");
            awaitDeliveries(api(), "crm", log -> log.size() == 2 && log.getFirst().get("attempts").asInt() == 1);
            JsonNode w = api().get("/v1/webhooks/crm").json();
            assertThat(w.get("status").asText()).isEqualTo("DISABLED");
            assertThat(w.get("disabledReason").asText()).contains("5 days");
        }
    }

    @Test
    void aSuccessInBetweenEndsTheFailureStreak() {
        try (Receiver receiver = new Receiver().answering(503)) {
            create(api(), webhook("crm", receiver.url(), "customer.created"));
            newCustomer(api().at(T), "c-1");
            awaitDeliveries(api(), "crm", log -> log.getFirst().get("attempts").asInt() == 1);
            receiver.answering(200);
            newCustomer(api().at(T0.plus(Duration.ofDays(1)).toString()), "c-2");
            awaitDeliveries(api(), "crm", log -> log.getFirst().get("status").asText().equals("DELIVERED"));
            receiver.answering(503);

            newCustomer(api().at(T0.plus(Duration.ofDays(5)).toString()), "c-3");
            awaitDeliveries(api(), "crm", log -> log.size() == 3 && log.getFirst().get("attempts").asInt() == 1);
            assertThat(api().get("/v1/webhooks/crm").json().get("status").asText()).isEqualTo("ENABLED");
        }
    }

    @Test
    void eventsForADisabledWebhookAreKeptAsSkippedAndRecoverSendsThemOnceEnabled() {
        try (Receiver receiver = new Receiver()) {
            create(api(), webhook("crm", receiver.url(), "customer.created"));
            assertThat(api().patch("/v1/webhooks/crm", Map.of("enabled", false)).status()).isEqualTo(200);
            newCustomer(api().at(T), "c-1");
            newCustomer(api().at(T0.plusSeconds(60).toString()), "c-2");
            List<JsonNode> log = deliveries(api(), "crm");
            assertThat(log).extracting(d -> d.get("status").asText()).containsExactly("SKIPPED", "SKIPPED");
            assertThat(api().post("/v1/webhooks/crm/recover", Map.of("since", T)).status()).isEqualTo(409);

            assertThat(api().patch("/v1/webhooks/crm", Map.of("enabled", true)).json().get("status").asText())
                    .isEqualTo("ENABLED");
            Response r = api().at(T0.plusSeconds(120).toString()).post("/v1/webhooks/crm/recover",
                    Map.of("since", T0.plusSeconds(30).toString()));
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
            assertThat(r.json().get("recovered").asInt()).isEqualTo(1);

            JsonNode body = Json.parse(receiver.await(calls -> calls.size() == 1).getFirst().body());
            assertThat(body.get("data").get("id").asText()).isEqualTo("c-2");
            log = awaitDeliveries(api(), "crm", l -> l.getFirst().get("status").asText().equals("DELIVERED"));
            assertThat(log.get(1).get("status").asText()).isEqualTo("SKIPPED");
        }
    }

    @Test
    void retryingOneDeliverySendsTheSameEventAgain() {
        try (Receiver receiver = new Receiver()) {
            create(api(), webhook("crm", receiver.url(), "customer.created"));
            newCustomer(api().at(T), "c-1");
            String id = awaitDeliveries(api(), "crm", log -> log.getFirst().get("status").asText().equals("DELIVERED"))
                    .getFirst().get("id").asText();

            Response r = api().at(T0.plusSeconds(60).toString()).post("/v1/webhooks/crm/deliveries/" + id + "/retry",
                    Map.of());
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
            List<Receiver.Call> calls = receiver.await(c -> c.size() == 2);
            assertThat(Json.parse(calls.get(1).body()).get("id").asText())
                    .isEqualTo(Json.parse(calls.get(0).body()).get("id").asText());
            JsonNode d = awaitDeliveries(api(), "crm", log -> log.getFirst().get("attempts").asInt() == 2).getFirst();
            assertThat(d.get("status").asText()).isEqualTo("DELIVERED");
        }
    }

    @Test
    void deliveriesToOneReceiverAreSpacedByItsRateLimit() {
        try (Receiver receiver = new Receiver()) {
            Map<String, Object> w = webhook("crm", receiver.url(), "customer.created");
            w.put("rateLimit", 2);
            create(api(), w);
            int n = 5;
            for (int i = 0; i < n; i++) newCustomer(api().at(T), "c-" + i);

            // One goes at once; each other is re-scheduled to a slot of its own, 1/2 s after the previous one.
            List<JsonNode> log = awaitDeliveries(api(), "crm", l -> l.size() == n && l.stream().allMatch(d ->
                    d.get("status").asText().equals("DELIVERED") || Instant.parse(d.get("nextAttemptAt").asText())
                            .isAfter(T0)));
            assertThat(log.stream().filter(d -> d.get("status").asText().equals("DELIVERED"))).hasSize(1);
            List<Instant> slots = log.stream().filter(d -> d.get("status").asText().equals("PENDING"))
                    .map(d -> Instant.parse(d.get("nextAttemptAt").asText())).sorted().toList();
            assertThat(slots).hasSize(n - 1);
            assertThat(slots.getFirst()).isAfterOrEqualTo(T0.plusMillis(500));
            for (int i = 1; i < slots.size(); i++)
                assertThat(Duration.between(slots.get(i - 1), slots.get(i))).isGreaterThanOrEqualTo(Duration.ofMillis(500));
            assertThat(slots.getLast()).isAfterOrEqualTo(T0.plusMillis(500L * (n - 1)));

            advance(api(), T0.plusSeconds(3).toString());
            assertThat(deliveries(api(), "crm")).allSatisfy(d -> assertThat(d.get("status").asText())
                    .isEqualTo("DELIVERED"));
            assertThat(receiver.calls()).hasSize(n);
        }
    }

    @Test
    void aRestartLosesNoPendingDelivery() {
        try (Receiver receiver = new Receiver().answering(500)) {
            create(api(), webhook("crm", receiver.url(), "customer.created"));
            newCustomer(api().at(T), "c-1");
            awaitDeliveries(api(), "crm", log -> log.getFirst().get("attempts").asInt() == 1);

            server.stop();
            receiver.answering(200);
            server.startAgain();
            advance(api(), T0.plusSeconds(10).toString());
            JsonNode d = deliveries(api(), "crm").getFirst();
            assertThat(d.get("status").asText()).isEqualTo("DELIVERED");
            assertThat(d.get("attempts").asInt()).isEqualTo(2);
        }
    }

    @Test
    void twoNodesDeliverEachEventOnce() {
        try (Receiver receiver = new Receiver(); TestServer other = server.anotherNode()) {
            Map<String, Object> w = webhook("crm", receiver.url(), "customer.created");
            w.put("rateLimit", 1000);
            create(api(), w);
            int n = 20;
            TestServer.Client second = other.client(key);
            for (int i = 0; i < n; i++) newCustomer((i % 2 == 0 ? api() : second).at(T), "c-" + i);
            // Every first attempt ran on one node or the other (sent, or re-scheduled to its throttle slot)...
            awaitDeliveries(api(), "crm", l -> l.size() == n && l.stream().allMatch(d ->
                    d.get("status").asText().equals("DELIVERED") || Instant.parse(d.get("nextAttemptAt").asText())
                            .isAfter(T0)));
            // ...and the slots come due.
            advance(second, T0.plusSeconds(1).toString());

            List<JsonNode> log = deliveries(api(), "crm");
            assertThat(log).allSatisfy(d -> {
                assertThat(d.get("status").asText()).isEqualTo("DELIVERED");
                assertThat(d.get("attempts").asInt()).isEqualTo(1);
            });
            List<Receiver.Call> calls = receiver.calls();
            assertThat(calls).hasSize(n);
            assertThat(calls.stream().map(c -> Json.parse(c.body()).get("id").asText()).distinct()).hasSize(n);
        }
    }

    @Test
    void anErasedCustomerIsReplacedByItsPseudonymInDeliveriesAndExportedBeforehand() {
        try (Receiver receiver = new Receiver()) {
            create(api(), webhook("crm", receiver.url(), "customer.created"));
            newCustomer(api(), "c-9");
            String id = awaitDeliveries(api(), "crm", log -> log.getFirst().get("status").asText().equals("DELIVERED"))
                    .getFirst().get("id").asText();
            JsonNode exported = api().get("/v1/customers/c-9/export").json().get("webhookDeliveries");
            assertThat(exported).hasSize(1);
            assertThat(exported.get(0).get("body").get("data").get("id").asText()).isEqualTo("c-9");

            assertThat(api().delete("/v1/customers/c-9").status()).isIn(200, 204);
            String body = api().get("/v1/webhooks/crm/deliveries/" + id).json().get("request").get("body").asText();
            assertThat(Json.parse(body).get("data").get("id").asText()).isNotEqualTo("c-9");
        }
    }

    @Test
    void theRateLimitHoldsAcrossNodes() {
        try (Receiver receiver = new Receiver(); TestServer other = server.anotherNode()) {
            Map<String, Object> w = webhook("crm", receiver.url(), "customer.created");
            w.put("rateLimit", 2);
            create(api(), w);
            int n = 6;
            TestServer.Client second = other.client(key);
            for (int i = 0; i < n; i++) newCustomer((i % 2 == 0 ? api() : second).at(T), "c-" + i);

            List<JsonNode> log = awaitDeliveries(api(), "crm", l -> l.size() == n && l.stream().allMatch(d ->
                    d.get("status").asText().equals("DELIVERED") || Instant.parse(d.get("nextAttemptAt").asText())
                            .isAfter(T0)));
            // Whichever node reserved it, every send slot is 1/2 s after the one before.
            List<Instant> slots = new java.util.ArrayList<>(log.stream()
                    .filter(d -> d.get("status").asText().equals("PENDING"))
                    .map(d -> Instant.parse(d.get("nextAttemptAt").asText())).sorted().toList());
            slots.addFirst(T0);
            assertThat(slots).hasSize(n);
            for (int i = 1; i < n; i++)
                assertThat(Duration.between(slots.get(i - 1), slots.get(i))).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        }
    }
}
