package io.tessera.project;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who may do what: no key, unknown keys, the root key, and a project key's scopes. */
class AccessTest extends ServerPerDatabase {

    @BeforeEach
    void campaignMine() {
        api().post("/v1/campaigns", universal("mine", "MINE", amount(100), Map.of()));
    }

    /** A client holding a new key of this project with these scopes. */
    private TestServer.Client keyWith(String... scopes) {
        Response r = api().post("/v1/api-keys", Map.of("name", "k-" + String.join("-", scopes), "scopes", List.of(scopes)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return server.client(r.json().get("key").asText());
    }

    @Test
    void aRequestWithoutAKeyIsUnauthorized() {
        assertThat(server.client(null).get("/v1/campaigns/mine").status()).isEqualTo(401);
    }

    @Test
    void anUnknownKeyIsUnauthorized() {
        assertThat(server.client("nope").get("/v1/campaigns/mine").status()).isEqualTo(401);
    }

    @Test
    void theRootKeyCannotReadProjectData() {
        assertThat(server.client(TestServer.ROOT_KEY).get("/v1/campaigns/mine").status()).isEqualTo(403);
    }

    @Test
    void aProjectKeyCannotCreateProjects() {
        assertThat(api().post("/v1/projects", Map.of("name", "x-" + System.nanoTime())).status()).isEqualTo(403);
    }

    @Test
    void aNewKeyHoldsExactlyTheScopesItWasGiven() {
        Response r = api().post("/v1/api-keys", Map.of("name", "storefront", "scopes", List.of("validate")));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("scopes").valueStream().map(s -> s.asText()).toList()).containsExactly("validate");
    }

    @Test
    void aValidateKeyMayValidate() {
        Response r = keyWith("validate").post("/v1/validations", checkout("c-1", List.of("MINE"), 1000));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("valid").asBoolean()).isTrue();
    }

    @Test
    void aValidateKeyMayNotRedeem() {
        Response denied = keyWith("validate").post("/v1/redemptions", checkout("c-1", List.of("MINE"), 1000));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.header("content-type")).startsWith("application/problem+json");
    }

    @Test
    void aValidateKeyMayNotReadCampaigns() {
        assertThat(keyWith("validate").get("/v1/campaigns").status()).isEqualTo(403);
    }

    @Test
    void aReadKeyMayRead() {
        Response r = keyWith("read").get("/v1/campaigns/mine");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("name").asText()).isEqualTo("mine");
    }

    @Test
    void aReadKeyMayNotWrite() {
        assertThat(keyWith("read").post("/v1/campaigns", universal("x", "X", amount(1), Map.of())).status()).isEqualTo(403);
    }
}
