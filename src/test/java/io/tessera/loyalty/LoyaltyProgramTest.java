package io.tessera.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LOYALTY campaigns: the loyalty section is validated at save time, every bad field named. */
class LoyaltyProgramTest extends ServerPerDatabase {

    private Response create(Map<String, Object> program) {
        return api().post("/v1/campaigns", program);
    }

    private static List<String> fields(Response r) {
        return r.json().get("errors").findValuesAsText("field");
    }

    @Test
    void aLoyaltyCampaignIsShownWithItsSectionAndDefaults() {
        Response r = create(LoyaltyFixtures.stars(Map.of("tiers", List.of(Map.of("name", "Bronze", "min", 0)))));
        assertThat(r.status()).isEqualTo(201);
        JsonNode l = r.json().get("loyalty");
        assertThat(l.at("/earning/0/pendingDays").asInt()).isZero();
        assertThat(l.at("/tiers/0/multiplier").asInt()).isEqualTo(1);
        assertThat(l.get("tierBasis").asText()).isEqualTo("EARNED_LIFETIME");
        assertThat(l.get("expiry").isNull()).isTrue();
        assertThat(r.json().get("discount").isNull()).isTrue();
    }

    @Test
    void aLoyaltyCampaignWithCodesOrADiscountIsRefusedNamingThem() {
        Map<String, Object> body = new java.util.HashMap<>(LoyaltyFixtures.stars(Map.of()));
        body.put("codes", Map.of("mode", "UNIVERSAL", "code", "X"));
        body.put("discount", Map.of("type", "AMOUNT", "amount", 100));
        Response r = create(body);
        assertThat(r.status()).isEqualTo(422);
        assertThat(fields(r)).contains("codes", "discount");
    }

    @Test
    void pointsThatReadAnUnknownOrderFieldAreRefusedNamingTheRule() {
        Response r = create(Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of("earning",
                List.of(Map.of("name", "buy", "on", "order_paid", "points", "order.totl / 100")))));
        assertThat(r.status()).isEqualTo(422);
        assertThat(fields(r)).containsExactly("loyalty.earning[0].points");
    }

    @Test
    void anEventTypeThatNoEventCouldCarryIsRefused() {
        Response r = create(Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of("earning",
                List.of(Map.of("name", "review", "on", "event:ProductReviewed", "points", "50")))));
        assertThat(r.status()).isEqualTo(422);
        assertThat(fields(r)).containsExactly("loyalty.earning[0].on");
    }

    @Test
    void anEventRuleCannotReadTheOrder() {
        Response r = create(Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of("earning",
                List.of(Map.of("name", "review", "on", "event:product_reviewed", "points", "order.total")))));
        assertThat(r.status()).isEqualTo(422);
        assertThat(fields(r)).containsExactly("loyalty.earning[0].points");
    }

    @Test
    void badTriggersTiersAndExpiryAreEachNamed() {
        Response r = create(Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of(
                "earning", List.of(Map.of("name", "buy", "on", "order_shipped", "points", "1")),
                "tiers", List.of(Map.of("name", "Silver", "min", 1000), Map.of("name", "Bronze", "min", 0,
                        "multiplier", 0)),
                "tierBasis", "EARNED_FOREVER",
                "expiry", Map.of("afterDays", 0))));
        assertThat(r.status()).isEqualTo(422);
        assertThat(fields(r)).containsExactlyInAnyOrder("loyalty.earning[0].on", "loyalty.tiers[1].min",
                "loyalty.tiers[1].multiplier", "loyalty.tierBasis", "loyalty.expiry.afterDays");
    }

    @Test
    void anUnknownProgramIsNotFound() {
        assertThat(api().get("/v1/loyalty/nope/members/c-1").status()).isEqualTo(404);
    }
}
