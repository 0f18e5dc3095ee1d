package io.tessera.customer;

import static io.tessera.testing.Bodies.item;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The export shows what is held about a customer; erasure drops the personal data. */
class ErasureTest extends ServerPerDatabase {

    @BeforeEach
    void customerWithAnOrder() {
        api().put("/v1/customers/c-1", Map.of("attributes", Map.of("country", "DE", "firstName", "Ana")));
        api().post("/v1/orders", Map.of("id", "o-1", "customer", "c-1", "status", "PAID", "currency", "USD",
                "items", List.of(item("A", 6000, 1))));
    }

    @Test
    void theExportListsTheCustomersOrders() {
        JsonNode export = api().get("/v1/customers/c-1/export").json();
        assertThat(export.get("orders").findValuesAsText("id")).containsExactly("o-1");
    }

    @Test
    void erasingACustomerDropsTheirAttributes() {
        assertThat(api().delete("/v1/customers/c-1").status()).isEqualTo(200);
        JsonNode c = api().get("/v1/customers/c-1").json();
        assertThat(c.get("attributes").isEmpty()).isTrue();
        assertThat(c.get("erasedAt").isTextual()).isTrue();
    }
}
