package io.tessera.admin;

import static io.tessera.admin.AdminRoutes.params;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tessera.core.Failure;
import io.tessera.core.FieldError;
import io.tessera.core.Input;
import io.tessera.core.ProjectContext;
import io.tessera.project.ApprovalPolicy;
import io.tessera.project.ProjectService;
import io.tessera.project.SettingsChange;
import io.tessera.user.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * The project's settings page: its approval policy, changed by owners through the same service as
 * {@code PATCH /v1/project} (and so with the same {@code project.updated} audit entry); other roles read it.
 */
public final class SettingsPages implements AdminRoutes.Pages {
    static final String CAMPAIGNS = "approvals.campaigns", POINTS_ABOVE = "approvals.pointsAbove";
    private final ProjectService projects;

    SettingsPages(ProjectService projects) {
        this.projects = projects;
    }

    /** The page's content: the policy as stored, the form's fields (with what was refused), and whether it was saved. */
    public record View(ApprovalPolicy policy, List<CampaignForm.Field> fields, String notice) {
    }

    @Override
    public void register(AdminRoutes admin, RoutesConfig r) {
        admin.get(r, "/admin/settings", (ctx, a) -> {
            ApprovalPolicy policy = projects.approvals(a.requireProject());
            show(admin, ctx, a, 200, new View(policy, fields(policy.campaigns() ? "on" : "",
                    policy.pointsAbove() == null ? "" : policy.pointsAbove().toString(), List.of()),
                    ctx.queryParam("saved") != null ? "Settings saved." : null));
        });
        admin.post(r, "/admin/settings", Role.Permission.PROJECT, (ctx, a) -> save(admin, ctx, a));
    }

    private void save(AdminRoutes admin, Context ctx, AdminRoutes.Admin a) {
        ProjectContext p = a.requireProject();
        String campaigns = ctx.formParam(CAMPAIGNS) == null ? "" : "on";
        String above = ctx.formParam(POINTS_ABOVE) == null ? "" : ctx.formParam(POINTS_ABOVE).trim();
        // The form as the API's body, read by the API's own rules: the same checks, the same field names.
        ObjectNode body = AdminRoutes.object();
        ObjectNode approvals = body.putObject("approvals").put("campaigns", !campaigns.isEmpty());
        if (!above.isEmpty()) {
            try {
                approvals.put("pointsAbove", Long.parseLong(above));
            } catch (NumberFormatException e) {
                approvals.put("pointsAbove", above);
            }
        }
        try {
            Input in = Input.of(body);
            SettingsChange change = SettingsChange.read(in);
            in.check();
            projects.update(p, a.actor(), change, a.now());
            ctx.redirect("/admin/settings?saved=1", HttpStatus.SEE_OTHER);
        } catch (Failure.Invalid f) {
            show(admin, ctx, a, 422, new View(projects.approvals(p), fields(campaigns, above, f.errors()), null));
        }
    }

    private void show(AdminRoutes admin, Context ctx, AdminRoutes.Admin a, int status, View view) {
        admin.templates.page(ctx, status, "settings", params("frame", a.frame().page("Settings", "settings"),
                "view", view));
    }

    private static List<CampaignForm.Field> fields(String campaigns, String above, List<FieldError> errors) {
        List<CampaignForm.Field> out = new ArrayList<>();
        out.add(field(CAMPAIGNS, "Changes to active campaigns wait for approval", "checkbox", null, campaigns, errors));
        out.add(field(POINTS_ABOVE, "Points adjustments above", "number",
                "points, either way; leave empty so that no adjustment waits", above, errors));
        return out;
    }

    private static CampaignForm.Field field(String name, String label, String kind, String hint, String value,
                                            List<FieldError> errors) {
        String error = errors.stream().filter(e -> e.field().equals(name)).map(FieldError::message)
                .reduce((x, y) -> x + "; " + y).orElse(null);
        return new CampaignForm.Field(name, label, kind, List.of(), hint, false, value, error);
    }
}
