package io.tessera.http;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Unknown query parameters are refused like unknown body fields: a typo must not silently widen or change a call. */
class QueryParametersTest extends ServerPerDatabase {

    private static void assertRefused(Response r, String parameter) {
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().at("/errors/0/field").asText()).isEqualTo(parameter);
    }

    @Test
    void aListingRefusesAParameterItDoesNotKnow() {
        assertRefused(server.get("/v1/redemptions?custmer=c-1", key), "custmer");
    }

    @Test
    void aListingTakesTheParametersItKnows() {
        assertThat(server.get("/v1/redemptions?customer=c-1&order=o-1&limit=5", key).status()).isEqualTo(200);
    }

    @Test
    void readingOneResourceRefusesAnyParameter() {
        server.post("/v1/campaigns", key, universal("promo", "QP1", amount(100), Map.of()));
        assertRefused(server.get("/v1/campaigns/promo?expand=codes", key), "expand");
    }

    @Test
    void aWriteWithAParameterIsRefusedAndChangesNothing() {
        assertRefused(server.post("/v1/campaigns?dryRun=true", key, universal("promo", "QP2", amount(100), Map.of())),
                "dryRun");
        assertThat(server.get("/v1/campaigns/promo", key).status()).isEqualTo(404);
    }
}
