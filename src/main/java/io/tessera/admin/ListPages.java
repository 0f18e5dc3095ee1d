package io.tessera.admin;

import static io.tessera.admin.AdminRoutes.params;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import io.tessera.audit.AuditEntry;
import io.tessera.automation.AutomationService;
import io.tessera.webhook.Webhooks;
import io.tessera.audit.AuditLog;
import io.tessera.campaign.CampaignService;
import io.tessera.loyalty.LoyaltyReport;
import io.tessera.core.Page;
import io.tessera.redemption.RedemptionService;
import io.tessera.redemption.RedemptionView;
import io.tessera.user.Role;
import io.tessera.user.User;
import io.tessera.user.UserService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Read-only lists (redemptions with rollback, loyalty programs, automations, webhooks, the audit log) and
 * the users page.
 */
final class ListPages implements AdminRoutes.Pages {
    private static final int SHOWN = 100;
    private final RedemptionService redemptions;
    private final AuditLog audit;
    private final UserService users;
    private final CampaignService campaigns;
    private final LoyaltyReport loyalty;

    private final AutomationService automations;
    private final Webhooks webhooks;

    ListPages(RedemptionService redemptions, AuditLog audit, UserService users,
              CampaignService campaigns, LoyaltyReport loyalty, AutomationService automations, Webhooks webhooks) {
        this.automations = automations;
        this.webhooks = webhooks;
        this.campaigns = campaigns;
        this.loyalty = loyalty;
        this.redemptions = redemptions;
        this.audit = audit;
        this.users = users;
    }

    @Override
    public void register(AdminRoutes admin, RoutesConfig r) {
        admin.get(r, "/admin/redemptions", (ctx, a) -> {
            List<RedemptionView> shown = a.project() == null ? List.of() : redemptions.list(a.project(),
                    new RedemptionService.Filter(null, null, null, null), new Page.Request(SHOWN, null)).data();
            admin.page(ctx, "redemptions", params("frame", a.frame().page("Redemptions", "redemptions"),
                    "redemptions", shown));
        });
        admin.post(r, "/admin/redemptions/{id}/rollback", Role.Permission.REDEMPTIONS, (ctx, a) -> {
            String reason = ctx.formParam("reason");
            if (reason != null && reason.length() > 1000)
                throw io.tessera.core.Failure.invalid("reason", "at most 1000 characters");
            redemptions.rollback(a.requireProject(), a.actor(), ctx.pathParam("id"),
                    reason == null || reason.isBlank() ? null : reason.trim(), a.now());
            ctx.redirect("/admin/redemptions", HttpStatus.SEE_OTHER);
        });
        admin.get(r, "/admin/audit", (ctx, a) -> {
            List<List<String>> rows = new ArrayList<>();
            if (a.project() != null) {
                for (AuditEntry e : audit.list(a.project().id(), new AuditLog.Filter(null, null, null, null, null),
                        new Page.Request(SHOWN, null)).data()) {
                    rows.add(List.of(String.valueOf(e.at()), e.actor().type() + ": " + str(e.actor().name()), e.action(),
                            e.resource()));
                }
            }
            table(admin, ctx, a, "Audit log", "audit", "The latest " + SHOWN + " changes of this project, newest first.",
                    List.of("At", "Actor", "Action", "Resource"), rows);
        });
        admin.get(r, "/admin/loyalty", (ctx, a) -> {
            List<List<String>> rows = new ArrayList<>();
            if (a.project() != null) {
                for (var c : AdminRoutes.all(page -> campaigns.list(a.project(), false, page), 10_000)) {
                    if (c.promotion().kind() != io.tessera.discount.PromotionKind.LOYALTY) continue;
                    LoyaltyReport.Report rep = loyalty.report(a.project(), c.name(), null, null, a.now());
                    rows.add(List.of(c.name(), Long.toString(rep.members()), Long.toString(rep.outstanding()),
                            rep.outstandingValue() == null ? "" : Long.toString(rep.outstandingValue()),
                            Long.toString(rep.earned()), Long.toString(rep.spent()), Long.toString(rep.expired())));
                }
            }
            table(admin, ctx, a, "Loyalty", "loyalty", "Each loyalty program's report over its whole history.",
                    List.of("Program", "Members", "Points outstanding", "Value outstanding", "Earned", "Spent", "Expired"),
                    rows);
        });
        admin.get(r, "/admin/automations", (ctx, a) -> {
            List<List<String>> rows = new ArrayList<>();
            if (a.project() != null) {
                for (Map<String, Object> v : automations.list(a.project(), new Page.Request(SHOWN, null)).data()) {
                    List<String> actions = new ArrayList<>();
                    if (v.get("actions") instanceof com.fasterxml.jackson.databind.JsonNode list) {
                        list.forEach(x -> actions.add(x.path("type").asText()));
                    }
                    rows.add(List.of(str(v.get("name")), str(v.get("on")), str(v.get("delay")),
                            String.join(", ", actions), Boolean.TRUE.equals(v.get("active")) ? "active" : "paused"));
                }
            }
            table(admin, ctx, a, "Automations", "automations", "The project's automations (the runs log of each is "
                    + "GET /v1/automations/{name}/runs).", List.of("Name", "On", "Delay", "Actions", "Status"), rows);
        });
        admin.get(r, "/admin/webhooks", (ctx, a) -> {
            List<List<String>> rows = new ArrayList<>();
            if (a.project() != null) {
                // Through the interface: the view type stays private to its package.
                Page<?> page = ((io.tessera.core.NamedResources) webhooks).list(a.project(), new Page.Request(SHOWN, null));
                for (Object item : page.data()) {
                    // As the API shows it (the secret is never part of it).
                    var w = io.tessera.core.Json.MAPPER.valueToTree(item);
                    List<String> events = new ArrayList<>();
                    w.path("events").forEach(e -> events.add(e.asText()));
                    String reason = w.path("disabledReason").asText("");
                    rows.add(List.of(w.path("name").asText(), w.path("url").asText(), String.join(", ", events),
                            w.path("rateLimit").asText(), w.path("status").asText()
                                    + (reason.isEmpty() || reason.equals("null") ? "" : " (" + reason + ")")));
                }
            }
            table(admin, ctx, a, "Webhooks", "webhooks", "The project's webhooks (deliveries: GET "
                    + "/v1/webhooks/{name}/deliveries).", List.of("Name", "URL", "Events", "Per second", "Status"), rows);
        });
        admin.get(r, "/admin/users", (ctx, a) -> users(admin, ctx, a, 200, "", "", List.of()));
        admin.post(r, "/admin/users", Role.Permission.USERS, (ctx, a) -> {
            String email = ctx.formParam("email");
            try {
                users.create(a.actor(), email, Role.parse(ctx.formParam("role")), ctx.formParam("password"), a.now());
                ctx.redirect("/admin/users", HttpStatus.SEE_OTHER);
            } catch (io.tessera.core.Failure f) {
                users(admin, ctx, a, Math.max(400, io.tessera.http.Problems.status(f)), email, ctx.formParam("role"),
                        f.errors());
            }
        });
        admin.post(r, "/admin/users/role", Role.Permission.USERS, (ctx, a) -> {
            users.changeRole(a.actor(), ctx.formParam("email"), Role.parse(ctx.formParam("role")), a.now());
            ctx.redirect("/admin/users", HttpStatus.SEE_OTHER);
        });
    }

    private void users(AdminRoutes admin, io.javalin.http.Context ctx, AdminRoutes.Admin a, int status, String email,
                       String role, List<io.tessera.core.FieldError> errors) {
        List<User> all = users.list();
        admin.templates.page(ctx, status, "users", params("frame", a.frame().page("Users", "users"), "users", all,
                "log", users.log(SHOWN), "roles", List.of(Role.values()), "email", email == null ? "" : email,
                "role", role == null ? "" : role, "errors", errors));
    }

    private static void table(AdminRoutes admin, io.javalin.http.Context ctx, AdminRoutes.Admin a, String heading,
                              String section, String intro, List<String> headers, List<List<String>> rows) {
        admin.page(ctx, "table", params("frame", a.frame().page(heading, section), "intro", intro, "headers", headers,
                "rows", rows));
    }

    /** A value as text: JSON values (an automation's definition) without their quotes. */
    private static String str(Object s) {
        if (s instanceof com.fasterxml.jackson.databind.JsonNode n) return n.isNull() ? "" : n.asText();
        return s == null ? "" : s.toString();
    }
}
