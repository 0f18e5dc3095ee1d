package io.tessera.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Json;
import java.net.http.HttpHeaders;

/** An HTTP answer: status, headers, body text, and the body as JSON. */
public record Response(int status, HttpHeaders headers, String body) {
    public JsonNode json() {
        return Json.parse(body);
    }

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}
