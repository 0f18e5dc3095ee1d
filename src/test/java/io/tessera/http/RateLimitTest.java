package io.tessera.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestDatabases;
import io.tessera.testing.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Requests per second per API key (docs/rate-limits.md): 429 past the limit, RateLimit-* headers, across nodes. */
class RateLimitTest extends ServerPerDatabase {

    /** A new read key of this test's project with its own {@code rateLimit} (null: none of its own). */
    private Map<String, String> newKey(Integer rateLimit) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "k" + System.nanoTime(), "scopes", List.of("read")));
        body.put("rateLimit", rateLimit);
        Response r = api().post("/v1/api-keys", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("rateLimit").isNull() ? null : r.json().get("rateLimit").asInt()).isEqualTo(rateLimit);
        return Map.of("id", r.json().get("id").asText(), "key", r.json().get("key").asText());
    }

    @Test
    void theSixthRequestWithinTheSecondOfAKeyLimitedToFiveIs429WithRetryAfter() {
        TestServer.Client limited = server.client(newKey(5).get("key"));
        for (int i = 1; i <= 5; i++) {
            Response ok = limited.get("/v1/project");
            assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
            assertThat(ok.header("RateLimit-Limit")).isEqualTo("5");
            assertThat(ok.header("RateLimit-Remaining")).isEqualTo(Integer.toString(5 - i));
            assertThat(Integer.parseInt(ok.header("RateLimit-Reset"))).isBetween(0, 1);
            assertThat(ok.header("RateLimit-Policy")).isEqualTo("5;w=1");
        }
        Response refused = limited.get("/v1/project");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("code").asText()).isEqualTo("rate_limited");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.header("RateLimit-Limit")).isEqualTo("5");
        assertThat(refused.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(refused.header("RateLimit-Reset")).isEqualTo("1");
    }

    @Test
    void everyAnswerToALimitedKeyCarriesTheHeadersErrorsIncludedAndAnUnlimitedKeyNone() {
        TestServer.Client limited = server.client(newKey(50).get("key"));
        Response notFound = limited.get("/v1/campaigns/no-such-campaign");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.header("RateLimit-Limit")).isEqualTo("50");
        assertThat(notFound.header("RateLimit-Remaining")).isEqualTo("49");
        Response forbidden = limited.post("/v1/campaigns", Map.of("name", "x"));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.header("RateLimit-Remaining")).isEqualTo("48");

        Response unlimited = api().get("/v1/project");
        assertThat(unlimited.status()).isEqualTo(200);
        assertThat(unlimited.json().get("rateLimit").isNull()).isTrue();
        assertThat(unlimited.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("ratelimit"));
    }

    @Test
    void aPatchedLimitTakesEffectAtOnceAndNullReturnsTheKeyToNoLimit() {
        Map<String, String> k = newKey(1);
        TestServer.Client limited = server.client(k.get("key"));
        assertThat(limited.get("/v1/project").status()).isEqualTo(200);
        assertThat(limited.get("/v1/project").status()).isEqualTo(429);

        Response patched = api().patch("/v1/api-keys/" + k.get("id"), Map.of("rateLimit", 100));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().get("rateLimit").asInt()).isEqualTo(100);
        Response now = limited.get("/v1/project");
        assertThat(now.status()).isEqualTo(200);
        assertThat(now.header("RateLimit-Limit")).isEqualTo("100");

        Map<String, Object> none = new HashMap<>();
        none.put("rateLimit", null);
        assertThat(api().patch("/v1/api-keys/" + k.get("id"), none).json().get("rateLimit").isNull()).isTrue();
        assertThat(limited.get("/v1/project").header("RateLimit-Limit")).isNull();
        assertThat(api().get("/v1/api-keys").json().get("data").findValues("rateLimit")).allMatch(v -> v.isNull());
    }

    @Test
    void badLimitsAre422NamingTheFieldAndChangeNothing() {
        Map<String, String> k = newKey(7);
        Response zero = api().patch("/v1/api-keys/" + k.get("id"), Map.of("rateLimit", 0));
        assertThat(zero.status()).isEqualTo(422);
        assertThat(zero.json().get("errors").get(0).get("field").asText()).isEqualTo("rateLimit");
        assertThat(api().patch("/v1/api-keys/" + k.get("id"), Map.of()).status()).isEqualTo(422);
        assertThat(api().patch("/v1/project", Map.of("rateLimit", "fast")).status()).isEqualTo(422);
        assertThat(api().patch("/v1/api-keys/key_none", Map.of("rateLimit", 3)).status()).isEqualTo(404);
        assertThat(server.client(k.get("key")).get("/v1/project").header("RateLimit-Limit")).isEqualTo("7");
    }

    @Test
    void theProjectDefaultLimitsEveryKeyWithoutALimitOfItsOwn() {
        Map<String, String> k = newKey(null);
        TestServer.Client reader = server.client(k.get("key"));
        assertThat(reader.get("/v1/project").header("RateLimit-Limit")).isNull();

        Response patched = api().patch("/v1/project", Map.of("rateLimit", 2));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().get("rateLimit").asInt()).isEqualTo(2);
        assertThat(reader.get("/v1/project").header("RateLimit-Limit")).isEqualTo("2");
        assertThat(reader.get("/v1/project").status()).isEqualTo(200);
        assertThat(reader.get("/v1/project").status()).isEqualTo(429);
        // A key's own limit wins over the default.
        Response own = server.client(newKeyAsRoot(40)).get("/v1/project");
        assertThat(own.header("RateLimit-Limit")).isEqualTo("40");
    }

    /** A key made by a fresh project's admin key (this test's admin key is rate limited by now). */
    private String newKeyAsRoot(int rateLimit) {
        Response p = server.post("/v1/projects", TestServer.ROOT_KEY, Map.of("name", "p-" + System.nanoTime(),
                "rateLimit", 2));
        assertThat(p.status()).as(p.toString()).isEqualTo(201);
        assertThat(p.json().get("rateLimit").asInt()).isEqualTo(2);
        Response k = server.post("/v1/api-keys", p.json().get("apiKey").asText(), Map.of("name", "own",
                "scopes", List.of("read"), "rateLimit", rateLimit));
        assertThat(k.status()).as(k.toString()).isEqualTo(201);
        return k.json().get("key").asText();
    }

    @Test
    void theLimitHoldsAcrossTwoNodes() {
        Assumptions.assumeTrue(database.equals(TestDatabases.POSTGRES), "H2 serves one node only");
        String key = newKey(10).get("key");
        try (TestServer other = server.anotherNode()) {
            List<TestServer.Client> nodes = List.of(server.client(key), other.client(key));
            long started = System.nanoTime();
            int ok = 0;
            int refused = 0;
            for (int i = 0; i < 30; i++) {
                int status = nodes.get(i % 2).get("/v1/project").status();
                if (status == 200) ok++;
                if (status == 429) refused++;
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            Assumptions.assumeTrue(millis < 1000, "30 requests took " + millis + " ms: more than one window");
            assertThat(ok).as("answered in %d ms", millis).isEqualTo(10);
            assertThat(refused).isEqualTo(20);
        }
    }
}
