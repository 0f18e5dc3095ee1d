package io.tessera.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Customer events: stored per customer, listed newest first, acted on once per id. */
class CustomerEventTest extends ServerPerDatabase {

    private Response event(String at, Map<String, Object> body) {
        return api().at(at).post("/v1/events", body);
    }

    private List<String> types(String path) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : api().get(path).json().get("data")) out.add(e.get("type").asText());
        return out;
    }

    @Test
    void anEventIsAcceptedWithItsStoredFields() {
        Response r = event("2031-01-01T10:00:00Z", Map.of("customer", "c-1", "type", "product_reviewed",
                "properties", Map.of("stars", 5)));
        assertThat(r.status()).isEqualTo(202);
        JsonNode e = r.json();
        assertThat(e.get("id").asText()).startsWith("cev_");
        assertThat(e.get("customer").asText()).isEqualTo("c-1");
        assertThat(e.get("type").asText()).isEqualTo("product_reviewed");
        assertThat(e.at("/properties/stars").asInt()).isEqualTo(5);
        assertThat(e.get("createdAt").asText()).isEqualTo("2031-01-01T10:00:00Z");
    }

    @Test
    void aCustomersEventsAreListedNewestFirstAndPaged() {
        event("2031-01-02T00:00:00Z", Map.of("customer", "c-1", "type", "b"));
        event("2031-01-01T00:00:00Z", Map.of("customer", "c-1", "type", "a")); // sent later, happened earlier
        event("2031-01-03T00:00:00Z", Map.of("customer", "c-1", "type", "c"));
        event("2031-01-04T00:00:00Z", Map.of("customer", "c-2", "type", "other"));
        assertThat(types("/v1/customers/c-1/events")).containsExactly("c", "b", "a");
        JsonNode first = api().get("/v1/customers/c-1/events?limit=2").json();
        assertThat(first.get("data")).hasSize(2);
        String cursor = first.get("nextCursor").asText();
        assertThat(types("/v1/customers/c-1/events?limit=2&cursor=" + cursor)).containsExactly("a");
    }

    @Test
    void theListingFiltersByType() {
        event("2031-01-01T00:00:00Z", Map.of("customer", "c-1", "type", "login"));
        event("2031-01-02T00:00:00Z", Map.of("customer", "c-1", "type", "product_reviewed"));
        event("2031-01-03T00:00:00Z", Map.of("customer", "c-1", "type", "login"));
        assertThat(types("/v1/customers/c-1/events?type=login")).containsExactly("login", "login");
    }

    @Test
    void eventsOfAnUnknownCustomerAreNotFound() {
        assertThat(api().get("/v1/customers/nobody/events").status()).isEqualTo(404);
    }

    @Test
    void anEventUpsertsItsCustomerMergingAttributes() {
        api().put("/v1/customers/c-1", Map.of("attributes", Map.of("plan", "pro", "city", "Oslo")));
        event("2031-01-01T00:00:00Z", Map.of("customer", Map.of("id", "c-1", "attributes", Map.of("city", "Bergen")),
                "type", "moved"));
        JsonNode c = api().get("/v1/customers/c-1").json();
        assertThat(c.at("/attributes/plan").asText()).isEqualTo("pro");
        assertThat(c.at("/attributes/city").asText()).isEqualTo("Bergen");
    }

    @Test
    void anEventIdSentAgainIsAnsweredWithTheFirstEventAndStoredOnce() {
        Response first = event("2031-01-01T00:00:00Z", Map.of("id", "e-1", "customer", "c-1", "type", "login"));
        Response again = event("2031-01-02T00:00:00Z", Map.of("id", "e-1", "customer", "c-1", "type", "logout"));
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(types("/v1/customers/c-1/events")).containsExactly("login");
    }

    @Test
    void oneEventIdSentConcurrentlyIsStoredOnce() throws Exception {
        List<Future<Response>> calls = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                calls.add(pool.submit(() -> event("2031-01-01T00:00:00Z",
                        Map.of("id", "e-1", "customer", "c-1", "type", "login"))));
            }
        }
        for (Future<Response> f : calls) {
            assertThat(f.get().status()).isEqualTo(202);
            assertThat(f.get().json().get("id").asText()).isEqualTo("e-1");
        }
        assertThat(types("/v1/customers/c-1/events")).containsExactly("login");
    }

    @Test
    void eventIdsAreUniquePerProjectOnly() {
        event("2031-01-01T00:00:00Z", Map.of("id", "e-1", "customer", "c-1", "type", "login"));
        String otherKey = server.newProject();
        assertThat(server.post("/v1/events", otherKey, Map.of("id", "e-1", "customer", "c-1", "type", "logout"))
                .json().get("type").asText()).isEqualTo("logout");
    }

    @Test
    void erasingACustomerLeavesNeitherItsIdNorItsEventPropertiesInItsEvents() throws Exception {
        String customer = "c-" + java.util.UUID.randomUUID();
        event("2031-01-01T00:00:00Z", Map.of("customer", customer, "type", "moved",
                "properties", Map.of("address", "Storgata 1")));
        assertThat(api().delete("/v1/customers/" + customer).status()).isEqualTo(200);
        try (Connection c = server.connect();
             PreparedStatement s = c.prepareStatement("select count(*) from customer_events "
                     + "where customer_id = ? or properties like ?")) {
            s.setString(1, customer);
            s.setString(2, "%Storgata%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    static Stream<Arguments> badEvents() {
        return Stream.of(
                Arguments.of("customer", Map.of("type", "login")),
                Arguments.of("customer", Map.of("customer", 42, "type", "login")),
                Arguments.of("customer", Map.of("customer", "has space", "type", "login")),
                Arguments.of("customer.id", Map.of("customer", Map.of("attributes", Map.of()), "type", "login")),
                Arguments.of("customer.attributes", Map.of("customer", Map.of("id", "c-1", "attributes", 1),
                        "type", "login")),
                Arguments.of("type", Map.of("customer", "c-1")),
                Arguments.of("type", Map.of("customer", "c-1", "type", "Product Reviewed")),
                Arguments.of("type", Map.of("customer", "c-1", "type", "x".repeat(65))),
                Arguments.of("properties", Map.of("customer", "c-1", "type", "login", "properties", List.of(1))),
                Arguments.of("id", Map.of("customer", "c-1", "type", "login", "id", "a/b")),
                Arguments.of("extra", Map.of("customer", "c-1", "type", "login", "extra", 1)));
    }

    @ParameterizedTest
    @MethodSource("badEvents")
    void aBadEventIsRefusedNamingTheFieldAndNothingIsStored(String field, Map<String, Object> body) {
        Response r = api().post("/v1/events", body);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors").findValuesAsText("field")).contains(field);
        assertThat(api().get("/v1/customers/c-1/events").status()).isEqualTo(404);
    }

    @Test
    void aValidateKeyCannotSendEvents() {
        String validate = api().post("/v1/api-keys", Map.of("name", "browser", "scopes", List.of("validate")))
                .json().get("key").asText();
        assertThat(server.post("/v1/events", validate, Map.of("customer", "c-1", "type", "login")).status())
                .isEqualTo(403);
    }
}
