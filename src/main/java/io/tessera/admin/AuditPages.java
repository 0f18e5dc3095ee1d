package io.tessera.admin;

import static io.tessera.admin.AdminRoutes.params;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tessera.approval.Approvals;
import io.tessera.audit.AuditEntry;
import io.tessera.audit.AuditLog;
import io.tessera.audit.Diff;
import io.tessera.core.Failure;
import io.tessera.core.Page;
import io.tessera.core.ProjectContext;
import io.tessera.user.Role;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit log (filtered by actor, entity type, action and days, each entry's before and after shown as a diff) and
 * the approvals page (owners approve or reject the changes waiting for them).
 */
public final class AuditPages implements AdminRoutes.Pages {
    /** The kinds of resource the audit log names (the part of {@code resource} before its first "/"). */
    public static final List<String> TYPES = List.of("approval", "api-key", "automation", "campaign", "code",
            "customer", "loyalty-member", "loyalty-reward", "project", "segment", "webhook");
    private static final int SHOWN = 50;
    private final AuditLog audit;
    private final Approvals approvals;

    AuditPages(AuditLog audit, Approvals approvals) {
        this.audit = audit;
        this.approvals = approvals;
    }

    /** An entry with its changes. */
    public record Row(AuditEntry entry, List<Diff.Change> changes) {
    }

    /** The filters as typed (shown back in the form), the entries, and the link to older ones (null: none). */
    public record Listing(String actor, String type, String action, String from, String to, List<Row> entries,
                          String older) {
    }

    @Override
    public void register(AdminRoutes admin, RoutesConfig r) {
        admin.get(r, "/admin/audit", (ctx, a) -> admin.page(ctx, "audit", params("frame",
                a.frame().page("Audit log", "audit"), "listing", listing(ctx, a.project()))));
        admin.get(r, "/admin/approvals", (ctx, a) -> approvals(admin, ctx, a));
        admin.post(r, "/admin/approvals/{id}/approve", Role.Permission.APPROVALS, (ctx, a) -> {
            approvals.approve(a.requireProject(), a.actor(), ctx.pathParam("id"), a.now());
            ctx.redirect("/admin/approvals", HttpStatus.SEE_OTHER);
        });
        admin.post(r, "/admin/approvals/{id}/reject", Role.Permission.APPROVALS, (ctx, a) -> {
            approvals.reject(a.requireProject(), a.actor(), ctx.pathParam("id"), a.now());
            ctx.redirect("/admin/approvals", HttpStatus.SEE_OTHER);
        });
    }

    private void approvals(AdminRoutes admin, Context ctx, AdminRoutes.Admin a) {
        ProjectContext p = a.project();
        String requested = ctx.queryParam("requested");
        admin.page(ctx, "approvals", params("frame", a.frame().page("Approvals", "approvals"),
                "policy", p == null ? io.tessera.project.ApprovalPolicy.NONE : approvals.policy(p),
                "pending", p == null ? List.of() : approvals.pending(p, SHOWN),
                "decided", p == null ? List.of() : approvals.decided(p, SHOWN),
                "notice", requested == null ? null : "Your change waits for an owner's approval."));
    }

    private Listing listing(Context ctx, ProjectContext p) {
        String actor = text(ctx, "actor"), type = text(ctx, "type"), action = text(ctx, "action");
        String from = text(ctx, "from"), to = text(ctx, "to");
        if (p == null) return new Listing(actor, type, action, from, to, List.of(), null);
        Instant start = from.isEmpty() ? null : day(from, "from").atStartOfDay(p.zone()).toInstant();
        Instant end = to.isEmpty() ? null : day(to, "to").plusDays(1).atStartOfDay(p.zone()).toInstant();
        Page<AuditEntry> page = audit.list(p.id(), new AuditLog.Filter(null, blank(actor), blank(action), start, end,
                blank(type)), new Page.Request(SHOWN, ctx.queryParam("cursor")));
        List<Row> rows = new ArrayList<>();
        for (AuditEntry e : page.data()) rows.add(new Row(e, Diff.of(e.before(), e.after())));
        String older = null;
        if (page.nextCursor() != null) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("actor", actor);
            q.put("type", type);
            q.put("action", action);
            q.put("from", from);
            q.put("to", to);
            q.put("cursor", page.nextCursor());
            StringBuilder b = new StringBuilder("/admin/audit");
            q.forEach((k, v) -> {
                if (!v.isEmpty()) b.append(b.indexOf("?") < 0 ? '?' : '&').append(k).append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            });
            older = b.toString();
        }
        return new Listing(actor, type, action, from, to, rows, older);
    }

    private static LocalDate day(String text, String field) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw Failure.invalid(field, "must be a day (YYYY-MM-DD)");
        }
    }

    private static String text(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null ? "" : v.trim();
    }

    private static String blank(String s) {
        return s.isEmpty() ? null : s;
    }
}
