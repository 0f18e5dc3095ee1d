package io.tessera.loyalty;

import static io.tessera.loyalty.LoyaltyFixtures.claim;
import static io.tessera.loyalty.LoyaltyFixtures.codes;
import static io.tessera.loyalty.LoyaltyFixtures.order;
import static io.tessera.loyalty.LoyaltyFixtures.reward;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The programme report: liability at the request's instant, flows of the period, months in the project's zone. */
class LoyaltyReportTest extends ServerPerDatabase {
    private static final String JAN = "?from=2031-01-01T00:00:00Z&to=2031-02-01T00:00:00Z";

    private static JsonNode report(TestServer.Client api, String query) {
        Response r = api.get("/v1/loyalty/stars/report" + query);
        if (r.status() != 200) throw new AssertionError(r.toString());
        return r.json();
    }

    /** The worked example of docs/loyalty.md: 300 on Jan 1 and 200 on Jan 20 (30 days), a 100-point reward Jan 25. */
    private void workedExample() {
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(Map.of("expiry", Map.of("afterDays", 30),
                "pointValue", Map.of("points", 100, "amount", 50))));
        codes(api(), "gift", 3);
        reward(api(), "g100", 100, "gift");
        order(api().at("2031-01-01T00:00:00Z"), "o-1", "c-1", "PAID", 30000);
        order(api().at("2031-01-20T00:00:00Z"), "o-2", "c-1", "PAID", 20000);
        assertThat(claim(api().at("2031-01-25T00:00:00Z"), "c-1", "g100").status()).isEqualTo(201);
    }

    @Test
    void theWorkedExampleShowsTheLiabilityAndTheBreakage() {
        workedExample();
        api().post("/v1/test-clock/advance", Map.of("to", "2031-02-05T00:00:00Z"));
        JsonNode r = report(api().at("2031-02-05T00:00:00Z"), "?from=2031-01-01T00:00:00Z&to=2031-03-01T00:00:00Z");
        assertThat(r.get("members").asLong()).isEqualTo(1);
        assertThat(r.get("earned").asLong()).isEqualTo(500);
        assertThat(r.get("spent").asLong()).isEqualTo(100);
        assertThat(r.get("expired").asLong()).isEqualTo(200);
        assertThat(r.get("reversed").asLong()).isZero();
        assertThat(r.get("outstanding").asLong()).isEqualTo(200);
        assertThat(r.get("outstandingValue").asLong()).isEqualTo(100);
        assertThat(r.get("pending").asLong()).isZero();
        assertThat(r.get("expiringNext30Days").asLong()).isEqualTo(200); // Feb 19
        assertThat(r.get("byMonth").toString()).isEqualTo("[{\"month\":\"2031-01\",\"earned\":500,\"spent\":100,"
                + "\"expired\":200},{\"month\":\"2031-02\",\"earned\":0,\"spent\":0,\"expired\":0}]");
    }

    @Test
    void anExpiryWhoseTaskHasNotRunYetCountsAsExpired() {
        workedExample();
        JsonNode r = report(api().at("2031-02-01T00:00:00Z"), JAN);
        assertThat(r.get("expired").asLong()).isEqualTo(200);
        assertThat(r.get("outstanding").asLong()).isEqualTo(200);
    }

    @Test
    void anExpiryStillAheadOfTheRequestIsNotCounted() {
        workedExample();
        JsonNode r = report(api().at("2031-01-30T00:00:00Z"), JAN);
        assertThat(r.get("expired").asLong()).isZero();
        assertThat(r.get("outstanding").asLong()).isEqualTo(400);
        assertThat(r.get("expiringNext30Days").asLong()).isEqualTo(400);
    }

    @Test
    void pendingPointsAreReportedUntilTheyBecomeAvailable() {
        LoyaltyFixtures.create(api(), Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of("earning",
                List.of(Map.of("name", "buy", "on", "order_paid", "points", "order.total / 100", "pendingDays", 14)))));
        order(api().at("2031-01-01T00:00:00Z"), "o-1", "c-1", "PAID", 30000);
        assertThat(report(api().at("2031-01-10T00:00:00Z"), JAN).get("pending").asLong()).isEqualTo(300);
        JsonNode later = report(api().at("2031-01-20T00:00:00Z"), JAN);
        assertThat(later.get("pending").asLong()).isZero();
        assertThat(later.get("outstanding").asLong()).isEqualTo(300);
    }

    @Test
    void theValueIsNullWithoutAPointValue() {
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(Map.of()));
        order(api(), "o-1", "c-1", "PAID", 30000);
        JsonNode r = report(api(), "");
        assertThat(r.get("outstanding").asLong()).isEqualTo(300);
        assertThat(r.get("outstandingValue").isNull()).isTrue();
    }

    @Test
    void transfersOutAreSpendingAndManualAdjustmentsAreNot() {
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(Map.of()));
        order(api().at("2031-01-01T00:00:00Z"), "o-1", "c-1", "PAID", 30000);
        api().at("2031-01-02T00:00:00Z").post("/v1/loyalty/stars/members/c-1/transfers",
                Map.of("to", "charity", "points", 40));
        LoyaltyFixtures.adjust(api().at("2031-01-03T00:00:00Z"), "c-1", -60);
        LoyaltyFixtures.adjust(api().at("2031-01-04T00:00:00Z"), "c-2", 25);
        JsonNode r = report(api().at("2031-01-10T00:00:00Z"), JAN);
        assertThat(r.get("spent").asLong()).isEqualTo(40);
        assertThat(r.get("earned").asLong()).isEqualTo(325); // 300 earned + a positive adjustment of 25
        assertThat(r.get("outstanding").asLong()).isEqualTo(300 - 60 + 25); // the 40 given stay with charity
        assertThat(r.get("members").asLong()).isEqualTo(3);
    }

    @Test
    void aRefundedOrderIsReportedAsReversed() {
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(Map.of()));
        order(api().at("2031-01-01T00:00:00Z"), "o-1", "c-1", "PAID", 30000);
        order(api().at("2031-01-05T00:00:00Z"), "o-1", "c-1", "REFUNDED", 30000);
        JsonNode r = report(api().at("2031-01-10T00:00:00Z"), JAN);
        assertThat(r.get("earned").asLong()).isEqualTo(300);
        assertThat(r.get("reversed").asLong()).isEqualTo(300);
        assertThat(r.get("outstanding").asLong()).isZero();
    }

    @Test
    void monthsFollowTheProjectTimeZone() {
        TestServer.Client berlin = server.newProjectClient(Map.of("timezone", "Europe/Berlin"));
        LoyaltyFixtures.create(berlin, LoyaltyFixtures.stars(Map.of()));
        order(berlin.at("2031-01-31T23:30:00Z"), "o-1", "c-1", "PAID", 30000); // Feb 1, 00:30 in Berlin
        JsonNode months = report(berlin.at("2031-02-10T00:00:00Z"),
                "?from=2030-12-31T23:00:00Z&to=2031-02-28T23:00:00Z").get("byMonth");
        assertThat(months.size()).isEqualTo(2);
        assertThat(months.get(0).get("month").asText()).isEqualTo("2031-01");
        assertThat(months.get(0).get("earned").asLong()).isZero();
        assertThat(months.get(1).get("month").asText()).isEqualTo("2031-02");
        assertThat(months.get(1).get("earned").asLong()).isEqualTo(300);
    }

    @Test
    void aPeriodEndingBeforeItStartsIs422NamingFrom() {
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(Map.of()));
        Response r = api().get("/v1/loyalty/stars/report?from=2031-02-01T00:00:00Z&to=2031-01-01T00:00:00Z");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().at("/errors/0/field").asText()).isEqualTo("from");
    }
}
