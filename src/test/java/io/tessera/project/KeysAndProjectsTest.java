package io.tessera.project;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.core.Keys;
import io.tessera.testing.Backend;
import io.tessera.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeysAndProjectsTest {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void keysAreScopedAndProjectsIsolated(Backend backend) {
        try (TestServer server = TestServer.on(backend)) {
            var admin = server.newProjectClient();
            assertThat(admin.post("/v1/campaigns", universal("mine", "MINE", amount(100), Map.of())).status()).isEqualTo(201);

            assertThat(server.client(null).get("/v1/campaigns/mine").status()).isEqualTo(401);
            assertThat(server.client("nope").get("/v1/campaigns/mine").status()).isEqualTo(401);
            // The root key manages projects only.
            assertThat(server.client(TestServer.ROOT_KEY).get("/v1/campaigns/mine").status()).isEqualTo(403);
            // A project key cannot create projects.
            assertThat(admin.post("/v1/projects", Map.of("name", "x-" + System.nanoTime())).status()).isEqualTo(403);

            var created = admin.post("/v1/api-keys", Map.of("name", "storefront", "scopes", List.of("validate")));
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().get("scopes").toString()).isEqualTo("[\"validate\"]");
            var storefront = server.client(created.json().get("key").asText());
            assertThat(storefront.post("/v1/validations", checkout("c-1", List.of("MINE"), 1000)).json().get("valid").asBoolean()).isTrue();
            var denied = storefront.post("/v1/redemptions", checkout("c-1", List.of("MINE"), 1000));
            assertThat(denied.status()).isEqualTo(403);
            assertThat(denied.header("content-type")).contains("application/problem+json");
            assertThat(storefront.get("/v1/campaigns").status()).isEqualTo(403);

            var reader = server.client(admin.post("/v1/api-keys", Map.of("name", "bi", "scopes", List.of("read"))).json().get("key").asText());
            assertThat(reader.get("/v1/campaigns/mine").status()).isEqualTo(200);
            assertThat(reader.post("/v1/campaigns", universal("x", "X", amount(1), Map.of())).status()).isEqualTo(403);

            // Another project sees nothing of this one, not even by name; a code of this project is unknown there.
            var other = server.newProjectClient();
            assertThat(other.get("/v1/campaigns/mine").status()).isEqualTo(404);
            assertThat(other.get("/v1/campaigns").json().get("data").size()).isZero();
            var v = other.post("/v1/validations", checkout("c-1", List.of("MINE"), 1000)).json();
            assertThat(v.get("rejected").get(0).get("reason").asText()).isEqualTo("code_not_found");
            // The same campaign name and code are free in the other project.
            assertThat(other.post("/v1/campaigns", universal("mine", "MINE", amount(100), Map.of())).status()).isEqualTo(201);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void keysAreStoredHashedAndCanBeDeleted(Backend backend) {
        try (TestServer server = TestServer.on(backend)) {
            var admin = server.newProjectClient();
            var created = admin.post("/v1/api-keys", Map.of("name", "temp", "scopes", List.of("read"))).json();
            String secret = created.get("key").asText();
            var stored = server.app().database().dsl().fetch("select key_hash from api_keys where id = ?",
                    created.get("id").asText()).getFirst().get(0, String.class);
            assertThat(stored).isEqualTo(Keys.hash(secret)).isNotEqualTo(secret);
            assertThat(admin.get("/v1/api-keys").json().get("data").toString()).doesNotContain(secret);
            assertThat(admin.delete("/v1/api-keys/" + created.get("id").asText()).status()).isEqualTo(204);
            assertThat(server.client(secret).get("/v1/campaigns").status()).isEqualTo(401);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void projectInputIsChecked(Backend backend) {
        try (TestServer server = TestServer.on(backend)) {
            var root = server.client(TestServer.ROOT_KEY);
            var r = root.post("/v1/projects", Map.of("name", "bad name!", "currency", "XYZ", "timezone", "Mars/Base"));
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.json().get("errors").findValuesAsText("field")).containsExactly("name", "currency", "timezone");
            String name = "dup-" + System.nanoTime();
            assertThat(root.post("/v1/projects", Map.of("name", name)).status()).isEqualTo(201);
            assertThat(root.post("/v1/projects", Map.of("name", name)).status()).isEqualTo(409);
        }
    }
}
