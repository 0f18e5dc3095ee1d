package io.tessera.admin;

import static io.tessera.admin.AdminRoutes.params;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import io.tessera.core.Page;
import io.tessera.redemption.RedemptionService;
import io.tessera.redemption.RedemptionView;
import io.tessera.user.Role;
import io.tessera.user.User;
import io.tessera.user.UserService;
import java.util.List;

/**
 * Redemptions (with rollback) and the users page.
 */
final class ListPages implements AdminRoutes.Pages {
    private static final int SHOWN = 100;
    private final RedemptionService redemptions;
    private final UserService users;

    ListPages(RedemptionService redemptions, UserService users) {
        this.redemptions = redemptions;
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
}
