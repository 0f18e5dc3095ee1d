package io.tessera.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Keys;
import io.tessera.testing.ServerPerDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** API key secrets are shown once, stored hashed, and a deleted key no longer opens anything. */
class ApiKeyTest extends ServerPerDatabase {
    private String id;
    private String secret;

    @BeforeEach
    void readKey() {
        JsonNode created = api().post("/v1/api-keys", Map.of("name", "temp", "scopes", List.of("read"))).json();
        id = created.get("id").asText();
        secret = created.get("key").asText();
    }

    /** Every text value anywhere in the tree. */
    private static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isValueNode()) out.add(node.asText());
        node.forEach(child -> out.addAll(texts(child)));
        return out;
    }

    @Test
    void aKeyIsStoredAsItsHash() {
        String stored = server.app().database().dsl().fetch("select key_hash from api_keys where id = ?", id)
                .getFirst().get(0, String.class);
        assertThat(stored).isEqualTo(Keys.hash(secret)).isNotEqualTo(secret);
    }

    @Test
    void theKeyListShowsTheKeyWithoutItsSecret() {
        JsonNode data = api().get("/v1/api-keys").json().get("data");
        assertThat(data.findValuesAsText("id")).contains(id);
        assertThat(data.findValues("key")).isEmpty();
        assertThat(texts(data)).doesNotContain(secret);
    }

    @Test
    void aDeletedKeyIsUnauthorized() {
        assertThat(api().delete("/v1/api-keys/" + id).status()).isEqualTo(204);
        assertThat(server.client(secret).get("/v1/campaigns").status()).isEqualTo(401);
    }
}
