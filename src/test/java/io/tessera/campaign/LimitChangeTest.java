package io.tessera.campaign;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A limit changed or added after redemptions counts what already stands. */
class LimitChangeTest extends ServerPerDatabase {

    private Response redeem(String customer, String code) {
        return api().post("/v1/redemptions", checkout(customer, List.of(code), 1000));
    }

    /** How many of {@code n} new customers get a redemption of {@code code}. */
    private long redeemedByNewCustomers(int n, String code) {
        return IntStream.range(0, n).filter(i -> redeem("new-" + code + "-" + i + "-" + System.nanoTime(), code).status() == 201)
                .count();
    }

    private Response changeLimits(String campaign, Map<String, Object> limits) {
        return api().patch("/v1/campaigns/" + campaign, Map.of("limits", limits));
    }

    /** Six redemptions of 100 stand, then the limits drop to 8 redemptions and a budget of 650. */
    private void sixRedeemedThenLowered() {
        api().post("/v1/campaigns", universal("lim", "LIM", amount(100), Map.of("redemptions", 20, "budget", Map.of("discount", 5000))));
        assertThat(redeemedByNewCustomers(6, "LIM")).isEqualTo(6);
        assertThat(changeLimits("lim", Map.of("redemptions", 8, "budget", Map.of("discount", 650))).status()).isEqualTo(200);
    }

    /** Three redemptions by c-0, c-1, c-2 without limits; then 4 in all, 1 per customer and a budget of 1000. */
    private List<String> threeRedeemedThenLimited() {
        api().post("/v1/campaigns", universal("late", "LATE", amount(100), Map.of()));
        List<String> ids = IntStream.range(0, 3).mapToObj(i -> redeem("c-" + i, "LATE").json().get("id").asText()).toList();
        assertThat(changeLimits("late", Map.of("redemptions", 4, "perCustomer", 1, "budget", Map.of("discount", 1000)))
                .status()).isEqualTo(200);
        return ids;
    }

    @Test
    void aLoweredBudgetCountsTheDiscountAlreadyGiven() {
        sixRedeemedThenLowered();
        // 6 x 100 given: 650 has no room for another 100.
        assertThat(redeemedByNewCustomers(10, "LIM")).isZero();
    }

    @Test
    void aLoweredRedemptionLimitCountsTheRedemptionsAlreadyMade() {
        sixRedeemedThenLowered();
        changeLimits("lim", Map.of("budget", Map.of("discount", 100_000)));
        assertThat(redeemedByNewCustomers(10, "LIM")).isEqualTo(2);
        assertThat(api().get("/v1/campaigns/lim/stats").json().get("redemptions").asLong()).isEqualTo(8);
    }

    @Test
    void aPerCustomerLimitAddedLaterCountsEarlierRedemptions() {
        threeRedeemedThenLimited();
        assertThat(redeem("c-0", "LATE").json().at("/rejected/0/reason").asText()).isEqualTo("customer_limit");
    }

    @Test
    void aRedemptionLimitAddedLaterCountsEarlierRedemptions() {
        threeRedeemedThenLimited();
        assertThat(redeem("c-9", "LATE").status()).isEqualTo(201);
        assertThat(redeem("c-10", "LATE").json().at("/rejected/0/reason").asText()).isEqualTo("redemption_limit");
    }

    @Test
    void aBudgetAddedLaterCountsEarlierDiscounts() {
        threeRedeemedThenLimited();
        redeem("c-9", "LATE");
        assertThat(api().get("/v1/campaigns/late/stats").json().get("budgetLeft").asLong()).isEqualTo(600);
    }

    @Test
    void rollingBackARedemptionMadeBeforeTheLimitGivesItsShareBack() {
        List<String> ids = threeRedeemedThenLimited();
        redeem("c-9", "LATE");
        assertThat(api().post("/v1/redemptions/" + ids.getFirst() + "/rollback", Map.of()).status()).isEqualTo(200);
        assertThat(redeem("c-0", "LATE").status()).isEqualTo(201);
    }
}
