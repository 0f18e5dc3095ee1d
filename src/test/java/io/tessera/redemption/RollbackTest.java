package io.tessera.redemption;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A rollback undoes a redemption and gives back everything it took. */
class RollbackTest extends ServerPerDatabase {
    private String id;

    /** c-1 redeems AAA (one redemption in all) and BBB (one per customer) together. */
    @BeforeEach
    void redeemTwoLimitedCodes() {
        api().post("/v1/campaigns", universal("a", "AAA", amount(100), Map.of("redemptions", 1)));
        api().post("/v1/campaigns", universal("b", "BBB", Map.of("type", "PERCENT", "percent", 10), Map.of("perCustomer", 1)));
        id = redeem("c-1", "AAA", "BBB").json().get("id").asText();
    }

    private Response redeem(String customer, String... codes) {
        return api().post("/v1/redemptions", checkout(customer, List.of(codes), 1000));
    }

    private Response rollback(String redemption) {
        return api().post("/v1/redemptions/" + redemption + "/rollback", Map.of("reason", "order cancelled"));
    }

    @Test
    void aRolledBackRedemptionIsMarkedRolledBack() {
        Response r = rollback(id);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("ROLLED_BACK");
        assertThat(api().get("/v1/redemptions/" + id).json().get("status").asText()).isEqualTo("ROLLED_BACK");
    }

    @Test
    void aRolledBackRedemptionGivesItsCountBack() {
        rollback(id);
        assertThat(redeem("c-2", "AAA").status()).isEqualTo(201);
    }

    @Test
    void aRolledBackRedemptionGivesItsPerCustomerCountBack() {
        rollback(id);
        assertThat(redeem("c-1", "BBB").status()).isEqualTo(201);
    }

    @Test
    void aSecondRollbackIsRefused() {
        rollback(id);
        Response again = rollback(id);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("code").asText()).isEqualTo("already_rolled_back");
    }

    @Test
    void rollingBackAnUnknownRedemptionIsNotFound() {
        assertThat(rollback("red_nope").status()).isEqualTo(404);
    }

    @Test
    void campaignStatsCountOnlyStandingRedemptionsAndTheRollbacksApart() {
        rollback(id);
        redeem("c-2", "BBB");
        redeem("c-1", "AAA", "BBB");
        JsonNode stats = api().get("/v1/campaigns/b/stats").json();
        assertThat(stats.get("redemptions").asLong()).isEqualTo(2);
        assertThat(stats.get("rolledBack").asLong()).isEqualTo(1);
        assertThat(stats.at("/byDay/0/redemptions").asLong()).isEqualTo(2);
    }
}
