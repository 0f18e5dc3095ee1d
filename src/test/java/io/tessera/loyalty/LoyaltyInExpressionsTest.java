package io.tessera.loyalty;

import static io.tessera.loyalty.LoyaltyFixtures.adjust;
import static io.tessera.loyalty.LoyaltyFixtures.create;
import static io.tessera.testing.Bodies.order;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code customer.loyalty} in campaign conditions and segments: each program's balance and tier at the request. */
class LoyaltyInExpressionsTest extends ServerPerDatabase {

    @BeforeEach
    void starsWithTiers() {
        create(api(), LoyaltyFixtures.stars(Map.of("tiers", List.of(Map.of("name", "Bronze", "min", 0),
                Map.of("name", "Silver", "min", 1000)))));
        adjust(api(), "c-silver", 1500);
        adjust(api(), "c-bronze", 10);
        assertThat(api().post("/v1/campaigns", Map.of("name", "silver10", "type", "AUTO",
                "condition", "customer.loyalty.stars.tier == 'Silver'",
                "discount", Map.of("type", "PERCENT", "percent", 10))).status()).isEqualTo(201);
    }

    private List<String> applied(String customer) {
        JsonNode v = api().post("/v1/validations", Map.of("customer", customer, "order", order(2000))).json();
        return v.get("applied").findValuesAsText("campaign");
    }

    @Test
    void aCampaignOnTheSilverTierAppliesToASilverMember() {
        assertThat(applied("c-silver")).containsExactly("silver10");
    }

    @Test
    void aCampaignOnTheSilverTierDoesNotApplyToABronzeMemberNorToANonMember() {
        assertThat(applied("c-bronze")).isEmpty();
        assertThat(applied("c-stranger")).isEmpty();
    }

    @Test
    void aSpendLowersTheBalanceTheExpressionSeesButNotTheTier() {
        api().post("/v1/segments", Map.of("name", "rich", "condition", "customer.loyalty.stars.balance >= 1000"));
        api().put("/v1/customers/c-silver", Map.of("attributes", Map.of()));
        adjust(api(), "c-silver", -1500);
        // A spend does not lower "earned": still Silver, but no longer "rich".
        assertThat(applied("c-silver")).containsExactly("silver10");
        assertThat(api().get("/v1/customers/c-silver").json().get("segments").valueStream().map(JsonNode::asText))
                .isEmpty();
        assertThat(api().get("/v1/loyalty/stars/members/c-silver").json().get("balance").asLong()).isZero();
    }

    @Test
    void aDynamicSegmentSeesTheBalance() {
        api().post("/v1/segments", Map.of("name", "rich", "condition",
                "'stars' in customer.loyalty && customer.loyalty.stars.balance >= 1000"));
        api().put("/v1/customers/c-silver", Map.of("attributes", Map.of()));
        api().put("/v1/customers/c-bronze", Map.of("attributes", Map.of()));
        assertThat(api().get("/v1/customers/c-silver").json().get("segments").valueStream().map(JsonNode::asText))
                .containsExactly("rich");
        assertThat(api().get("/v1/customers/c-bronze").json().get("segments").valueStream().map(JsonNode::asText))
                .isEmpty();
    }

    @Test
    void anEarningRuleSeesTheTierBeforeTheOrderEarns() {
        create(api(), Map.of("name", "moons", "type", "LOYALTY", "loyalty", Map.of("earning", List.of(
                Map.of("name", "silverBonus", "on", "order_paid", "points", "100",
                        "condition", "'stars' in customer.loyalty && customer.loyalty.stars.tier == 'Silver'")))));
        LoyaltyFixtures.order(api(), "o-1", "c-silver", "PAID", 1000);
        LoyaltyFixtures.order(api(), "o-2", "c-bronze", "PAID", 1000);
        assertThat(api().get("/v1/loyalty/moons/members/c-silver").json().get("balance").asLong()).isEqualTo(100);
        assertThat(api().get("/v1/loyalty/moons/members/c-bronze").json().get("balance").asLong()).isZero();
    }
}
