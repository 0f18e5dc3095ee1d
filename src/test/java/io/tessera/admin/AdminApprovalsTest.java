package io.tessera.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.user.Role;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Approvals over plain HTTP: the project's policy, who is subject to it (users who are not owners, in the UI; never API
 * keys), points adjustments above the threshold, rejection, the audit entries; and what a viewer may not post.
 */
class AdminApprovalsTest extends ServerPerDatabase {
    private static final Pattern PENDING = Pattern.compile("action=\"/admin/approvals/(apr_[^/]+)/approve\"");

    private AdminSession as(Role role, String email) {
        return new AdminSession(server).signedIn(email, key);
    }

    private void loyaltyProgram() {
        assertThat(api().post("/v1/campaigns", Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of("earning",
                List.of(Map.of("name", "base", "on", "order_paid", "points", "order.total / 100"))))).status())
                .isEqualTo(201);
    }

    private long balance(String customer) {
        return api().get("/v1/loyalty/stars/members/" + customer).json().get("balance").asLong();
    }

    @Test
    void thePolicyIsAProjectSettingValidatedByFieldAndTurnedOffWithNull() {
        assertThat(api().get("/v1/project").json().get("approvals").isNull()).isTrue();
        var refused = api().patch("/v1/project", Map.of("approvals", Map.of("pointsAbove", -1)));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.toString()).contains("approvals.pointsAbove");
        assertThat(api().patch("/v1/project", Map.of("approvals", Map.of("campaigns", true, "pointsAbove", 1000)))
                .json().get("approvals").toString()).isEqualTo("{\"campaigns\":true,\"pointsAbove\":1000}");
        java.util.Map<String, Object> off = new java.util.HashMap<>();
        off.put("approvals", null);
        assertThat(api().patch("/v1/project", off).json().get("approvals").isNull()).isTrue();
    }

    @Test
    void apiKeysAndOwnersAreNotSubjectToApprovals() {
        api().patch("/v1/project", Map.of("approvals", Map.of("campaigns", true)));
        api().post("/v1/campaigns", Map.of("name", "free", "type", "AUTO", "discount", Map.of("type", "PERCENT",
                "percent", 5)));
        assertThat(api().patch("/v1/campaigns/free", Map.of("discount", Map.of("percent", 7))).json()
                .at("/discount/percent").asInt()).isEqualTo(7);
        AdminSession owner = as(Role.OWNER, AdminSession.user(server, Role.OWNER));
        HttpResponse<String> r = owner.post("/admin/campaigns/free/pause", Map.of("_csrf",
                owner.csrf("/admin/campaigns/free")));
        assertThat(r.headers().firstValue("Location")).hasValue("/admin/campaigns/free");
        assertThat(api().get("/v1/campaigns/free").json().get("active").asBoolean()).isFalse();
    }

    @Test
    void aSupportUsersLargeAdjustmentWaitsAndARejectionAppliesNothing() {
        loyaltyProgram();
        api().patch("/v1/project", Map.of("approvals", Map.of("pointsAbove", 1000)));
        String support = AdminSession.user(server, Role.SUPPORT);
        AdminSession s = as(Role.SUPPORT, support);
        String csrf = s.csrf("/admin/loyalty/stars");
        // At the threshold it applies at once...
        assertThat(s.post("/admin/loyalty/stars/adjust", Map.of("_csrf", csrf, "adjust.customer", "c-1",
                "adjust.points", "1000", "adjust.reason", "goodwill")).headers().firstValue("Location"))
                .hasValue("/admin/loyalty/stars");
        assertThat(balance("c-1")).isEqualTo(1000);
        // ...above it, it waits.
        HttpResponse<String> r = s.post("/admin/loyalty/stars/adjust", Map.of("_csrf", csrf, "adjust.customer", "c-1",
                "adjust.points", "5000", "adjust.reason", "complaint"));
        assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith("/admin/approvals?requested=apr_");
        assertThat(balance("c-1")).isEqualTo(1000);

        AdminSession owner = as(Role.OWNER, AdminSession.user(server, Role.OWNER));
        String page = owner.get("/admin/approvals").body();
        assertThat(page).contains("points.adjust").contains("balance").contains("1000").contains("6000");
        Matcher m = PENDING.matcher(page);
        assertThat(m.find()).isTrue();
        String id = m.group(1);
        assertThat(owner.post("/admin/approvals/" + id + "/reject", Map.of("_csrf", owner.csrf("/admin/approvals")))
                .statusCode()).isEqualTo(303);
        assertThat(balance("c-1")).isEqualTo(1000);
        // Decided once: approving it now is refused and changes nothing.
        assertThat(owner.post("/admin/approvals/" + id + "/approve", Map.of("_csrf", owner.csrf("/admin/approvals")))
                .statusCode()).isEqualTo(409);
        assertThat(balance("c-1")).isEqualTo(1000);
        JsonNode log = api().get("/v1/audit?type=approval").json().get("data");
        assertThat(log.get(0).get("action").asText()).isEqualTo("approval.rejected");
        assertThat(log.get(1).get("action").asText()).isEqualTo("approval.requested");
        assertThat(log.get(1).at("/actor/name").asText()).isEqualTo(support);
    }

    @Test
    void anApprovedAdjustmentIsAuditedWithTheApproverAsActorAndTheRequester() {
        loyaltyProgram();
        api().patch("/v1/project", Map.of("approvals", Map.of("pointsAbove", 10)));
        String support = AdminSession.user(server, Role.SUPPORT);
        AdminSession s = as(Role.SUPPORT, support);
        s.post("/admin/loyalty/stars/adjust", Map.of("_csrf", s.csrf("/admin/loyalty/stars"), "adjust.customer", "c-2",
                "adjust.points", "500"));
        String ownerEmail = AdminSession.user(server, Role.OWNER);
        AdminSession owner = as(Role.OWNER, ownerEmail);
        Matcher m = PENDING.matcher(owner.get("/admin/approvals").body());
        assertThat(m.find()).isTrue();
        owner.post("/admin/approvals/" + m.group(1) + "/approve", Map.of("_csrf", owner.csrf("/admin/approvals")));
        assertThat(balance("c-2")).isEqualTo(500);
        JsonNode entry = api().get("/v1/audit?action=loyalty-member.adjusted").json().at("/data/0");
        assertThat(entry.at("/actor/name").asText()).isEqualTo(ownerEmail);
        assertThat(entry.at("/requestedBy/name").asText()).isEqualTo(support);
    }

    @Test
    void aViewerMayNotPostToTheNewPages() {
        loyaltyProgram();
        AdminSession v = as(Role.VIEWER, AdminSession.user(server, Role.VIEWER));
        String csrf = v.csrf("/admin/loyalty");
        for (String path : List.of("/admin/loyalty/stars/settings", "/admin/loyalty/stars/rewards",
                "/admin/loyalty/stars/adjust", "/admin/automations/x/deactivate", "/admin/webhooks/x/recover",
                "/admin/webhooks/x/deliveries/d/retry", "/admin/approvals/apr_x/approve",
                "/admin/approvals/apr_x/reject")) {
            assertThat(v.post(path, Map.of("_csrf", csrf)).statusCode()).as(path).isEqualTo(403);
        }
    }

    @Test
    void onlyAnOwnerSetsThePolicyInTheSettingsFormCheckedAsTheApiChecksItAndAudited() {
        AdminSession marketer = as(Role.MARKETER, AdminSession.user(server, Role.MARKETER));
        String page = marketer.get("/admin/settings").body();
        assertThat(page).contains("<h1>Settings</h1>").doesNotContain("Save settings");
        // Refused when posted anyway, and nothing changes.
        assertThat(marketer.post("/admin/settings", Map.of("_csrf", marketer.csrf("/admin/settings"),
                "approvals.campaigns", "on")).statusCode()).isEqualTo(403);
        assertThat(api().get("/v1/project").json().get("approvals").isNull()).isTrue();

        String ownerEmail = AdminSession.user(server, Role.OWNER);
        AdminSession owner = as(Role.OWNER, ownerEmail);
        String csrf = owner.csrf("/admin/settings");
        assertThat(owner.post("/admin/settings", Map.of("approvals.campaigns", "on")).statusCode()).isEqualTo(403);
        HttpResponse<String> refused = owner.post("/admin/settings", Map.of("_csrf", csrf, "approvals.campaigns", "on",
                "approvals.pointsAbove", "-5"));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).containsPattern("id=\"f-approvals-pointsAbove\"[^>]*aria-invalid=\"true\"")
                .contains("id=\"f-approvals-pointsAbove-error\" class=\"error\">must be");
        assertThat(api().get("/v1/project").json().get("approvals").isNull()).isTrue();

        HttpResponse<String> saved = owner.post("/admin/settings", Map.of("_csrf", csrf, "approvals.campaigns", "on",
                "approvals.pointsAbove", "250"));
        assertThat(saved.headers().firstValue("Location")).hasValue("/admin/settings?saved=1");
        assertThat(api().get("/v1/project").json().get("approvals").toString())
                .isEqualTo("{\"campaigns\":true,\"pointsAbove\":250}");
        JsonNode entry = api().get("/v1/audit?action=project.updated").json().at("/data/0");
        assertThat(entry.at("/actor/name").asText()).isEqualTo(ownerEmail);
        // Both off: the project has no policy again, as PATCH /v1/project with "approvals": null leaves it.
        owner.post("/admin/settings", Map.of("_csrf", csrf, "approvals.pointsAbove", ""));
        assertThat(api().get("/v1/project").json().get("approvals").isNull()).isTrue();
    }
}
