package io.tessera.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** What a JSON body must be: JSON by its Content-Type, readable, each key once, integers within 64 bits. */
class JsonBodyTest extends ServerPerDatabase {
    private static final String CAMPAIGN =
            "{\"name\": \"%s\", \"type\": \"AUTO\", \"discount\": {\"type\": \"AMOUNT\", \"amount\": 100}}";

    private Response post(String path, String body, String contentType) {
        return server.raw("POST", path, key, body, contentType);
    }

    private int campaigns() {
        return server.get("/v1/campaigns", key).json().get("data").size();
    }

    private static void assertProblem(Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo(code);
    }

    @Test
    void aBodyOfAnotherMediaTypeIs415AndChangesNothing() {
        for (String type : new String[]{"text/plain", "application/x-www-form-urlencoded", "text/csv",
                "application/xml", "application/json; charset=iso-8859-1", "application/jsonx"}) {
            assertProblem(post("/v1/campaigns", CAMPAIGN.formatted("refused"), type), 415, "unsupported_media_type");
        }
        assertThat(campaigns()).isZero();
    }

    @Test
    void jsonMediaTypesWithOrWithoutCharsetAreAccepted() {
        assertThat(post("/v1/campaigns", CAMPAIGN.formatted("plain"), "application/json").status()).isEqualTo(201);
        assertThat(post("/v1/campaigns", CAMPAIGN.formatted("utf8"), "Application/JSON; charset=\"UTF-8\"").status())
                .isEqualTo(201);
        assertThat(post("/v1/campaigns", CAMPAIGN.formatted("suffix"), "application/vnd.tessera+json").status())
                .isEqualTo(201);
        assertThat(campaigns()).isEqualTo(3);
    }

    @Test
    void aJsonBodyWithoutContentTypeIsReadAsJson() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/v1/campaigns"))
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(CAMPAIGN.formatted("untyped")))
                .build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(request.headers().firstValue("Content-Type")).isEmpty();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    @Test
    void csvImportStillTakesTextCsvAndTextPlain() {
        post("/v1/campaigns", "{\"name\": \"imp\", \"type\": \"CODES\", \"codes\": {\"mode\": \"UNIQUE\", "
                + "\"pattern\": \"IMP-######\", \"count\": 0}, \"discount\": {\"type\": \"AMOUNT\", \"amount\": 100}}",
                "application/json");
        Response csv = post("/v1/campaigns/imp/codes/import", "A-1\n", "text/csv; charset=utf-8");
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        Response plain = post("/v1/campaigns/imp/codes/import", "A-2\n", "text/plain");
        assertThat(plain.status()).as(plain.body()).isEqualTo(200);
        assertThat(plain.json().get("imported").asLong()).isEqualTo(1);
    }

    @Test
    void aKeyGivenTwiceIsMalformedJsonNamingTheKey() {
        Response r = post("/v1/campaigns", "{\"name\": \"a\", \"name\": \"b\", \"type\": \"AUTO\", "
                + "\"discount\": {\"type\": \"AMOUNT\", \"amount\": 100}}", "application/json");
        assertProblem(r, 400, "malformed_json");
        assertThat(r.json().get("errors").findValuesAsText("field")).containsExactly("name");

        Response nested = post("/v1/campaigns", "{\"name\": \"n\", \"type\": \"AUTO\", "
                + "\"discount\": {\"type\": \"AMOUNT\", \"amount\": 100, \"amount\": 1}}", "application/json");
        assertProblem(nested, 400, "malformed_json");
        assertThat(nested.json().get("errors").findValuesAsText("field")).containsExactly("discount.amount");
        assertThat(campaigns()).isZero();
    }

    @Test
    void anIntegerBeyond64BitsIs422NamingTheField() {
        Response r = post("/v1/validations", "{\"codes\": [], \"order\": {\"currency\": \"USD\", \"items\": "
                + "[{\"sku\": \"A\", \"price\": 123456789012345678901234567890, \"quantity\": 1}]}}", "application/json");
        assertProblem(r, 422, "validation_failed");
        assertThat(r.json().get("errors").findValuesAsText("field")).containsExactly("order.items[0].price");
        assertThat(r.json().get("errors").get(0).get("message").asText()).startsWith("must be a whole number");

        Response negative = post("/v1/campaigns", "{\"name\": \"big\", \"type\": \"AUTO\", \"discount\": "
                + "{\"type\": \"AMOUNT\", \"amount\": -99999999999999999999}}", "application/json");
        assertProblem(negative, 422, "validation_failed");
        assertThat(negative.json().get("errors").findValuesAsText("field")).containsExactly("discount.amount");
        assertThat(campaigns()).isZero();
    }

    /** Found by fuzzing (CheckoutRequestFuzzTestInputs): both were 500s, the parser's exceptions escaping. */
    @Test
    void bodiesTheParserCannotReadAre400sNotErrors() {
        Response exponent = post("/v1/validations", "{\"order\": {\"currency\": \"USD\", \"items\": [{\"sku\": \"A\", "
                + "\"price\": 1e40999999999999999999, \"quantity\": 1}]}}", "application/json");
        assertProblem(exponent, 400, "malformed_json");
        assertThat(exponent.json().get("detail").asText()).contains("out of range");

        // Four bytes that make the parser read UTF-32, then characters no UTF-32 can hold.
        byte[] body = ("\u0000\u0000\u0000\u0000{\"codes\": []}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        body[0] = (byte) 0xED;
        Response utf32 = api().send("POST", "/v1/validations", body, java.util.Map.of());
        assertProblem(utf32, 400, "malformed_json");
        assertThat(utf32.json().get("detail").asText()).contains("UTF-32");
    }
}
