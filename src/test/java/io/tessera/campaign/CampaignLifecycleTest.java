package io.tessera.campaign;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Backend;
import io.tessera.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CampaignLifecycleTest {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void createReadListPatchArchive(Backend backend) {
        try (TestServer server = TestServer.on(backend)) {
            var api = server.newProjectClient();
            for (int i = 0; i < 5; i++) {
                assertThat(api.post("/v1/campaigns", universal("c" + i, "CODE" + i, amount(100 + i), Map.of())).status()).isEqualTo(201);
            }
            var got = api.get("/v1/campaigns/c2").json();
            assertThat(got.get("codes").get("code").asText()).isEqualTo("CODE2");
            assertThat(got.has("endsAt")).isTrue();
            assertThat(got.get("endsAt").isNull()).isTrue();

            List<String> names = new ArrayList<>();
            String cursor = null;
            do {
                var page = api.get("/v1/campaigns?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
                page.get("data").forEach(c -> names.add(c.get("name").asText()));
                cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            } while (cursor != null);
            assertThat(names).containsExactly("c0", "c1", "c2", "c3", "c4");

            // A merge patch changes what it names and keeps the rest; the engine sees it at once.
            var patched = api.patch("/v1/campaigns/c1", Map.of("discount", Map.of("amount", 700), "condition", "order.subtotal >= 500"));
            assertThat(patched.status()).isEqualTo(200);
            assertThat(patched.json().get("discount").get("type").asText()).isEqualTo("AMOUNT");
            assertThat(api.post("/v1/validations", checkout("c-1", List.of("CODE1"), 1000)).json().get("order").get("discount").asLong()).isEqualTo(700);
            assertThat(api.post("/v1/validations", checkout("c-1", List.of("CODE1"), 400)).json().get("rejected").get(0).get("reason").asText()).isEqualTo("condition_not_met");

            // A bad patch is refused whole.
            var bad = api.patch("/v1/campaigns/c1", Map.of("discount", Map.of("amount", -1), "name", "renamed"));
            assertThat(bad.status()).isEqualTo(422);
            assertThat(bad.json().get("errors").findValuesAsText("field")).contains("discount.amount", "name");
            assertThat(api.get("/v1/campaigns/c1").json().get("discount").get("amount").asLong()).isEqualTo(700);

            // Deactivating and archiving.
            api.patch("/v1/campaigns/c3", Map.of("active", false));
            assertThat(api.post("/v1/validations", checkout("c-1", List.of("CODE3"), 1000)).json().get("rejected").get(0).get("reason").asText()).isEqualTo("campaign_inactive");
            assertThat(api.delete("/v1/campaigns/c4").json().get("archived").asBoolean()).isTrue();
            assertThat(api.post("/v1/validations", checkout("c-1", List.of("CODE4"), 1000)).json().get("rejected").get(0).get("reason").asText()).isEqualTo("campaign_inactive");
            assertThat(api.get("/v1/campaigns").json().get("data").size()).isEqualTo(4);
            assertThat(api.get("/v1/campaigns?archived=all").json().get("data").size()).isEqualTo(5);
            assertThat(api.get("/v1/campaigns/nope").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void changingALimitKeepsWhatWasUsed(Backend backend) {
        try (TestServer server = TestServer.on(backend)) {
            var api = server.newProjectClient();
            api.post("/v1/campaigns", universal("lim", "LIM", amount(100), Map.of("redemptions", 20, "budget", Map.of("discount", 5000))));
            for (int i = 0; i < 6; i++) assertThat(api.post("/v1/redemptions", checkout("c-" + i, List.of("LIM"), 1000)).status()).isEqualTo(201);
            assertThat(api.patch("/v1/campaigns/lim", Map.of("limits", Map.of("redemptions", 8, "budget", Map.of("discount", 650)))).status()).isEqualTo(200);
            int ok = 0;
            for (int i = 10; i < 20; i++) if (api.post("/v1/redemptions", checkout("c-" + i, List.of("LIM"), 1000)).status() == 201) ok++;
            // 6 x 100 used: the lowered budget (650) has no room for another 100.
            assertThat(ok).isZero();
            api.patch("/v1/campaigns/lim", Map.of("limits", Map.of("budget", Map.of("discount", 100_000))));
            for (int i = 20; i < 30; i++) if (api.post("/v1/redemptions", checkout("c-" + i, List.of("LIM"), 1000)).status() == 201) ok++;
            assertThat(ok).isEqualTo(2);
            assertThat(api.get("/v1/campaigns/lim/stats").json().get("redemptions").asLong()).isEqualTo(8);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLimitAddedLaterCountsWhatWasAlreadyRedeemed(Backend backend) {
        try (TestServer server = TestServer.on(backend)) {
            var api = server.newProjectClient();
            api.post("/v1/campaigns", universal("late", "LATE", amount(100), Map.of()));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) ids.add(api.post("/v1/redemptions", checkout("c-" + i, List.of("LATE"), 1000)).json().get("id").asText());
            assertThat(api.patch("/v1/campaigns/late", Map.of("limits", Map.of("redemptions", 4, "perCustomer", 1,
                    "budget", Map.of("discount", 1000)))).status()).isEqualTo(200);
            var again = api.post("/v1/redemptions", checkout("c-0", List.of("LATE"), 1000));
            assertThat(again.json().get("rejected").get(0).get("reason").asText()).isEqualTo("customer_limit");
            assertThat(api.post("/v1/redemptions", checkout("c-9", List.of("LATE"), 1000)).status()).isEqualTo(201);
            var full = api.post("/v1/redemptions", checkout("c-10", List.of("LATE"), 1000));
            assertThat(full.json().get("rejected").get(0).get("reason").asText()).isEqualTo("redemption_limit");
            assertThat(api.get("/v1/campaigns/late/stats").json().get("budgetLeft").asLong()).isEqualTo(600);
            // Rolling back a redemption made before the limit existed gives its share back.
            assertThat(api.post("/v1/redemptions/" + ids.getFirst() + "/rollback", Map.of()).status()).isEqualTo(200);
            assertThat(api.post("/v1/redemptions", checkout("c-0", List.of("LATE"), 1000)).status()).isEqualTo(201);
        }
    }

    /** A change made through one node is seen by another node sharing the database within the refresh interval. */
    @Test
    void anotherNodeSeesCampaignChanges() {
        Backend.requirePostgres();
        try (TestServer a = TestServer.on(Backend.POSTGRES); TestServer b = TestServer.on(Backend.POSTGRES)) {
            var apiA = a.newProjectClient();
            var apiB = b.client(apiA.key());
            apiA.post("/v1/campaigns", universal("x", "XNODE", amount(100), Map.of()));
            assertThat(apiB.post("/v1/validations", checkout("c-1", List.of("XNODE"), 1000)).json().get("valid").asBoolean()).isTrue();
            apiA.patch("/v1/campaigns/x", Map.of("discount", Map.of("amount", 300)));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            long seen;
            do {
                seen = apiB.post("/v1/validations", checkout("c-1", List.of("XNODE"), 1000)).json().get("order").get("discount").asLong();
            } while (seen != 300 && Instant.now().isBefore(deadline));
            assertThat(seen).isEqualTo(300);
        }
    }
}
