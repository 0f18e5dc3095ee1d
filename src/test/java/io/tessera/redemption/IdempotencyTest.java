package io.tessera.redemption;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A redemption sent again with the same {@code Idempotency-Key} is answered, never redeemed, a second time. */
class IdempotencyTest extends ServerPerDatabase {
    private static final Map<String, Object> BODY = checkout("c-1", List.of("ONCE"), 1000);

    @BeforeEach
    void campaign() {
        api().post("/v1/campaigns", universal("once", "ONCE", amount(100), Map.of("redemptions", 3)));
    }

    private Response redeem(String key, Map<String, Object> body) {
        return server.client(key).post("/v1/redemptions", body, Map.of("Idempotency-Key", "k-1"));
    }

    /** Twelve requests with one idempotency key at once, each on a thread of its own. */
    private List<Response> twelveAtOnce() {
        try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
            var sent = IntStream.range(0, 12).mapToObj(i -> CompletableFuture.supplyAsync(() -> redeem(key, BODY), pool)).toList();
            return sent.stream().map(CompletableFuture::join).toList();
        }
    }

    @Test
    void concurrentRequestsWithOneIdempotencyKeyAllGetTheFirstAnswer() {
        List<Response> answers = twelveAtOnce();
        assertThat(answers).extracting(Response::status).containsOnly(201);
        assertThat(answers).extracting(r -> r.json().get("id").asText()).containsOnly(answers.getFirst().json().get("id").asText());
    }

    @Test
    void concurrentRequestsWithOneIdempotencyKeyRedeemOnce() {
        twelveAtOnce();
        assertThat(api().get("/v1/campaigns/once/stats").json().get("redemptions").asLong()).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIsAConflict() {
        redeem(key, BODY);
        Response conflict = redeem(key, checkout("c-1", List.of("ONCE"), 2000));
        assertThat(conflict.status()).isEqualTo(422);
        assertThat(conflict.json().get("code").asText()).isEqualTo("idempotency_conflict");
    }

    @Test
    void anotherProjectMayUseTheSameIdempotencyKey() {
        String first = redeem(key, BODY).json().get("id").asText();
        String other = server.newProject();
        server.post("/v1/campaigns", other, universal("once", "ONCE", amount(100), Map.of()));
        Response theirs = redeem(other, BODY);
        assertThat(theirs.status()).isEqualTo(201);
        assertThat(theirs.json().get("id").asText()).isNotEqualTo(first);
    }
}
