package io.tessera.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.ServerPerDatabase;
import io.tessera.user.Role;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin pages over plain HTTP: what they show and what their forms change, through the services of the API. */
class AdminPagesTest extends ServerPerDatabase {

    private AdminSession as(Role role) {
        return new AdminSession(server).signedIn(AdminSession.user(server, role), key);
    }

    private void percentCampaign(String name, String code, int percent) {
        api().post("/v1/campaigns", Map.of("name", name, "type", "CODES", "codes", Map.of("mode", "UNIVERSAL",
                "code", code), "discount", Map.of("type", "PERCENT", "percent", percent)));
    }

    @Test
    void theCampaignListFiltersByStatusAndSearch() {
        percentCampaign("winter-sale", "WINTER", 10);
        percentCampaign("summer-sale", "SUMMER", 10);
        api().patch("/v1/campaigns/summer-sale", Map.of("active", false));
        AdminSession s = as(Role.VIEWER);
        assertThat(s.get("/admin/campaigns?status=paused").body()).contains("summer-sale").doesNotContain("winter-sale");
        assertThat(s.get("/admin/campaigns?q=WINT").body()).contains("winter-sale").doesNotContain("summer-sale");
    }

    @Test
    void theEditFormChangesTheDiscountAndRemovesAClearedLimit() {
        api().post("/v1/campaigns", Map.of("name", "edited", "type", "AUTO", "limits", Map.of("redemptions", 10),
                "discount", Map.of("type", "PERCENT", "percent", 10)));
        AdminSession s = as(Role.MARKETER);
        Map<String, String> form = new HashMap<>(Map.of("_csrf", s.csrf("/admin/campaigns/edited/edit"),
                "active", "on", "discount.type", "PERCENT", "discount.percent", "25", "limits.redemptions", ""));
        assertThat(s.post("/admin/campaigns/edited/edit", form).statusCode()).isEqualTo(303);
        var saved = api().get("/v1/campaigns/edited").json();
        assertThat(saved.at("/discount/percent").asInt()).isEqualTo(25);
        assertThat(saved.at("/limits/redemptions").isMissingNode() || saved.at("/limits/redemptions").isNull()).isTrue();
    }

    @Test
    void theLiveCheckAnswersTheFieldsMessageAndNothingWhenItIsFine() {
        AdminSession s = as(Role.MARKETER);
        String csrf = s.csrf("/admin/campaigns/new");
        Map<String, String> form = new HashMap<>(Map.of("_csrf", csrf, "_field", "condition", "name", "x",
                "type", "AUTO", "discount.type", "PERCENT", "discount.percent", "5"));
        form.put("condition", "order.subtotal >= 100");
        assertThat(s.post("/admin/campaigns/check", form).body()).isEmpty();
        form.put("condition", "order.nope");
        assertThat(s.post("/admin/campaigns/check", form).body()).contains("nope");
    }

    @Test
    void theTestPanelNamesALineItCannotRead() {
        percentCampaign("panel", "PANEL", 10);
        AdminSession s = as(Role.VIEWER);
        HttpResponse<String> r = s.post("/admin/campaigns/panel/test", Map.of("_csrf", s.csrf("/admin/campaigns/panel"),
                "test.items", "MUG, two, 1000"));
        assertThat(r.body()).contains("test.items").contains("line 1");
    }

    @Test
    void simulatingADraftOnPastOrdersCountsThem() {
        api().post("/v1/orders", Map.of("id", "o-1", "customer", "c-1", "status", "PAID", "currency", "USD",
                "items", List.of(Map.of("sku", "A", "quantity", 1, "price", 10000))));
        AdminSession s = as(Role.MARKETER);
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        Map<String, String> form = new HashMap<>(Map.of("_csrf", s.csrf("/admin/campaigns/new"), "name", "draft",
                "type", "AUTO", "discount.type", "PERCENT", "discount.percent", "10", "simulate.from", today,
                "simulate.to", today));
        String answer = s.post("/admin/campaigns/simulate", form).body();
        assertThat(answer).contains("1 paid orders, 1 would have matched, 1000 discount");
    }

    @Test
    void theDashboardShowsTheProjectsRedemptionsAndRefreshesAsAFragment() {
        percentCampaign("dash", "DASH", 10);
        api().post("/v1/redemptions", Map.of("customer", "c-1", "codes", List.of("DASH"), "order", Map.of("currency",
                "USD", "items", List.of(Map.of("sku", "A", "quantity", 1, "price", 5000)))));
        AdminSession s = as(Role.VIEWER);
        String live = s.get("/admin/dashboard/live").body();
        assertThat(live).startsWith("<div id=\"live\"").contains("aria-label=\"Redemptions per day\"")
                .contains("1 redemptions, 500 discount given").contains("<td>DASH</td>");
    }

    @Test
    void supportSearchesAndDisablesACodeRecordedAsTheUser() {
        percentCampaign("codes", "CODEONE", 10);
        String email = AdminSession.user(server, Role.SUPPORT);
        AdminSession s = new AdminSession(server).signedIn(email, key);
        assertThat(s.get("/admin/codes?campaign=codes&q=codeo").body()).contains("<td>CODEONE</td>");
        HttpResponse<String> r = s.post("/admin/codes/CODEONE/disable", Map.of("_csrf", s.csrf("/admin/codes")));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(api().get("/v1/codes/CODEONE").json().get("active").asBoolean()).isFalse();
        assertThat(api().get("/v1/audit?resource=code/CODEONE").json().at("/data/0/actor/name").asText()).isEqualTo(email);
    }

    @Test
    void anOwnerAddsAUserWhoCanSignIn() {
        AdminSession s = as(Role.OWNER);
        String email = "added-" + java.util.UUID.randomUUID() + "@example.com";
        HttpResponse<String> r = s.post("/admin/users", Map.of("_csrf", s.csrf("/admin/users"), "email", email,
                "role", "support", "password", AdminSession.PASSWORD));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(new AdminSession(server).signIn(email, AdminSession.PASSWORD).statusCode()).isEqualTo(303);
    }

    @Test
    void automationsAndWebhooksAreListed() {
        percentCampaign("welcome-code", "WELCOME", 10);
        api().post("/v1/campaigns", Map.of("name", "welcome", "type", "CODES", "codes", Map.of("mode", "UNIQUE",
                "pattern", "W-#####", "count", 2), "discount", Map.of("type", "AMOUNT", "amount", 100)));
        assertThat(api().post("/v1/webhooks", Map.of("name", "crm", "url", "https://crm.example.com/hooks",
                "events", List.of("code.published"), "secret", "s3cret")).status()).isEqualTo(201);
        assertThat(api().post("/v1/automations", Map.of("name", "greet", "on", "customer_created", "delay", "PT1H",
                "actions", List.of(Map.of("type", "PUBLISH_CODE", "campaign", "welcome")))).status()).isEqualTo(201);
        AdminSession s = as(Role.VIEWER);
        assertThat(s.get("/admin/automations").body()).contains(">greet</a></td>").contains("customer_created")
                .contains("PUBLISH_CODE");
        assertThat(s.get("/admin/webhooks").body()).contains(">crm</a></td>").contains("https://crm.example.com/hooks")
                .contains("ENABLED").doesNotContain("s3cret");
    }

    @Test
    void supportRollsARedemptionBackWithAReasonKeptWithIt() {
        percentCampaign("rb", "RB", 10);
        String id = api().post("/v1/redemptions", Map.of("customer", "c-1", "codes", List.of("RB"), "order",
                Map.of("currency", "USD", "items", List.of(Map.of("sku", "A", "quantity", 1, "price", 5000))))).json()
                .get("id").asText();
        AdminSession s = as(Role.SUPPORT);
        assertThat(s.get("/admin/redemptions").body()).contains(id);
        HttpResponse<String> r = s.post("/admin/redemptions/" + id + "/rollback",
                Map.of("_csrf", s.csrf("/admin/redemptions"), "reason", "order cancelled"));
        assertThat(r.statusCode()).isEqualTo(303);
        var rolledBack = api().get("/v1/redemptions/" + id).json();
        assertThat(rolledBack.get("status").asText()).isEqualTo("ROLLED_BACK");
        assertThat(rolledBack.get("rollbackReason").asText()).isEqualTo("order cancelled");
        assertThat(rolledBack.get("rolledBackBy").asText()).startsWith("user:usr_");
    }

    @Test
    void aMarketerMayNotRollARedemptionBack() {
        percentCampaign("rb2", "RBTWO", 10);
        String id = api().post("/v1/redemptions", Map.of("customer", "c-1", "codes", List.of("RBTWO"), "order",
                Map.of("currency", "USD", "items", List.of(Map.of("sku", "A", "quantity", 1, "price", 5000))))).json()
                .get("id").asText();
        AdminSession s = as(Role.MARKETER);
        assertThat(s.get("/admin/redemptions").body()).doesNotContain(">Roll back<");
        assertThat(s.post("/admin/redemptions/" + id + "/rollback", Map.of("_csrf", s.csrf("/admin/redemptions")))
                .statusCode()).isEqualTo(403);
    }
}
