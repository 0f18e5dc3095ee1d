package io.tessera.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.user.Role;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The codes page's publication, CSV export and import and bulk generation, and a customer's page (profile, wallet,
 * ledger, events, points adjustment, consents), over plain HTTP: each change through the API's services, audited as
 * the signed-in user, and refused to roles that may not make it.
 */
class AdminCodesAndCustomersTest extends ServerPerDatabase {

    private AdminSession as(Role role) {
        return new AdminSession(server).signedIn(AdminSession.user(server, role), key);
    }

    private void uniqueCampaign(String name, int count) {
        assertThat(api().post("/v1/campaigns", Map.of("name", name, "type", "CODES", "codes", Map.of("mode", "UNIQUE",
                "pattern", "U-########", "count", count), "discount", Map.of("type", "PERCENT", "percent", 10))).status())
                .isEqualTo(201);
    }

    private void stars() {
        assertThat(api().post("/v1/campaigns", Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of("earning",
                List.of(Map.of("name", "buy", "on", "order_paid", "points", "order.total / 100"))))).status())
                .isEqualTo(201);
    }

    private JsonNode lastAudit(String query) {
        return api().get("/v1/audit?" + query).json().at("/data/0");
    }

    @Test
    void supportPublishesACodeToACustomerRecordedAsTheUser() {
        uniqueCampaign("personal", 3);
        AdminSession s = as(Role.SUPPORT);
        String page = s.get("/admin/codes?campaign=personal").body();
        assertThat(page).contains("Publish a code").contains("<label for=\"publish-customer\">Customer id</label>");
        HttpResponse<String> r = s.post("/admin/codes/publish", Map.of("_csrf", s.csrf("/admin/codes"),
                "campaign", "personal", "customer", "c-42"));
        assertThat(r.statusCode()).isEqualTo(303);
        JsonNode held = api().get("/v1/campaigns/personal/codes?customer=c-42").json().at("/data/0");
        String code = held.get("code").asText();
        assertThat(r.headers().firstValue("Location").orElseThrow()).contains("customer=c-42");
        assertThat(s.get(r.headers().firstValue("Location").orElseThrow()).body())
                .contains("Published " + code + " to customer c-42.").contains("<td>" + code + "</td>");
        JsonNode entry = lastAudit("resource=code/" + code);
        assertThat(entry.get("action").asText()).isEqualTo("code.published");
        assertThat(entry.at("/actor/name").asText()).isEqualTo(s.email());
        // The customer is named by its pseudonym only: the audit log outlives an erasure.
        assertThat(entry.get("after").toString()).doesNotContain("c-42");
        // Publishing again hands back the code the customer holds: nothing changes, nothing more is recorded.
        s.post("/admin/codes/publish", Map.of("_csrf", s.csrf("/admin/codes"), "campaign", "personal",
                "customer", "c-42"));
        assertThat(api().get("/v1/audit?action=code.published").json().get("data").size()).isEqualTo(1);
    }

    @Test
    void aBadPublicationIsRefusedNamingTheFieldAndAViewerMayNotPublish() {
        uniqueCampaign("refusing", 1);
        AdminSession s = as(Role.MARKETER);
        HttpResponse<String> r = s.post("/admin/codes/publish", Map.of("_csrf", s.csrf("/admin/codes"),
                "campaign", "refusing", "customer", "has space"));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("customer");
        AdminSession viewer = as(Role.VIEWER);
        assertThat(viewer.get("/admin/codes?campaign=refusing").body()).doesNotContain("Publish a code")
                .doesNotContain("Generate codes").doesNotContain("Import codes").contains("Export CSV");
        assertThat(viewer.post("/admin/codes/publish", Map.of("_csrf", viewer.csrf("/admin/codes"),
                "campaign", "refusing", "customer", "c-1")).statusCode()).isEqualTo(403);
        assertThat(api().get("/v1/campaigns/refusing/codes?status=published").json().get("data").size()).isZero();
    }

    @Test
    void theExportIsTheApisCsvAndAnImportedFileAddsItsCodesAsTheUser() {
        uniqueCampaign("csv", 2);
        AdminSession s = as(Role.MARKETER);
        HttpResponse<String> r = s.upload("/admin/codes/import", Map.of("_csrf", s.csrf("/admin/codes"),
                "campaign", "csv"), "file", "codes.csv", "code\nIMPORTED-1\nimported-2\nIMPORTED-1\nbad code!\n");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Imported 2 codes; 1 not imported").contains("1 invalid lines")
                .contains("Line 5 (bad code!)");
        JsonNode entry = lastAudit("action=code.imported");
        assertThat(entry.at("/actor/name").asText()).isEqualTo(s.email());
        assertThat(entry.at("/after/imported").asLong()).isEqualTo(2);

        HttpResponse<String> csv = s.get("/admin/codes/export?campaign=csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(csv.headers().firstValue("Content-Disposition").orElseThrow()).contains("csv-codes.csv");
        String api = server.get("/v1/campaigns/csv/codes.csv", key).body();
        assertThat(csv.body()).isEqualTo(api);
        assertThat(csv.body().lines().toList()).hasSize(5)
                .first().isEqualTo("code,campaign,active,customer,redemptions,createdAt,publishedAt");
        assertThat(csv.body()).contains("IMPORTED-1,csv,true,,0,").contains("IMPORTED-2,csv,true,,0,");
        // The search narrows the export as it narrows the list.
        assertThat(s.get("/admin/codes/export?campaign=csv&q=imported-2").body().lines().toList()).hasSize(2);
        assertThat(s.get("/admin/codes/export?campaign=nosuch").statusCode()).isEqualTo(404);
    }

    @Test
    void bulkGenerationRunsAsTheApisJobAndItsProgressReachesDone() {
        uniqueCampaign("bulk", 0);
        AdminSession s = as(Role.MARKETER);
        HttpResponse<String> r = s.post("/admin/codes/generate", Map.of("_csrf", s.csrf("/admin/codes"),
                "campaign", "bulk", "count", "5,000"));
        assertThat(r.statusCode()).isEqualTo(303);
        Matcher m = Pattern.compile("job=(job_[A-Za-z0-9]+)").matcher(r.headers().firstValue("Location").orElseThrow());
        assertThat(m.find()).isTrue();
        String job = m.group(1);
        assertThat(s.get(r.headers().firstValue("Location").orElseThrow()).body())
                .contains("aria-label=\"Generation progress\"").contains("of 5,000");
        await().atMost(Duration.ofSeconds(60)).until(() -> s.get("/admin/jobs/" + job).body()
                .contains("Done: 5,000 of 5,000 codes generated."));
        String done = s.get("/admin/jobs/" + job).body();
        assertThat(done).contains("value=\"5000\"").doesNotContain("hx-trigger"); // polling stops
        assertThat(api().get("/v1/jobs/" + job).json().get("status").asText()).isEqualTo("DONE");
        JsonNode entry = lastAudit("action=code.generated");
        assertThat(entry.at("/actor/name").asText()).isEqualTo(s.email());
        assertThat(s.post("/admin/codes/generate", Map.of("_csrf", s.csrf("/admin/codes"), "campaign", "bulk",
                "count", "0")).statusCode()).isEqualTo(422);
    }

    @Test
    void aCustomersPageShowsProfileWalletLedgerAndEventsNewestFirst() {
        stars();
        uniqueCampaign("wallet", 2);
        api().put("/v1/customers/c-7", Map.of("attributes", Map.of("name", "Ana"), "consents", Map.of("email", true)));
        api().post("/v1/campaigns/wallet/publications", Map.of("customer", "c-7"));
        api().post("/v1/orders", Map.of("id", "o-1", "customer", "c-7", "status", "PAID", "currency", "USD",
                "items", List.of(Map.of("sku", "A", "quantity", 1, "price", 5000))));
        for (int i = 1; i <= 25; i++)
            api().post("/v1/events", Map.of("customer", "c-7", "type", "viewed_" + i));
        AdminSession s = as(Role.VIEWER);
        assertThat(s.get("/admin/customers").body()).contains("<a href=\"/admin/customers/c-7\">c-7</a>");
        String page = s.get("/admin/customers/c-7").body();
        assertThat(page).contains("<h1>c-7</h1>").contains("\"name\" : \"Ana\"")
                .contains("email: given").contains("<code>customer.orders.count</code></dt><dd>1</dd>")
                .contains("<td id=\"balance-stars\">50</td>").contains("<td>EARN</td><td>50</td><td>50</td>");
        assertThat(page.indexOf("<td>viewed_25</td>")).isPositive().isLessThan(page.indexOf("<td>viewed_24</td>"));
        assertThat(page).doesNotContain("<td>viewed_5</td>").contains("Older events");
        String older = s.get("/admin/customers/c-7?program=stars&events=" + cursorOf(page)).body();
        assertThat(older).contains("<td>viewed_5</td>").doesNotContain("<td>viewed_25</td>");
        // A viewer gets no forms.
        assertThat(page).doesNotContain("Adjust points").doesNotContain("Save consents");
        assertThat(s.get("/admin/customers/nobody").statusCode()).isEqualTo(404);
    }

    private static String cursorOf(String page) {
        Matcher m = Pattern.compile("events=([0-9]+)").matcher(page);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void supportAdjustsPointsWithAReasonThroughTheLoyaltyServiceRecordedAsTheUser() {
        stars();
        api().put("/v1/customers/c-8", Map.of("attributes", Map.of()));
        AdminSession s = as(Role.SUPPORT);
        assertThat(s.get("/admin/customers/c-8").body()).contains("Adjust points")
                .contains("<label for=\"adjust-reason\">Reason</label>");
        String csrf = s.csrf("/admin/customers/c-8");
        HttpResponse<String> r = s.post("/admin/customers/c-8/points", Map.of("_csrf", csrf, "program", "stars",
                "points", "120", "reason", "goodwill"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(s.get(r.headers().firstValue("Location").orElseThrow()).body())
                .contains("Added 120 points in stars; the balance is 120.").contains("<td>goodwill</td>");
        assertThat(api().get("/v1/loyalty/stars/members/c-8").json().get("balance").asLong()).isEqualTo(120);
        JsonNode entry = lastAudit("action=loyalty-member.adjusted");
        assertThat(entry.at("/actor/name").asText()).isEqualTo(s.email());
        // Below zero is refused and changes nothing; so is a missing reason.
        assertThat(s.post("/admin/customers/c-8/points", Map.of("_csrf", csrf, "program", "stars", "points", "-500",
                "reason", "too much")).statusCode()).isEqualTo(422);
        HttpResponse<String> noReason = s.post("/admin/customers/c-8/points", Map.of("_csrf", csrf,
                "program", "stars", "points", "5", "reason", " "));
        assertThat(noReason.statusCode()).isEqualTo(422);
        assertThat(noReason.body()).contains("reason");
        assertThat(api().get("/v1/loyalty/stars/members/c-8").json().get("balance").asLong()).isEqualTo(120);
    }

    @Test
    void aMarketerMayNotAdjustPointsNorAViewerChangeConsents() {
        stars();
        api().put("/v1/customers/c-9", Map.of("consents", Map.of("sms", true)));
        AdminSession marketer = as(Role.MARKETER);
        assertThat(marketer.get("/admin/customers/c-9").body()).doesNotContain("Adjust points");
        assertThat(marketer.post("/admin/customers/c-9/points", Map.of("_csrf", marketer.csrf("/admin/customers"),
                "program", "stars", "points", "10", "reason", "x")).statusCode()).isEqualTo(403);
        AdminSession viewer = as(Role.VIEWER);
        assertThat(viewer.post("/admin/customers/c-9/consents", Map.of("_csrf", viewer.csrf("/admin/customers"),
                "channel", "sms")).statusCode()).isEqualTo(403);
        assertThat(api().get("/v1/customers/c-9").json().at("/consents/sms").asBoolean()).isTrue();
        assertThat(api().get("/v1/loyalty/stars/members/c-9").json().get("balance").asLong()).isZero();
    }

    @Test
    void supportChangesConsentsThroughTheCustomerServiceRecordedAsTheUser() {
        api().put("/v1/customers/c-10", Map.of("consents", Map.of("email", true)));
        AdminSession s = as(Role.SUPPORT);
        String csrf = s.csrf("/admin/customers/c-10");
        // The email box left unticked withdraws it; sms ticked gives it; a new channel is added as given.
        String body = "_csrf=" + csrf + "&channel=email&channel=sms&channel=push&consent.sms=on&newChannel=whatsapp";
        HttpResponse<String> r = s.postRaw("/admin/customers/c-10/consents", body);
        assertThat(r.statusCode()).isEqualTo(303);
        JsonNode consents = api().get("/v1/customers/c-10").json().get("consents");
        assertThat(consents.get("email").asBoolean()).isFalse();
        assertThat(consents.get("sms").asBoolean()).isTrue();
        assertThat(consents.get("push").asBoolean()).isFalse();
        assertThat(consents.get("whatsapp").asBoolean()).isTrue();
        JsonNode entry = lastAudit("action=customer.updated");
        assertThat(entry.at("/actor/name").asText()).isEqualTo(s.email());
        assertThat(s.post("/admin/customers/c-10/consents", Map.of("_csrf", csrf, "newChannel", "Not A Channel"))
                .statusCode()).isEqualTo(422);
    }
}
