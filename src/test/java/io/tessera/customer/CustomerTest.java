package io.tessera.customer;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.order;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.ServerPerDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stored customers: attributes and consents merged by {@code PUT}, and what a validation does with them. */
class CustomerTest extends ServerPerDatabase {

    private JsonNode customer(String id) {
        return api().get("/v1/customers/" + id).json();
    }

    private void anaFromGermany() {
        api().put("/v1/customers/c-1", Map.of("attributes", Map.of("country", "DE", "firstName", "Ana")));
    }

    @Test
    void aValidationAppliesTheAttributesItIsSent() {
        api().post("/v1/campaigns", Map.of("name", "welcome", "type", "AUTO",
                "condition", "customer.isNew && customer.attributes.country == 'DE'", "discount", amount(300)));
        JsonNode v = api().post("/v1/validations", Map.of("customer",
                Map.of("id", "c-1", "attributes", Map.of("country", "DE", "firstName", "Ana")), "order", order(2000))).json();
        assertThat(v.get("applied").findValuesAsText("campaign")).containsExactly("welcome");
    }

    @Test
    void aValidationCreatesNoCustomer() {
        api().post("/v1/validations", Map.of("customer", Map.of("id", "c-1", "attributes", Map.of("country", "DE")),
                "order", order(2000)));
        assertThat(api().get("/v1/customers/c-1").status()).isEqualTo(404);
    }

    @Test
    void aPutKeepsTheAttributesItDoesNotName() {
        anaFromGermany();
        api().put("/v1/customers/c-1", Map.of("attributes", Map.of("firstName", "Anna")));
        assertThat(customer("c-1").at("/attributes/country").asText()).isEqualTo("DE");
    }

    @Test
    void aPutChangesTheAttributesItNames() {
        anaFromGermany();
        api().put("/v1/customers/c-1", Map.of("attributes", Map.of("firstName", "Anna")));
        assertThat(customer("c-1").at("/attributes/firstName").asText()).isEqualTo("Anna");
    }

    @Test
    void aPutStoresConsents() {
        anaFromGermany();
        api().put("/v1/customers/c-1", Map.of("consents", Map.of("email", true)));
        assertThat(customer("c-1").at("/consents/email").asBoolean()).isTrue();
    }
}
