package io.tessera.redemption;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code X-Test-Now} moves a request through time; periods are days in the project's timezone. */
class TestClockTest extends ServerPerDatabase {
    private TestServer.Client newYork;

    @BeforeEach
    void oncePerDayInNewYork() {
        newYork = server.newProjectClient(Map.of("timezone", "America/New_York"));
        newYork.post("/v1/campaigns", universal("daily", "DAILY", amount(100),
                Map.of("perCustomerPerPeriod", Map.of("count", 1, "period", "DAY"))));
    }

    private Response redeemAt(String instant) {
        return newYork.at(instant).post("/v1/redemptions", checkout("c-1", List.of("DAILY"), 1000));
    }

    @Test
    void aRedemptionLateInTheEveningCountsForThatDayInTheProjectTimezone() {
        // 03:00 UTC on the 24th is still the evening of the 23rd in New York.
        assertThat(redeemAt("2026-11-24T03:00:00Z").status()).isEqualTo(201);
        Response sameDay = redeemAt("2026-11-23T23:00:00Z");
        assertThat(sameDay.status()).isEqualTo(422);
        assertThat(sameDay.json().at("/rejected/0/reason").asText()).isEqualTo("customer_period_limit");
    }

    @Test
    void theNextDayInTheProjectTimezoneAllowsAnotherRedemption() {
        redeemAt("2026-11-24T03:00:00Z");
        assertThat(redeemAt("2026-11-24T12:00:00Z").status()).isEqualTo(201);
    }

    @Test
    void aTestClockThatIsNotAnInstantIsRefused() {
        Response bad = newYork.at("yesterday").post("/v1/validations", checkout("c-1", List.of("DAILY"), 1000));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().get("errors").findValuesAsText("field")).containsExactly("X-Test-Now");
    }
}
