package io.tessera.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An instant reads the same in every answer: the redemption's answer writes its instant from memory, a later read
 * writes it from the database, which keeps microseconds.
 */
class TimestampPrecisionTest extends ServerPerDatabase {

    @BeforeEach
    void automaticPromotion() {
        Response r = server.post("/v1/campaigns", key, Map.of("name", "auto", "type", "AUTO",
                "discount", Map.of("type", "AMOUNT", "amount", 100)));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    /** The redemption's createdAt as answered, and as read back. */
    private List<String> redeemAt(String now) {
        Response r = server.client(key).at(now).post("/v1/redemptions", Map.of("customer", "c-1",
                "order", Map.of("currency", "USD", "items", List.of(Map.of("sku", "A", "price", 1000, "quantity", 1)))));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode read = server.get("/v1/redemptions/" + r.json().get("id").asText(), key).json();
        return List.of(r.json().get("createdAt").asText(), read.get("createdAt").asText());
    }

    @Test
    void anInstantWithNanosecondsIsAnsweredAsTheDatabaseKeepsIt() {
        assertThat(redeemAt("2026-11-27T10:00:00.123456789Z"))
                .containsExactly("2026-11-27T10:00:00.123457Z", "2026-11-27T10:00:00.123457Z");
    }

    @Test
    void roundingDownAndIntoTheNextSecondMatchesTheDatabase() {
        assertThat(redeemAt("2026-11-27T10:00:00.123456499Z"))
                .containsExactly("2026-11-27T10:00:00.123456Z", "2026-11-27T10:00:00.123456Z");
        assertThat(redeemAt("2026-11-27T10:00:00.9999996Z"))
                .containsExactly("2026-11-27T10:00:01Z", "2026-11-27T10:00:01Z");
    }

    @Test
    void anInstantGivenByTheCallerComesBackExactlyAsSent() {
        Response r = server.client(key).at("2026-11-27T10:00:00Z").post("/v1/campaigns", Map.of("name", "given",
                "type", "AUTO", "startsAt", "2026-11-30T23:59:59Z", "discount", Map.of("type", "AMOUNT", "amount", 100)));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("startsAt").asText()).isEqualTo("2026-11-30T23:59:59Z");
        assertThat(r.json().get("createdAt").asText()).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(server.get("/v1/campaigns/given", key).json().get("startsAt").asText()).isEqualTo("2026-11-30T23:59:59Z");
        assertThat(redeemAt("2026-11-27T10:00:00.5Z")).containsExactly("2026-11-27T10:00:00.500Z", "2026-11-27T10:00:00.500Z");
    }
}
