package io.tessera.qualification;

import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Fixtures.create;
import static io.tessera.testing.Fixtures.uniqueCampaign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A customer's wallet lists each code published to them with its status now. */
class WalletTest extends ServerPerDatabase {

    @BeforeEach
    void liveCampaign() {
        create(server, key, uniqueCampaign("live", "LV-######", 3));
    }

    private String publish(String campaign) {
        Response r = server.post("/v1/campaigns/" + campaign + "/publications", key,
                Map.of("customer", "c-1", "reuse", false));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("code").asText();
    }

    private JsonNode wallet() {
        Response r = server.get("/v1/customers/c-1/wallet", key);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** The wallet's entry for {@code code}. */
    private JsonNode entry(String code) {
        for (JsonNode c : wallet().get("codes")) if (c.get("code").asText().equals(code)) return c;
        throw new AssertionError(code + " not in the wallet");
    }

    @Test
    void theWalletListsEveryPublishedCodeOnce() {
        String first = publish("live");
        String second = publish("live");
        assertThat(wallet().get("codes").findValuesAsText("code")).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void anUnusedCodeIsActive() {
        String code = publish("live");
        assertThat(entry(code).get("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void eachCodeNamesItsCampaign() {
        String code = publish("live");
        assertThat(entry(code).get("campaign").asText()).isEqualTo("live");
    }

    @Test
    void aRedeemedCodeIsRedeemed() {
        String code = publish("live");
        assertThat(server.post("/v1/redemptions", key, checkout("c-1", List.of(code), 1000)).status()).isEqualTo(201);
        assertThat(entry(code).get("status").asText()).isEqualTo("REDEEMED");
    }

    @Test
    void aDeactivatedCodeIsInactive() {
        String code = publish("live");
        assertThat(server.patch("/v1/codes/" + code, key, Map.of("active", false)).status()).isEqualTo(200);
        assertThat(entry(code).get("status").asText()).isEqualTo("INACTIVE");
    }

    @Test
    void aCodeOfADeactivatedCampaignIsInactive() {
        create(server, key, uniqueCampaign("paused", "PA-######", 1));
        String code = publish("paused");
        assertThat(server.patch("/v1/campaigns/paused", key, Map.of("active", false)).status()).isEqualTo(200);
        assertThat(entry(code).get("status").asText()).isEqualTo("INACTIVE");
    }

    @Test
    void aCodeOfAnEndedCampaignIsExpired() {
        Map<String, Object> ended = new LinkedHashMap<>(uniqueCampaign("ended", "EN-######", 1));
        ended.put("endsAt", "2020-01-31T23:59:59Z");
        create(server, key, ended);
        String code = publish("ended");
        assertThat(entry(code).get("status").asText()).isEqualTo("EXPIRED");
        assertThat(entry(code).get("campaign").asText()).isEqualTo("ended");
    }

    @Test
    void theWalletShowsTheBalanceAndTierOfEachProgram() {
        create(server, key, Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of("earning", List.of(),
                "tiers", List.of(Map.of("name", "Bronze", "min", 0), Map.of("name", "Silver", "min", 100)))));
        server.call("PUT", "/v1/customers/c-1", key, Map.of());
        server.post("/v1/loyalty/stars/members/c-1/transactions", key, Map.of("points", 150, "reason", "welcome"));
        JsonNode loyalty = wallet().get("loyalty");
        assertThat(loyalty.findValuesAsText("program")).containsExactly("stars");
        assertThat(loyalty.get(0).get("balance").asLong()).isEqualTo(150);
        assertThat(loyalty.get(0).get("tier").asText()).isEqualTo("Silver");
    }

    @Test
    void aCustomerWithoutPointsHasAnEmptyLoyaltyList() {
        publish("live");
        assertThat(wallet().get("loyalty").isEmpty()).isTrue();
    }

    @Test
    void aCustomerWithoutReferralCodesHasAnEmptyReferralList() {
        publish("live");
        assertThat(wallet().get("referralCodes").isEmpty()).isTrue();
    }

    @Test
    void aReferrersCodeIsListedUnderReferralCodesNotUnderCodes() {
        create(server, key, Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of("earning", List.of())));
        create(server, key, Map.of("name", "friends", "type", "REFERRAL", "codes", Map.of("mode", "UNIQUE",
                "pattern", "RF-######", "count", 3), "discount", Map.of("type", "AMOUNT", "amount", 500),
                "referral", Map.of("referrerReward", Map.of("points", 500, "program", "stars"))));
        String mine = publish("live");
        String shared = publish("friends");
        assertThat(wallet().get("referralCodes").findValuesAsText("code")).containsExactly(shared);
        assertThat(wallet().get("codes").findValuesAsText("code")).containsExactly(mine);
    }

    @Test
    void aCustomerWithoutAWalletIsNotFound() {
        assertThat(server.get("/v1/customers/nobody/wallet", key).status()).isEqualTo(404);
    }

    @Test
    void theWalletNeedsAKey() {
        assertThat(server.get("/v1/customers/c-1/wallet", null).status()).isEqualTo(401);
    }
}
