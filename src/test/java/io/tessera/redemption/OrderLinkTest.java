package io.tessera.redemption;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.item;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An order names the redemption it paid with and carries its discount. */
class OrderLinkTest extends ServerPerDatabase {
    private String redemption;

    @BeforeEach
    void redemptionOf190() {
        api().post("/v1/campaigns", universal("a", "AAA", amount(100), Map.of()));
        api().post("/v1/campaigns", universal("b", "BBB", Map.of("type", "PERCENT", "percent", 10), Map.of()));
        redemption = api().post("/v1/redemptions", checkout("c-1", List.of("AAA", "BBB"), 1000)).json().get("id").asText();
    }

    private Response paidOrder(String id, String redemptionId) {
        return api().post("/v1/orders", Map.of("id", id, "customer", "c-1", "status", "PAID", "currency", "USD",
                "items", List.of(item("A", 1000, 1)), "shipping", 300, "redemption", redemptionId));
    }

    @Test
    void anOrderLinkedToARedemptionCarriesItsDiscount() {
        Response o = paidOrder("o-1", redemption);
        assertThat(o.status()).isEqualTo(201);
        assertThat(o.json().get("discount").asLong()).isEqualTo(190);
        assertThat(o.json().get("total").asLong()).isEqualTo(1000 + 300 - 190);
    }

    @Test
    void aRedemptionLinkedToAnOrderStaysRedeemed() {
        paidOrder("o-1", redemption);
        assertThat(api().get("/v1/redemptions/" + redemption).json().get("status").asText()).isEqualTo("REDEEMED");
    }

    @Test
    void anOrderNamingAnUnknownRedemptionIsRefused() {
        Response o = paidOrder("o-2", "red_unknown");
        assertThat(o.status()).isEqualTo(422);
        assertThat(o.json().get("errors").findValuesAsText("field")).containsExactly("redemption");
    }
}
