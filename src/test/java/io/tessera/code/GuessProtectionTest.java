package io.tessera.code;

import static io.tessera.testing.Fixtures.create;
import static io.tessera.testing.Fixtures.universalCampaign;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import io.tessera.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Guessing unknown codes through checkout is refused with 429 past the limit. Needs the real discount engine. */
class GuessProtectionTest {
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private static Map<String, Object> body(String... codes) {
        return Map.of("order", Map.of("currency", "USD", "items", List.of(Map.of("sku", "A", "product", "a",
                "categories", List.of(), "price", 1000, "quantity", 1))), "codes", List.of(codes));
    }

    @Test
    void validationsAndRedemptionsOfUnknownCodesAreThrottled() {
        server = TestServer.start("h2", c -> c.withGuessLimits(3, 100, 60));
        String key = server.newProject();
        create(server, key, universalCampaign("real", "REAL10"));
        // Known codes never count.
        for (int i = 0; i < 5; i++) assertThat(server.post("/v1/validations", key, body("REAL10")).status()).isEqualTo(200);
        assertThat(server.post("/v1/validations", key, body("GUESS-1", "REAL10")).status()).isEqualTo(200);
        assertThat(server.post("/v1/validations", key, body("GUESS-2")).status()).isEqualTo(200);
        Response redeem = server.post("/v1/redemptions", key, body("GUESS-3"));
        assertThat(redeem.status()).isEqualTo(422);
        assertThat(redeem.json().at("/rejected/0/reason").asText()).isEqualTo("code_not_found");

        Response refused = server.post("/v1/validations", key, body("REAL10"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("code").asText()).isEqualTo("too_many_failed_codes");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(server.post("/v1/redemptions", key, body("REAL10")).status()).isEqualTo(429);
        assertThat(server.app().guessGuard().refused()).isEqualTo(2);
        assertThat(server.app().guessGuard().failures()).isEqualTo(3);
    }
}
