package io.tessera.code;

import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.order;
import static io.tessera.testing.Fixtures.create;
import static io.tessera.testing.Fixtures.universalCampaign;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.config.Config;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Code guessing through validations and redemptions, over HTTP with the defaults (20 unknown codes a minute per
 * client, 200 per key): the guesser is throttled, nobody else is, and concurrency cannot pass the limit.
 */
class GuessProtectionTest extends ServerPerDatabase {
    private static final String REAL = "REAL10";

    /** Checks of unknown codes allowed per client and per API key (0: no limit), within a window of 60 s. */
    private static Map<Config.Setting, Integer> guessLimits(int perClient, int perKey) {
        return Map.of(Config.Setting.GUESS_LIMIT, perClient, Config.Setting.GUESS_KEY_LIMIT, perKey,
                Config.Setting.GUESS_WINDOW_SECONDS, 60);
    }

    private static Map<String, Object> withCodes(String customer, String... codes) {
        return checkout(customer, List.of(codes), 2000);
    }

    private static Map<String, Object> withoutCodes(String customer) {
        return Map.of("customer", customer, "order", order(2000));
    }

    /** {@code n} validations of distinct unknown codes by {@code customer}, one after the other, each answered 200. */
    private void guess(TestServer on, String key, String customer, int n) {
        for (int i = 0; i < n; i++) {
            Response r = on.post("/v1/validations", key, withCodes(customer, "NOPE" + i + "X"));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().at("/rejected/0/reason").asText()).isEqualTo("code_not_found");
        }
    }

    /** Sends {@code n} requests at once; returns their answers. */
    private static List<Response> concurrently(int n, IntFunction<CompletableFuture<Response>> request) {
        List<CompletableFuture<Response>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) sent.add(request.apply(i));
        return sent.stream().map(CompletableFuture::join).toList();
    }

    private static long withStatus(List<Response> answers, int status) {
        return answers.stream().filter(r -> r.status() == status).count();
    }

    @Test
    void theTwentyFirstUnknownCodeOfACustomerWithinAMinuteIsRefusedWithRetryAfter() {
        guess(server, key, "guesser", 20);
        Response refused = server.post("/v1/validations", key, withCodes("guesser", "NOPE99X"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("code").asText()).isEqualTo("too_many_failed_codes");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 61L);
    }

    @Test
    void aThrottledCustomerIsRefusedEvenForARealCode() {
        create(server, key, universalCampaign("real", REAL));
        guess(server, key, "guesser", 20);
        assertThat(server.post("/v1/validations", key, withCodes("guesser", REAL)).status()).isEqualTo(429);
        assertThat(server.post("/v1/redemptions", key, withCodes("guesser", REAL)).status()).isEqualTo(429);
    }

    @Test
    void aThrottledCustomerStillValidatesARequestWithoutCodes() {
        guess(server, key, "guesser", 20);
        assertThat(server.post("/v1/validations", key, withoutCodes("guesser")).status()).isEqualTo(200);
    }

    @Test
    void anotherCustomerOnTheSameKeyValidatesAndRedeemsWhileOneIsThrottled() {
        create(server, key, universalCampaign("real", REAL));
        guess(server, key, "guesser", 20);
        Response validated = server.post("/v1/validations", key, withCodes("honest", REAL));
        assertThat(validated.status()).isEqualTo(200);
        assertThat(validated.json().get("valid").asBoolean()).isTrue();
        assertThat(server.post("/v1/redemptions", key, withCodes("honest", REAL)).status()).isEqualTo(201);
    }

    @Test
    void realCodesNeverCount() {
        create(server, key, universalCampaign("real", REAL));
        for (int i = 0; i < 30; i++) {
            assertThat(server.post("/v1/validations", key, withCodes("shopper", REAL)).status()).isEqualTo(200);
        }
        guess(server, key, "shopper", 20);
    }

    @Test
    void refusedRedemptionsOfUnknownCodesCountLikeValidations() {
        for (int i = 0; i < 20; i++) {
            Response r = server.post("/v1/redemptions", key, withCodes("guesser", "NOPE" + i + "X"));
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.json().at("/rejected/0/reason").asText()).isEqualTo("code_not_found");
        }
        assertThat(server.post("/v1/validations", key, withCodes("guesser", "NOPE99X")).status()).isEqualTo(429);
    }

    @Test
    void aRequestNeedsRoomForEveryCodeItNames() {
        create(server, key, universalCampaign("real", REAL));
        guess(server, key, "guesser", 19);
        assertThat(server.post("/v1/validations", key, withCodes("guesser", REAL, "OTHER1")).status()).isEqualTo(429);
        assertThat(server.post("/v1/validations", key, withCodes("guesser", REAL)).status()).isEqualTo(200);
    }

    @Test
    void aBrowserKeyIsCountedByAddressWhateverCustomerItNames() {
        Response created = server.post("/v1/api-keys", key, Map.of("name", "storefront", "scopes", List.of("validate")));
        String browser = created.json().get("key").asText();
        for (int i = 0; i < 20; i++) {
            assertThat(server.post("/v1/validations", browser, withCodes("c" + i, "NOPE" + i + "X")).status())
                    .isEqualTo(200);
        }
        assertThat(server.post("/v1/validations", browser, withCodes("someone-else", "NOPE99X")).status())
                .isEqualTo(429);
    }

    @Test
    void aConcurrentBurstOfThirtyUnknownCodesFromOneCustomerGetsExactlyTwentyAnswered() {
        List<Response> answers = concurrently(30,
                i -> server.callAsync("POST", "/v1/validations", key, withCodes("guesser", "NOPE" + i + "X")));
        assertThat(withStatus(answers, 200)).isEqualTo(20);
        assertThat(withStatus(answers, 429)).isEqualTo(10);
    }

    @Test
    void refusalsAndUnknownCodesAreCountedInTheMetrics() {
        GuessGuard guard = server.app().guessGuard();
        long refused = guard.refused(), failures = guard.failures();
        guess(server, key, "guesser", 20);
        server.post("/v1/validations", key, withCodes("guesser", "NOPE99X"));
        assertThat(guard.failures() - failures).isEqualTo(20);
        assertThat(guard.refused() - refused).isEqualTo(1);
    }

    @Test
    void pastTheKeyLimitEveryClientOfTheKeyIsRefusedForCodesButNotWithoutThem() {
        try (TestServer small = TestServer.start(database, c -> c.with(guessLimits(3, 5)))) {
            String k = small.newProject();
            guess(small, k, "a", 3);
            guess(small, k, "b", 2);
            assertThat(small.post("/v1/validations", k, withCodes("c", "NOPE99X")).status()).isEqualTo(429);
            assertThat(small.post("/v1/validations", k, withoutCodes("c")).status()).isEqualTo(200);
        }
    }

    @Test
    void aConcurrentBurstSplitOverTwoNodesGetsExactlyTwentyAnswered() {
        try (TestServer one = TestServer.start(database);
             TestServer two = one.anotherNode()) {
            String k = one.newProject();
            List<Response> answers = concurrently(30, i -> (i % 2 == 0 ? one : two)
                    .callAsync("POST", "/v1/validations", k, withCodes("guesser", "NOPE" + i + "X")));
            assertThat(withStatus(answers, 200)).isEqualTo(20);
            assertThat(withStatus(answers, 429)).isEqualTo(10);
        }
    }

    @Test
    void unknownCodesCountedOnOneNodeAreRefusedOnTheOther() {
        try (TestServer one = TestServer.start(database);
             TestServer two = one.anotherNode()) {
            String k = one.newProject();
            guess(one, k, "guesser", 20);
            assertThat(two.post("/v1/validations", k, withCodes("guesser", "NOPE99X")).status()).isEqualTo(429);
        }
    }

    @Test
    void limitsOfZeroTurnTheProtectionOff() {
        try (TestServer open = TestServer.start(database, c -> c.with(guessLimits(0, 0)))) {
            guess(open, open.newProject(), "guesser", 30);
        }
    }

}
