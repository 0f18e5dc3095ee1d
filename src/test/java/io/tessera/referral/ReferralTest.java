package io.tessera.referral;

import static io.tessera.testing.Bodies.item;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Json;
import io.tessera.testing.Fixtures;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Referral programmes: codes shared by referrers, the referee's discount, the referrer's reward once per referee. */
class ReferralTest extends ServerPerDatabase {

    /** A program "stars" that earns nothing by itself: every point in it is a referral reward. */
    private void stars() {
        created(api().post("/v1/campaigns", Map.of("name", "stars", "type", "LOYALTY", "loyalty",
                Map.of("earning", List.of()))));
    }

    private static Map<String, Object> referral(Map<String, Object> reward) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", "friends");
        c.put("type", "REFERRAL");
        c.put("codes", Map.of("mode", "UNIQUE", "pattern", "REF-######", "count", 10));
        c.put("condition", "customer.isNew");
        c.put("discount", Map.of("type", "AMOUNT", "amount", 1000));
        c.put("referral", Map.of("referrerReward", reward, "conversion", "order_paid"));
        return c;
    }

    private static final Map<String, Object> FIVE_HUNDRED_STARS = Map.of("points", 500, "program", "stars");

    private static Response created(Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r;
    }

    /** Publishes a referral code of "friends" to {@code referrer}. */
    private String codeOf(String referrer) {
        return created(api().post("/v1/campaigns/friends/publications", Map.of("customer", referrer))).json()
                .get("code").asText();
    }

    private Response redeem(String customer, String code, String orderId) {
        Map<String, Object> order = new LinkedHashMap<>(Map.of("currency", "USD", "items", List.of(item("A", 5000, 1)),
                "shipping", 0));
        if (orderId != null) order.put("id", orderId);
        return api().post("/v1/redemptions", Map.of("customer", customer, "codes", List.of(code), "order", order));
    }

    private Response paid(String orderId, String customer, String redemption) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("id", orderId, "customer", customer, "status", "PAID",
                "currency", "USD", "items", List.of(item("A", 5000, 1))));
        if (redemption != null) body.put("redemption", redemption);
        Response r = api().post("/v1/orders", body);
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
        return r;
    }

    private long balance(String customer) {
        return api().get("/v1/loyalty/stars/members/" + customer).json().get("balance").asLong();
    }

    private List<String> converted() {
        return Fixtures.strings(server, "select payload from events where type = 'referral.converted' and project_id = "
                + "(select project_id from campaigns where id = ?)", Fixtures.campaignId(server, key, "friends"));
    }

    @Test
    void redeemingOnesOwnReferralCodeIsRejectedAsSelfReferral() {
        stars();
        created(api().post("/v1/campaigns", referral(FIVE_HUNDRED_STARS)));
        String code = codeOf("alice");
        Response r = redeem("alice", code, null);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("code").asText()).isEqualTo("redemption_rejected");
        assertThat(r.json().at("/rejected/0/reason").asText()).isEqualTo("self_referral");
        assertThat(api().get("/v1/codes/" + code).json().get("redemptions").asLong()).isZero();
    }

    @Test
    void aReferralCodeIsSharedByManyRefereesWithoutAPerCodeLimit() {
        stars();
        created(api().post("/v1/campaigns", referral(FIVE_HUNDRED_STARS)));
        String code = codeOf("alice");
        for (String referee : List.of("bob", "carol", "dave")) {
            Response r = redeem(referee, code, null);
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            assertThat(r.json().at("/order/discount").asLong()).isEqualTo(1000);
        }
        assertThat(api().get("/v1/codes/" + code).json().get("redemptions").asLong()).isEqualTo(3);
    }

    @Test
    void theRefereesFirstPaidOrderRewardsTheReferrerOnceWhateverIsResent() {
        io.tessera.testing.Fixtures.recordEvents(server, key, "referral.converted");
        stars();
        created(api().post("/v1/campaigns", referral(FIVE_HUNDRED_STARS)));
        String code = codeOf("alice");
        String redemption = created(redeem("bob", code, "o-bob-1")).json().get("id").asText();
        paid("o-bob-1", "bob", redemption);
        paid("o-bob-1", "bob", redemption);
        api().post("/v1/orders", Map.of("id", "o-bob-1", "customer", "bob", "status", "CREATED", "currency", "USD",
                "items", List.of(item("A", 5000, 1))));
        paid("o-bob-1", "bob", redemption);
        assertThat(balance("alice")).isEqualTo(500);
        JsonNode member = api().get("/v1/loyalty/stars/members/alice").json();
        assertThat(member.get("earnedLifetime").asLong()).as("a referral reward counts as earned").isEqualTo(500);
        JsonNode earn = api().get("/v1/loyalty/stars/members/alice/transactions").json().at("/data/0");
        assertThat(earn.get("type").asText()).isEqualTo("EARN");
        assertThat(earn.get("counterparty").asText()).isEqualTo("bob");
        assertThat(balance("bob")).isZero();
        List<String> events = converted();
        assertThat(events).hasSize(1);
        JsonNode event = Json.parse(events.getFirst());
        assertThat(event.get("referrer").asText()).isEqualTo("alice");
        assertThat(event.get("referee").asText()).isEqualTo("bob");
        assertThat(event.get("code").asText()).isEqualTo(code);
        assertThat(event.at("/reward/points").asLong()).isEqualTo(500);
    }

    @Test
    void aRedemptionNamingTheOrderConvertsWithoutTheOrderLinkingIt() {
        stars();
        created(api().post("/v1/campaigns", referral(FIVE_HUNDRED_STARS)));
        created(redeem("bob", codeOf("alice"), "o-bob-1"));
        paid("o-bob-1", "bob", null);
        assertThat(balance("alice")).isEqualTo(500);
    }

    @Test
    void aSecondPaidOrderOfTheRefereeGivesTheReferrerNothing() {
        io.tessera.testing.Fixtures.recordEvents(server, key, "referral.converted");
        stars();
        created(api().post("/v1/campaigns", referral(FIVE_HUNDRED_STARS)));
        String code = codeOf("alice");
        paid("o-bob-1", "bob", created(redeem("bob", code, "o-bob-1")).json().get("id").asText());
        paid("o-bob-2", "bob", null);
        assertThat(balance("alice")).isEqualTo(500);
        // Nor does a later order linking another redemption of the code: only the first paid order converts.
        assertThat(api().patch("/v1/campaigns/friends", Map.of("condition", "true")).status()).isEqualTo(200);
        paid("o-bob-3", "bob", created(redeem("bob", code, "o-bob-3")).json().get("id").asText());
        assertThat(balance("alice")).isEqualTo(500);
        assertThat(converted()).hasSize(1);
    }

    @Test
    void aRolledBackReferralRedemptionConvertsNothing() {
        stars();
        created(api().post("/v1/campaigns", referral(FIVE_HUNDRED_STARS)));
        String redemption = created(redeem("bob", codeOf("alice"), "o-bob-1")).json().get("id").asText();
        assertThat(api().post("/v1/redemptions/" + redemption + "/rollback", Map.of()).status()).isEqualTo(200);
        paid("o-bob-1", "bob", redemption);
        assertThat(balance("alice")).isZero();
    }

    @Test
    void aCodeRewardIsPublishedToTheReferrer() {
        io.tessera.testing.Fixtures.recordEvents(server, key, "referral.converted");
        created(api().post("/v1/campaigns", Map.of("name", "thanks-10", "type", "CODES",
                "codes", Map.of("mode", "UNIQUE", "pattern", "TY-######", "count", 5),
                "discount", Map.of("type", "AMOUNT", "amount", 1000))));
        created(api().post("/v1/campaigns", referral(Map.of("campaign", "thanks-10"))));
        String code = codeOf("alice");
        paid("o-bob-1", "bob", created(redeem("bob", code, "o-bob-1")).json().get("id").asText());
        paid("o-carol-1", "carol", created(redeem("carol", code, "o-carol-1")).json().get("id").asText());
        JsonNode published = api().get("/v1/campaigns/thanks-10/codes?status=published").json().get("data");
        assertThat(published).as("one code per referee").hasSize(2);
        for (JsonNode c : published) {
            assertThat(api().get("/v1/codes/" + c.get("code").asText()).json().get("customer").asText())
                    .isEqualTo("alice");
        }
        JsonNode event = Json.parse(converted().getFirst());
        assertThat(event.at("/reward/campaign").asText()).isEqualTo("thanks-10");
        assertThat(event.at("/reward/code").asText()).startsWith("TY-");
    }

    @Test
    void aBadReferralDefinitionIsRefusedNamingEachField() {
        stars();
        created(api().post("/v1/campaigns", Map.of("name", "universal", "type", "CODES",
                "codes", Map.of("mode", "UNIVERSAL", "code", "HELLO"), "discount", Map.of("type", "AMOUNT", "amount", 100))));
        assertThat(fields(referral(Map.of("points", 0, "program", "stars")))).contains("referral.referrerReward.points");
        assertThat(fields(referral(Map.of("points", 500, "program", "nope"))))
                .contains("referral.referrerReward.program");
        assertThat(fields(referral(Map.of("points", 500, "program", "universal"))))
                .as("the program must be a LOYALTY campaign").contains("referral.referrerReward.program");
        assertThat(fields(referral(Map.of("campaign", "universal"))))
                .as("the campaign needs UNIQUE codes").contains("referral.referrerReward.campaign");
        assertThat(fields(referral(Map.of("campaign", "stars")))).contains("referral.referrerReward.campaign");
        Map<String, Object> badConversion = referral(FIVE_HUNDRED_STARS);
        badConversion.put("referral", Map.of("referrerReward", FIVE_HUNDRED_STARS, "conversion", "signup"));
        assertThat(fields(badConversion)).contains("referral.conversion");
        Map<String, Object> noSection = referral(FIVE_HUNDRED_STARS);
        noSection.remove("referral");
        assertThat(fields(noSection)).contains("referral");
        Map<String, Object> universalCodes = referral(FIVE_HUNDRED_STARS);
        universalCodes.put("codes", Map.of("mode", "UNIVERSAL", "code", "FRIEND"));
        assertThat(fields(universalCodes)).contains("codes.mode");
        assertThat(api().get("/v1/campaigns/friends").status()).isEqualTo(404);
    }

    @Test
    void aReferralCampaignShowsItsReferralSection() {
        stars();
        JsonNode c = created(api().post("/v1/campaigns", referral(FIVE_HUNDRED_STARS))).json();
        assertThat(c.get("type").asText()).isEqualTo("REFERRAL");
        assertThat(c.at("/referral/referrerReward/points").asLong()).isEqualTo(500);
        assertThat(c.at("/referral/referrerReward/program").asText()).isEqualTo("stars");
        assertThat(c.at("/referral/conversion").asText()).isEqualTo("order_paid");
        assertThat(c.at("/limits/perCode").isNull()).isTrue();
    }

    private List<String> fields(Map<String, Object> campaign) {
        Response r = api().post("/v1/campaigns", campaign);
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        return r.json().get("errors").findValuesAsText("field");
    }
}
