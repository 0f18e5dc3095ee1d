package io.tessera.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Json;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Wrong methods, unknown paths and requests Jetty refuses before routing all answer RFC 9457 problem documents. */
class ProblemPagesTest extends ServerPerDatabase {

    private int port() {
        return URI.create(server.url()).getPort();
    }

    private static JsonNode problem(RawHttp r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        JsonNode p = Json.parse(r.body());
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("code").asText()).isEqualTo(code);
        return p;
    }

    @Test
    void aKnownPathWithAnotherMethodIs405WithTheAllowedMethods() {
        Response put = server.call("PUT", "/v1/campaigns", key, Map.of());
        assertThat(put.status()).as(put.body()).isEqualTo(405);
        assertThat(put.header("Content-Type")).startsWith("application/problem+json");
        assertThat(put.json().get("code").asText()).isEqualTo("method_not_allowed");
        assertThat(put.header("Allow").split(",\\s*")).containsExactlyInAnyOrder("GET", "POST");

        Response delete = server.call("DELETE", "/v1/validations", key, null);
        assertThat(delete.status()).isEqualTo(405);
        assertThat(delete.header("Allow")).isEqualTo("POST");
    }

    @Test
    void aRefusedRequestsBodyIsReadSoItsConnectionServesTheNextRequest() {
        String body = "{\"name\":\"" + "x".repeat(500_000) + "\"}";
        String next = "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        Map<String, Integer> refused = Map.of("PUT /v1/campaigns", 405, "PUT /v1/nothing-here", 404,
                "POST /v1/campaigns", 401);
        refused.forEach((request, status) -> {
            String head = request + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n";
            String answers = RawHttp.exchange(port(), head, body, next);
            assertThat(answers).as(request).startsWith("HTTP/1.1 " + status + " ")
                    .containsOnlyOnce("HTTP/1.1 200 ").contains("\"status\":\"UP\"");
        });
    }

    @Test
    void anUnknownPathStays404() {
        Response r = server.call("PUT", "/v1/nothing-here", key, null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("not_found");
        assertThat(r.header("Allow")).isNull();
    }

    @Test
    void headersTooLargeIs431Problem() {
        RawHttp r = RawHttp.send(port(), "GET /v1/campaigns HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
        problem(r, 431, "headers_too_large");
    }

    @Test
    void aUriTooLongIs414Problem() {
        problem(RawHttp.get(port(), "/v1/campaigns?x=" + "a".repeat(20_000)), 414, "uri_too_long");
    }

    @Test
    void unparseableAndAmbiguousUrisAre400Problems() {
        for (String target : new String[]{"/v1/%", "/v1/campaigns/a%00b", "/v1/campaigns/%ff", "/v1/campaigns/..;/x",
                "/v1/campaigns/%u0041", "/../../etc/passwd", "*"}) {
            JsonNode p = problem(RawHttp.get(port(), target), 400, "bad_request");
            assertThat(p.get("detail").asText()).as(target).isNotBlank();
        }
    }

    @Test
    void encodedDotsAndSlashesInAPathAreRoutedAsPlainCharactersAndAnswerProblems() {
        RawHttp dots = RawHttp.send(port(), "GET /v1/campaigns/%2e%2e/x HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + key + "\r\nConnection: close\r\n\r\n");
        problem(dots, 404, "not_found");
        RawHttp slash = RawHttp.send(port(), "GET /v1/campaigns/a%2Fb HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + key + "\r\nConnection: close\r\n\r\n");
        problem(slash, 404, "not_found");
    }

    @Test
    void malformedRequestLinesAndHeadersAreProblems() {
        problem(RawHttp.send(port(), "GET /v1/campaigns HTTP/3.7\r\nHost: localhost\r\n\r\n"), 505,
                "http_version_not_supported");
        problem(RawHttp.send(port(), "GET /v1/campaigns HTTP/1.1\r\n\r\n"), 400, "bad_request");
        problem(RawHttp.send(port(), "POST /v1/campaigns HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n"),
                400, "bad_request");
        problem(RawHttp.send(port(), "GET /v1/campaigns HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400, "bad_request");
    }
}
