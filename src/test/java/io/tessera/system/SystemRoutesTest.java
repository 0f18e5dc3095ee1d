package io.tessera.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Backend;
import io.tessera.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemRoutesTest {

    @Test
    void healthMetricsAndTheApiReferenceNeedNoKey() {
        try (TestServer server = TestServer.on(Backend.H2)) {
            var anonymous = server.client(null);
            assertThat(anonymous.get("/health").json().get("status").asText()).isEqualTo("UP");
            var reference = anonymous.get("/openapi.yaml");
            assertThat(reference.status()).isEqualTo(200);
            assertThat(reference.body()).startsWith("openapi: 3.1").contains("/v1/redemptions:");
            server.newProjectClient().get("/v1/campaigns");
            var metrics = anonymous.get("/metrics").body();
            assertThat(metrics).contains("http_server_requests_seconds_count{method=\"GET\",route=\"/v1/campaigns\",status=\"200\"}")
                    .contains("hikaricp_connections_active").contains("tessera_codes_guess_refused_total");
            var unknown = anonymous.get("/v1/nothing-here");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json().get("code").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void theTestClockEndpointChecksItsInput() {
        try (TestServer server = TestServer.on(Backend.H2)) {
            var api = server.newProjectClient();
            assertThat(api.post("/v1/test-clock/advance", Map.of("to", "2027-01-01T00:00:00Z")).status()).isEqualTo(200);
            var bad = api.post("/v1/test-clock/advance", Map.of("to", "soon"));
            assertThat(bad.status()).isEqualTo(422);
            assertThat(bad.json().get("errors").get(0).get("field").asText()).isEqualTo("to");
        }
    }
}
