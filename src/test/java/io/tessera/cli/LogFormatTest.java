package io.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The log as an operator reads it from the real server's standard error: text by default, JSON lines on request. */
class LogFormatTest {

    private static ServerProcess start(Map<String, String> extra) throws IOException {
        Map<String, String> env = new java.util.HashMap<>(Map.of("TESSERA_ROOT_KEY", "rk",
                "TESSERA_PORT", Integer.toString(ServerProcess.freePort()),
                "TESSERA_DATABASE_URL", "jdbc:h2:file:" + Files.createTempDirectory("tessera-log").resolve("db")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"));
        env.putAll(extra);
        ServerProcess server = ServerProcess.start(env, "serve");
        server.awaitUp(Duration.ofSeconds(90));
        return server;
    }

    /** An unauthenticated request with the given id: a 401 problem. */
    private static HttpResponse<String> unauthorized(ServerProcess server, String requestId) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port + "/v1/campaigns?key=s3cret"))
                .header("X-Request-Id", requestId).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("X-Request-Id")).contains(requestId);
        return r;
    }

    @Test
    void jsonLinesCarryTheRequestIdAndTheAccessFields() throws Exception {
        try (ServerProcess server = start(Map.of("TESSERA_LOG_FORMAT", "json"))) {
            HttpResponse<String> r = unauthorized(server, "json-1");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stderr().contains("\"json-1\""));
            List<String> lines = server.stderr().lines().filter(l -> !l.isBlank()).toList();
            List<JsonNode> parsed = lines.stream().map(l -> {
                try {
                    return Json.MAPPER.readTree(l);
                } catch (IOException e) {
                    throw new AssertionError("not a JSON line: " + l, e);
                }
            }).toList();
            assertThat(parsed).allSatisfy(line -> assertThat(line.fieldNames()).toIterable()
                    .contains("timestamp", "level", "logger", "thread", "message"));
            assertThat(parsed).anySatisfy(line -> assertThat(line.get("message").asText()).startsWith("Tessera listening"));
            JsonNode access = parsed.stream().filter(l -> "json-1".equals(l.path("requestId").asText())).findFirst()
                    .orElseThrow();
            assertThat(access.get("logger").asText()).isEqualTo("io.tessera.access");
            assertThat(access.get("level").asText()).isEqualTo("INFO");
            assertThat(access.get("method").asText()).isEqualTo("GET");
            assertThat(access.get("path").asText()).isEqualTo("/v1/campaigns");
            assertThat(access.get("status").asInt()).isEqualTo(401);
            assertThat(access.get("bytes").asLong()).isEqualTo(r.body().length());
            assertThat(access.get("durationMs").isIntegralNumber()).isTrue();
            assertThat(access.toString()).doesNotContain("s3cret");
        }
    }

    @Test
    void textIsTheDefaultWithTheRequestIdInBrackets() throws Exception {
        try (ServerProcess server = start(Map.of())) {
            unauthorized(server, "text-1");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stderr().contains("[text-1]"));
            assertThat(server.stderr().lines().filter(l -> l.contains("[text-1]"))).singleElement().asString()
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) \\[.+] INFO access "
                            + "\\[text-1] - GET /v1/campaigns 401 \\d+ms \\d+B");
        }
    }

    @Test
    void anUnknownFormatIsRefusedInOneLine() {
        try (ServerProcess server = ServerProcess.start(Map.of("TESSERA_LOG_FORMAT", "xml"), "serve")) {
            assertThat(server.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(server.stderr().lines().filter(l -> !l.isBlank()).toList())
                    .containsExactly("tessera: cannot start: TESSERA_LOG_FORMAT must be text or json, got 'xml'");
        }
    }
}
