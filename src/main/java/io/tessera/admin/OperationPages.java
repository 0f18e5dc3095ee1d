package io.tessera.admin;

import static io.tessera.admin.AdminRoutes.params;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tessera.automation.AutomationService;
import io.tessera.core.Failure;
import io.tessera.core.Json;
import io.tessera.core.NamedResources;
import io.tessera.core.Page;
import io.tessera.core.ProjectContext;
import io.tessera.user.Role;
import io.tessera.webhook.Webhooks;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Automations (activate, deactivate, each one's runs) and webhooks (each one's deliveries, retrying one, recovering the
 * failed ones since an instant), through the services of {@code /v1/automations} and {@code /v1/webhooks}.
 */
public final class OperationPages implements AdminRoutes.Pages {
    private static final int SHOWN = 50;
    private final AutomationService automations;
    private final Webhooks webhooks;

    OperationPages(AutomationService automations, Webhooks webhooks) {
        this.automations = automations;
        this.webhooks = webhooks;
    }

    /** A list row: its cells, the link of its first cell, and its status. */
    public record Item(String name, String href, List<String> cells, boolean active) {
    }

    /** A log line (a run or a delivery) as cells, with its id. */
    public record Line(String id, List<String> cells) {
    }

    /** A page of a log: its lines, the status shown (empty: all) and the link to older lines (null: none). */
    public record Log(String name, String status, List<String> statuses, List<String> headers, List<Line> lines,
                      String older) {
    }

    @Override
    public void register(AdminRoutes admin, RoutesConfig r) {
        admin.get(r, "/admin/automations", (ctx, a) -> {
            List<Item> items = new ArrayList<>();
            if (a.project() != null) {
                for (Map<String, Object> v : automations.list(a.project(), new Page.Request(SHOWN * 2, null)).data()) {
                    List<String> actions = new ArrayList<>();
                    if (v.get("actions") instanceof JsonNode list) list.forEach(x -> actions.add(x.path("type").asText()));
                    String name = str(v.get("name"));
                    boolean active = Boolean.TRUE.equals(v.get("active"));
                    items.add(new Item(name, "/admin/automations/" + enc(name), List.of(str(v.get("on")),
                            str(v.get("delay")), String.join(", ", actions), active ? "active" : "paused"), active));
                }
            }
            admin.page(ctx, "automations", params("frame", a.frame().page("Automations", "automations"),
                    "items", items));
        });
        admin.post(r, "/admin/automations/{name}/activate", Role.Permission.AUTOMATIONS, (ctx, a) -> active(ctx, a, true));
        admin.post(r, "/admin/automations/{name}/deactivate", Role.Permission.AUTOMATIONS,
                (ctx, a) -> active(ctx, a, false));
        admin.get(r, "/admin/automations/{name}", (ctx, a) -> {
            ProjectContext p = a.requireProject();
            String name = ctx.pathParam("name");
            Map<String, Object> v = automations.get(p, name);
            String status = status(ctx);
            Page<Map<String, Object>> page = automations.runs(p, name, status.isEmpty() ? null : status, null,
                    new Page.Request(SHOWN, ctx.queryParam("cursor")));
            List<Line> lines = new ArrayList<>();
            for (Map<String, Object> run : page.data()) {
                lines.add(new Line(str(run.get("id")), List.of(str(run.get("id")), str(run.get("customer")),
                        str(run.get("trigger")), str(run.get("dueAt")), str(run.get("status")),
                        str(run.get("finishedAt")), str(run.get("error")), str(run.get("outputs")))));
            }
            Log log = new Log(name, status, List.of("SCHEDULED", "DONE", "SKIPPED", "FAILED"), List.of("Run", "Customer",
                    "Trigger", "Due", "Status", "Finished", "Error", "Output"), lines,
                    older("/admin/automations/" + enc(name), status, page.nextCursor()));
            admin.page(ctx, "automation", params("frame", a.frame().page(name, "automations"), "log", log,
                    "active", Boolean.TRUE.equals(v.get("active")), "definition", AdminRoutes.pretty(Json.MAPPER
                            .valueToTree(v))));
        });

        admin.get(r, "/admin/webhooks", (ctx, a) -> {
            List<Item> items = new ArrayList<>();
            if (a.project() != null) {
                // Through the interface: the view type stays private to its package (the secret is never part of it).
                Page<?> page = ((NamedResources) webhooks).list(a.project(), new Page.Request(SHOWN * 2, null));
                for (Object item : page.data()) {
                    JsonNode w = Json.MAPPER.valueToTree(item);
                    List<String> events = new ArrayList<>();
                    w.path("events").forEach(e -> events.add(e.asText()));
                    String reason = w.path("disabledReason").asText("");
                    String name = w.path("name").asText();
                    items.add(new Item(name, "/admin/webhooks/" + enc(name), List.of(w.path("url").asText(),
                            String.join(", ", events), w.path("rateLimit").asText(), w.path("status").asText()
                                    + (reason.isEmpty() || reason.equals("null") ? "" : " (" + reason + ")")),
                            w.path("status").asText().equals("ENABLED")));
                }
            }
            admin.page(ctx, "webhooks", params("frame", a.frame().page("Webhooks", "webhooks"), "items", items));
        });
        admin.get(r, "/admin/webhooks/{name}", (ctx, a) -> {
            ProjectContext p = a.requireProject();
            String name = ctx.pathParam("name");
            String status = status(ctx);
            Page<Map<String, Object>> page = webhooks.deliveries(p, name, status.isEmpty() ? null : status,
                    new Page.Request(SHOWN, ctx.queryParam("cursor")));
            List<Line> lines = new ArrayList<>();
            for (Map<String, Object> d : page.data()) {
                lines.add(new Line(str(d.get("id")), List.of(str(d.get("id")), str(d.get("type")), str(d.get("status")),
                        str(d.get("attempts")), str(d.get("nextAttemptAt")), str(d.get("responseStatus")),
                        str(d.get("durationMs")), str(d.get("createdAt")))));
            }
            Log log = new Log(name, status, List.of("PENDING", "DELIVERED", "FAILED", "SKIPPED"), List.of("Delivery",
                    "Event", "Status", "Attempts", "Next attempt", "Response", "Duration (ms)", "Created"), lines,
                    older("/admin/webhooks/" + enc(name), status, page.nextCursor()));
            admin.page(ctx, "webhook", params("frame", a.frame().page(name, "webhooks"), "log", log));
        });
        admin.get(r, "/admin/webhooks/{name}/deliveries/{id}", (ctx, a) -> {
            Map<String, Object> d = webhooks.delivery(a.requireProject(), ctx.pathParam("name"), ctx.pathParam("id"));
            admin.page(ctx, "delivery", params("frame", a.frame().page("Delivery " + d.get("id"), "webhooks"),
                    "webhook", ctx.pathParam("name"), "id", str(d.get("id")), "status", str(d.get("status")),
                    "detail", AdminRoutes.pretty(Json.MAPPER.valueToTree(d))));
        });
        admin.post(r, "/admin/webhooks/{name}/deliveries/{id}/retry", Role.Permission.WEBHOOKS, (ctx, a) -> {
            webhooks.retry(a.requireProject(), ctx.pathParam("name"), ctx.pathParam("id"), a.now());
            ctx.redirect("/admin/webhooks/" + enc(ctx.pathParam("name")), HttpStatus.SEE_OTHER);
        });
        admin.post(r, "/admin/webhooks/{name}/recover", Role.Permission.WEBHOOKS, (ctx, a) -> {
            ProjectContext p = a.requireProject();
            String since = ctx.formParam("since");
            LocalDateTime local;
            try {
                local = LocalDateTime.parse(since == null ? "" : since.trim());
            } catch (DateTimeParseException e) {
                throw Failure.invalid("since", "must be a date and time (YYYY-MM-DDTHH:MM)");
            }
            webhooks.recover(p, ctx.pathParam("name"), AdminRoutes.object().put("since",
                    local.atZone(p.zone()).toInstant().toString()), a.now());
            ctx.redirect("/admin/webhooks/" + enc(ctx.pathParam("name")), HttpStatus.SEE_OTHER);
        });
    }

    private void active(Context ctx, AdminRoutes.Admin a, boolean active) {
        String name = ctx.pathParam("name");
        automations.patch(a.requireProject(), a.actor(), name, AdminRoutes.object().put("active", active), a.now());
        ctx.redirect("/admin/automations", HttpStatus.SEE_OTHER);
    }

    private static String status(Context ctx) {
        String s = ctx.queryParam("status");
        return s == null ? "" : s.trim();
    }

    private static String older(String base, String status, String cursor) {
        if (cursor == null) return null;
        return base + "?" + (status.isEmpty() ? "" : "status=" + enc(status) + "&") + "cursor=" + enc(cursor);
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A value as text: JSON values without their quotes, absent values empty. */
    static String str(Object s) {
        if (s instanceof JsonNode n) return n.isNull() || n.isMissingNode() ? "" : n.isValueNode() ? n.asText() : Json.text(n);
        return s == null ? "" : s.toString();
    }
}
