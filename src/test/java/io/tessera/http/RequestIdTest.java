package io.tessera.http;

import static io.tessera.testing.Bodies.checkout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tessera.logging.LogSetup;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Request ids over real HTTP: answered on every response, the {@code instance} of problems, on the access line and
 * on every line logged while the request is handled (captured from the real logging, not a mock).
 */
class RequestIdTest extends ServerPerDatabase {
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void capture() {
        logged.start();
        root().addAppender(logged);
    }

    @AfterEach
    void release() {
        root().detachAppender(logged);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private List<ILoggingEvent> linesOf(String requestId) {
        synchronized (logged.list) {
            return logged.list.stream().filter(e -> requestId.equals(e.getMDCPropertyMap().get(LogSetup.REQUEST_ID)))
                    .toList();
        }
    }

    private ILoggingEvent accessLine(String requestId) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> linesOf(requestId).stream()
                .filter(e -> e.getLoggerName().equals(LogSetup.ACCESS)).findFirst(), Optional::isPresent).get();
    }

    private static Object value(ILoggingEvent e, String key) {
        return e.getKeyValuePairs().stream().filter(kv -> kv.key.equals(key)).map(kv -> kv.value).findFirst().orElse(null);
    }

    @Test
    void aSaneClientIdIsAnsweredNamesTheProblemAndIsOnTheAccessLineWithTheProjectAndKey() {
        Response r = api().post("/v1/validations", "{\"order\": 5}", Map.of("X-Request-Id", "shop-1.a:B_9"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.header("X-Request-Id")).isEqualTo("shop-1.a:B_9");
        assertThat(r.json().get("instance").asText()).isEqualTo("urn:request:shop-1.a:B_9");

        ILoggingEvent access = accessLine("shop-1.a:B_9");
        assertThat(access.getFormattedMessage()).startsWith("POST /v1/validations 422 ");
        assertThat(value(access, "method")).isEqualTo("POST");
        assertThat(value(access, "path")).isEqualTo("/v1/validations");
        assertThat(value(access, "status")).isEqualTo(422);
        assertThat((Long) value(access, "bytes")).isEqualTo(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThat((Long) value(access, "durationMs")).isNotNegative();
        assertThat(value(access, "projectId")).isNotNull();
        assertThat(value(access, "keyId")).isNotNull();
        assertThat(access.getFormattedMessage()).endsWith(" project=" + value(access, "projectId") + " key="
                + value(access, "keyId"));
    }

    @Test
    void theAccessLineLeavesTheQueryOut() {
        Response r = api().send("GET", "/v1/campaigns?token=s3cret", null, Map.of("X-Request-Id", "with-query"));
        assertThat(accessLine("with-query").getFormattedMessage())
                .startsWith("GET /v1/campaigns " + r.status() + " ").doesNotContain("s3cret").doesNotContain("?");
    }

    @Test
    void anInsaneOrMissingIdIsReplacedByAGeneratedOneOnEveryResponse() {
        for (String given : new String[] {"has space", "x".repeat(129), "semi;colon", "ünï", ""}) {
            Response r = api().send("GET", "/v1/campaigns", null, Map.of("X-Request-Id", given));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Request-Id")).as(given).matches(UUID);
        }
        Response unknown = server.client(key).get("/v1/no-such-thing");
        assertThat(unknown.status()).isEqualTo(404);
        String id = unknown.header("X-Request-Id");
        assertThat(id).matches(UUID);
        assertThat(unknown.json().get("instance").asText()).isEqualTo("urn:request:" + id);
        assertThat(accessLine(id).getFormattedMessage()).startsWith("GET /v1/no-such-thing 404 ");
        Response health = server.client(key).get("/health");
        assertThat(health.header("X-Request-Id")).matches(UUID);
    }

    @Test
    void aLineLoggedWhileTheRequestIsHandledCarriesItsIdAndProject() {
        // The 20th unknown code of one client is logged as suspected guessing, by the request that checks it.
        for (int i = 1; i <= 20; i++) {
            Response r = api().post("/v1/validations", checkout("guesser", List.of("NOPE" + i + "X"), 2000),
                    Map.of("X-Request-Id", "guess-" + i));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        ILoggingEvent access = accessLine("guess-20");
        List<ILoggingEvent> lines = linesOf("guess-20");
        assertThat(lines).filteredOn(e -> e.getFormattedMessage().startsWith("code guessing suspected"))
                .singleElement().satisfies(e -> {
                    assertThat(e.getMDCPropertyMap()).containsEntry("projectId", (String) value(access, "projectId"));
                    assertThat(e.getThreadName()).isNotBlank();
                });
    }

}
