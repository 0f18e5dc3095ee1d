package io.tessera.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An instant reads the same in every answer: as written before it was stored and as read back from the database. */
class TimestampPrecisionTest extends ServerPerDatabase {

    private JsonNode createAt(String name, String now) {
        Response r = server.client(key).at(now).post("/v1/campaigns", Map.of("name", name, "type", "AUTO",
                "startsAt", "2026-11-30T23:59:59Z", "discount", Map.of("type", "AMOUNT", "amount", 100)));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    @Test
    void anInstantWithNanosecondsIsAnsweredAsTheDatabaseKeepsIt() {
        JsonNode created = createAt("up", "2026-11-27T10:00:00.123456789Z");
        JsonNode read = server.get("/v1/campaigns/up", key).json();
        assertThat(created.get("createdAt").asText()).isEqualTo("2026-11-27T10:00:00.123457Z");
        assertThat(read.get("createdAt").asText()).isEqualTo(created.get("createdAt").asText());
        assertThat(read.get("updatedAt").asText()).isEqualTo(created.get("updatedAt").asText());
    }

    @Test
    void roundingDownAndIntoTheNextSecondMatchTheDatabase() {
        JsonNode down = createAt("down", "2026-11-27T10:00:00.123456499Z");
        assertThat(down.get("createdAt").asText()).isEqualTo("2026-11-27T10:00:00.123456Z");
        assertThat(server.get("/v1/campaigns/down", key).json().get("createdAt").asText())
                .isEqualTo(down.get("createdAt").asText());
        JsonNode carry = createAt("carry", "2026-11-27T10:00:00.9999996Z");
        assertThat(carry.get("createdAt").asText()).isEqualTo("2026-11-27T10:00:01Z");
        assertThat(server.get("/v1/campaigns/carry", key).json().get("createdAt").asText()).isEqualTo("2026-11-27T10:00:01Z");
    }

    @Test
    void anInstantGivenByTheCallerComesBackExactlyAsSent() {
        JsonNode created = createAt("given", "2026-11-27T10:00:00Z");
        assertThat(created.get("startsAt").asText()).isEqualTo("2026-11-30T23:59:59Z");
        assertThat(created.get("createdAt").asText()).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(server.get("/v1/campaigns/given", key).json().get("startsAt").asText()).isEqualTo("2026-11-30T23:59:59Z");
    }
}
