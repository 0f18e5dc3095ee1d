package io.tessera.redemption;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A redemption takes every code it lists or none, and automatic promotions that apply. */
class RedemptionTest extends ServerPerDatabase {

    private Response redeem(String customer, String... codes) {
        return api().post("/v1/redemptions", checkout(customer, List.of(codes), 1000));
    }

    private void twoCodes() {
        api().post("/v1/campaigns", universal("a", "AAA", amount(100), Map.of("redemptions", 1)));
        api().post("/v1/campaigns", universal("b", "BBB", Map.of("type", "PERCENT", "percent", 10), Map.of("perCustomer", 1)));
    }

    private void autoPromotionUsedUp() {
        api().post("/v1/campaigns", Map.of("name", "first-two", "type", "AUTO", "discount", amount(50),
                "limits", Map.of("redemptions", 2)));
        for (int i = 0; i < 2; i++) {
            assertThat(redeem("d-" + i).json().get("applied").findValuesAsText("campaign")).containsExactly("first-two");
        }
    }

    private long redemptionsOf(String campaign) {
        return api().get("/v1/campaigns/" + campaign + "/stats").json().get("redemptions").asLong();
    }

    @Test
    void oneRedemptionHoldsEveryCodeThatApplies() {
        twoCodes();
        Response r = redeem("c-1", "AAA", "BBB");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("applied").findValuesAsText("code")).containsExactly("AAA", "BBB");
        assertThat(r.json().at("/order/discount").asLong()).isEqualTo(190);
    }

    @Test
    void oneRefusedCodeRefusesTheWholeRedemption() {
        twoCodes();
        redeem("c-1", "AAA");
        Response r = redeem("c-2", "BBB", "AAA");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("code").asText()).isEqualTo("redemption_rejected");
        assertThat(r.json().get("rejected").findValuesAsText("code")).containsExactly("AAA");
        assertThat(r.json().at("/rejected/0/reason").asText()).isEqualTo("redemption_limit");
    }

    @Test
    void aRefusedRedemptionConsumesNothingOfItsOtherCodes() {
        twoCodes();
        redeem("c-1", "AAA");
        redeem("c-2", "BBB", "AAA");
        // BBB allows one redemption per customer: c-2 still has it.
        assertThat(redeem("c-2", "BBB").status()).isEqualTo(201);
        assertThat(redemptionsOf("b")).isEqualTo(1);
    }

    @Test
    void aRedemptionWithoutACustomerIsAnonymous() {
        api().post("/v1/campaigns", universal("one", "ONE", amount(100), Map.of()));
        Response r = redeem(null, "ONE");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("customer").isNull()).isTrue();
    }

    @Test
    void aRedemptionThatAppliesNothingIsRefused() {
        api().post("/v1/campaigns", universal("one", "ONE", amount(100), Map.of()));
        Response r = api().post("/v1/redemptions", checkout("c-9", List.of(), 500));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("code").asText()).isEqualTo("nothing_to_redeem");
    }

    @Test
    void anAutomaticPromotionStopsApplyingAtItsLimit() {
        autoPromotionUsedUp();
        assertThat(redeem("d-4").json().get("code").asText()).isEqualTo("nothing_to_redeem");
        assertThat(redemptionsOf("first-two")).isEqualTo(2);
    }

    @Test
    void aUsedUpAutomaticPromotionIsLeftOutOfARedemptionWithACode() {
        autoPromotionUsedUp();
        api().post("/v1/campaigns", universal("one", "ONE", amount(100), Map.of()));
        Response r = redeem("d-3", "ONE");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("applied").findValuesAsText("campaign")).containsExactly("one");
    }

    @Test
    void aUsedUpCodeIsTheOnlyRejectionBesideAUsedUpAutomaticPromotion() {
        api().post("/v1/campaigns", universal("one", "ONE", amount(100), Map.of("redemptions", 1)));
        redeem(null, "ONE");
        autoPromotionUsedUp();
        Response r = redeem("d-3", "ONE");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("rejected").findValuesAsText("code")).containsExactly("ONE");
        assertThat(r.json().get("rejected").findValuesAsText("reason")).containsExactly("redemption_limit");
    }
}
