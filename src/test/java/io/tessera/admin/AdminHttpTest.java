package io.tessera.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.ServerPerDatabase;
import io.tessera.user.Role;
import io.tessera.user.UserService;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin UI's security over plain HTTP: sessions, cookies, CSRF, throttling, the CSP header and roles. */
class AdminHttpTest extends ServerPerDatabase {

    private AdminSession session() {
        return new AdminSession(server);
    }

    private static Map<String, String> campaign(String csrf, String name) {
        return Map.of("_csrf", csrf, "name", name, "type", "CODES", "active", "on", "codes.mode", "UNIVERSAL",
                "codes.code", name.toUpperCase(), "discount.type", "PERCENT", "discount.percent", "10");
    }

    @Test
    void aSignedOutVisitorIsSentToTheSignInForm() {
        HttpResponse<String> r = session().get("/admin/dashboard");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/admin/sign-in");
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteAndNotSecureOverPlainHttp() {
        HttpResponse<String> r = session().signIn(AdminSession.user(server, Role.VIEWER), AdminSession.PASSWORD);
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("tessera_session=").contains("HttpOnly", "SameSite=Lax", "Path=/admin")
                .doesNotContain("Secure");
    }

    @Test
    void cookiesAreSecureBehindAnHttpsProxy() {
        HttpResponse<String> r = session().header("X-Forwarded-Proto", "https").get("/admin/sign-in");
        assertThat(r.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");
    }

    @Test
    void aWrongPasswordIsRefused() {
        HttpResponse<String> r = session().signIn(AdminSession.user(server, Role.OWNER), "wrong password!");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("Wrong email or password");
    }

    @Test
    void signInIsThrottledAfterRepeatedFailuresForOneEmail() {
        String email = AdminSession.user(server, Role.OWNER);
        for (int i = 0; i < UserService.MAX_FAILURES_PER_EMAIL; i++) session().signIn(email, "wrong password!");
        HttpResponse<String> r = session().signIn(email, AdminSession.PASSWORD);
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void everyAdminPageCarriesAContentSecurityPolicyWithoutInlineScripts() {
        HttpResponse<String> r = session().get("/admin/sign-in");
        String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
    }

    @Test
    void aFormPostWithoutItsCsrfTokenIsRefusedAndChangesNothing() {
        AdminSession s = session().signedIn(AdminSession.user(server, Role.OWNER), key);
        Map<String, String> form = new java.util.HashMap<>(campaign("", "nocsrf"));
        form.remove("_csrf");
        HttpResponse<String> r = s.post("/admin/campaigns", form);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(api().get("/v1/campaigns/nocsrf").status()).isEqualTo(404);
    }

    @Test
    void aSignInPostWithoutItsTokenIsRefused() {
        HttpResponse<String> r = session().post("/admin/sign-in", Map.of("email", AdminSession.user(server, Role.OWNER),
                "password", AdminSession.PASSWORD));
        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void aViewerSeesNoControlToChangeACampaign() {
        api().post("/v1/campaigns", Map.of("name", "shown", "type", "AUTO", "discount", Map.of("type", "PERCENT", "percent", 5)));
        AdminSession s = session().signedIn(AdminSession.user(server, Role.VIEWER), key);
        HttpResponse<String> list = s.get("/admin/campaigns");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("shown").doesNotContain("New campaign");
        assertThat(s.get("/admin/campaigns/shown").body()).contains("<h1>shown</h1>").doesNotContain(">Pause<")
                .doesNotContain(">Archive<");
    }

    @Test
    void aViewerPostingAChangeAnywayIsRefused() {
        api().post("/v1/campaigns", Map.of("name", "kept", "type", "AUTO", "discount", Map.of("type", "PERCENT", "percent", 5)));
        AdminSession s = session().signedIn(AdminSession.user(server, Role.VIEWER), key);
        HttpResponse<String> r = s.post("/admin/campaigns/kept/archive", Map.of("_csrf", s.csrf("/admin/dashboard")));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(api().get("/v1/campaigns/kept").json().get("archived").asBoolean()).isFalse();
    }

    @Test
    void aMarketerCreatesACampaignRecordedInTheAuditLogAsThemselves() {
        String email = AdminSession.user(server, Role.MARKETER);
        AdminSession s = session().signedIn(email, key);
        HttpResponse<String> r = s.post("/admin/campaigns", campaign(s.csrf("/admin/campaigns/new"), "spring"));
        assertThat(r.statusCode()).isEqualTo(303);
        var entry = api().get("/v1/audit?resource=campaign/spring").json().at("/data/0");
        assertThat(entry.at("/actor/type").asText()).isEqualTo("user");
        assertThat(entry.at("/actor/name").asText()).isEqualTo(email);
    }

    @Test
    void aMarketerCannotManageUsers() {
        AdminSession s = session().signedIn(AdminSession.user(server, Role.MARKETER), key);
        HttpResponse<String> r = s.post("/admin/users", Map.of("_csrf", s.csrf("/admin/dashboard"),
                "email", "someone@example.com", "role", "owner", "password", "long enough password"));
        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void signingOutEndsTheSession() {
        AdminSession s = session().signedIn(AdminSession.user(server, Role.VIEWER), key);
        s.post("/admin/sign-out", Map.of("_csrf", s.csrf("/admin/dashboard")));
        assertThat(s.get("/admin/dashboard").statusCode()).isEqualTo(303);
    }

    @Test
    void aRefusedFieldIsMarkedInvalidAndDescribedByItsMessage() {
        AdminSession s = session().signedIn(AdminSession.user(server, Role.OWNER), key);
        Map<String, String> form = new java.util.HashMap<>(campaign(s.csrf("/admin/campaigns/new"), "bad"));
        form.put("condition", "order.subtotl > 1");
        String page = s.post("/admin/campaigns", form).body();
        assertThat(page).containsPattern("id=\"f-condition\"[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"f-condition-error");
        assertThat(page).containsPattern("<span id=\"f-condition-error\" class=\"error\">[^<]*subtotl");
    }
}
