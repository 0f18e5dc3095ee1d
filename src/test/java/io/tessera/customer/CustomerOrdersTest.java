package io.tessera.customer;

import static io.tessera.testing.Bodies.item;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A customer's paid orders feed their statistics; a refund takes the order out again. */
class CustomerOrdersTest extends ServerPerDatabase {

    @BeforeEach
    void storedCustomer() {
        api().put("/v1/customers/c-1", Map.of("attributes", Map.of("country", "DE")));
    }

    private Response order(String status) {
        return api().post("/v1/orders", Map.of("id", "o-1", "customer", "c-1", "status", status, "currency", "USD",
                "items", List.of(item("A", 6000, 1))));
    }

    private JsonNode customer() {
        return api().get("/v1/customers/c-1").json();
    }

    @Test
    void aStoredCustomerWithoutOrdersIsNew() {
        assertThat(customer().get("isNew").asBoolean()).isTrue();
    }

    @Test
    void aPaidOrderCountsInTheCustomersOrders() {
        assertThat(order("PAID").status()).isEqualTo(201);
        assertThat(customer().at("/orders/count").asLong()).isEqualTo(1);
    }

    @Test
    void aCustomerWithAPaidOrderIsNoLongerNew() {
        order("PAID");
        assertThat(customer().get("isNew").asBoolean()).isFalse();
    }

    @Test
    void aRefundedOrderLeavesTheCustomersOrders() {
        order("PAID");
        assertThat(order("REFUNDED").status()).isEqualTo(200);
        assertThat(customer().at("/orders/count").asLong()).isZero();
    }
}
