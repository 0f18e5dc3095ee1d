package io.tessera.admin;

import static io.tessera.admin.AdminRoutes.params;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tessera.approval.Approvals;
import io.tessera.campaign.Campaign;
import io.tessera.campaign.CampaignService;
import io.tessera.core.Failure;
import io.tessera.core.FieldError;
import io.tessera.core.Json;
import io.tessera.core.Page;
import io.tessera.core.ProjectContext;
import io.tessera.discount.PromotionKind;
import io.tessera.loyalty.LoyaltyReport;
import io.tessera.loyalty.Reward;
import io.tessera.loyalty.Rewards;
import io.tessera.user.Role;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Loyalty programs: each one's report, settings, tiers and rewards catalogue, changed through the same services as the
 * API (settings and tiers are the program campaign's {@code loyalty} section, patched like any campaign), and manual
 * points adjustments. Changes may wait for an owner's approval ({@link Approvals}).
 */
public final class LoyaltyPages implements AdminRoutes.Pages {
    private final CampaignService campaigns;
    private final LoyaltyReport reports;
    private final Rewards rewards;
    private final Approvals approvals;

    LoyaltyPages(CampaignService campaigns, LoyaltyReport reports, Rewards rewards, Approvals approvals) {
        this.campaigns = campaigns;
        this.reports = reports;
        this.rewards = rewards;
        this.approvals = approvals;
    }

    /** A program with its report, as listed. */
    public record Summary(String name, boolean active, LoyaltyReport.Report report) {
    }

    /** A tier as shown. */
    public record Tier(String name, String min, String multiplier) {
    }

    /** A program's page: report, settings as the form shows them, tiers, rewards, and the errors of a refused form. */
    public record View(String name, boolean active, LoyaltyReport.Report report, String expiryDays, String notifyDays,
                       String tierBasis, String valuePoints, String valueAmount, String tiers, List<Tier> tierList,
                       List<Reward> rewards, List<FieldError> errors) {
    }

    @Override
    public void register(AdminRoutes admin, RoutesConfig r) {
        admin.get(r, "/admin/loyalty", (ctx, a) -> {
            List<Summary> programs = new ArrayList<>();
            if (a.project() != null) {
                for (Campaign c : AdminRoutes.all(page -> campaigns.list(a.project(), false, page), 1_000)) {
                    if (c.promotion().kind() != PromotionKind.LOYALTY) continue;
                    programs.add(new Summary(c.name(), c.promotion().active(),
                            reports.report(a.project(), c.name(), null, null, a.now())));
                }
            }
            admin.page(ctx, "loyalty", params("frame", a.frame().page("Loyalty", "loyalty"), "programs", programs));
        });
        admin.get(r, "/admin/loyalty/{program}", (ctx, a) -> program(admin, ctx, a, 200, List.of()));
        admin.post(r, "/admin/loyalty/{program}/settings", Role.Permission.LOYALTY, (ctx, a) -> {
            ProjectContext p = a.requireProject();
            String name = ctx.pathParam("program");
            ObjectNode patch;
            try {
                patch = AdminRoutes.object().set("loyalty", settings(ctx));
            } catch (Failure.Invalid f) {
                program(admin, ctx, a, 422, f.errors());
                return;
            }
            changed(ctx, name, approvals.patchCampaign(p, a.actor(), subject(a), name, patch, a.now()));
        });
        admin.post(r, "/admin/loyalty/{program}/rewards", Role.Permission.LOYALTY, (ctx, a) -> {
            ObjectNode body = AdminRoutes.object();
            body.put("name", form(ctx, "reward.name"));
            body.set("cost", number(form(ctx, "reward.cost")));
            body.putObject("grant").put("campaign", form(ctx, "reward.campaign"));
            if (!form(ctx, "reward.stock").isEmpty()) body.set("stock", number(form(ctx, "reward.stock")));
            try {
                rewards.create(a.requireProject(), a.actor(), ctx.pathParam("program"), body, a.now());
            } catch (Failure.Invalid | Failure.Conflict f) {
                List<FieldError> errors = f.errors().isEmpty() ? List.of(new FieldError("reward", f.getMessage()))
                        : f.errors().stream().map(e -> new FieldError("reward." + e.field(), e.message())).toList();
                program(admin, ctx, a, 422, errors);
                return;
            }
            back(ctx, ctx.pathParam("program"));
        });
        admin.post(r, "/admin/loyalty/{program}/rewards/{reward}/archive", Role.Permission.LOYALTY, (ctx, a) -> {
            rewards.archive(a.requireProject(), a.actor(), ctx.pathParam("program"), ctx.pathParam("reward"), a.now());
            back(ctx, ctx.pathParam("program"));
        });
        admin.post(r, "/admin/loyalty/{program}/adjust", Role.Permission.POINTS, (ctx, a) -> {
            String customer = form(ctx, "adjust.customer");
            String reason = form(ctx, "adjust.reason");
            List<FieldError> errors = new ArrayList<>();
            if (customer.isEmpty()) errors.add(new FieldError("adjust.customer", "is required"));
            if (reason.length() > 500) errors.add(new FieldError("adjust.reason", "at most 500 characters"));
            long points = 0;
            try {
                points = Long.parseLong(form(ctx, "adjust.points"));
                if (points == 0 || Math.abs(points) > io.tessera.loyalty.LoyaltyService.MAX_POINTS)
                    errors.add(new FieldError("adjust.points", "must be a whole number other than 0"));
            } catch (NumberFormatException e) {
                errors.add(new FieldError("adjust.points", "must be a whole number other than 0"));
            }
            if (!errors.isEmpty()) {
                program(admin, ctx, a, 422, errors);
                return;
            }
            String name = ctx.pathParam("program");
            changed(ctx, name, approvals.adjustPoints(a.requireProject(), a.actor(), subject(a), name, customer, points,
                    reason.isEmpty() ? null : reason, a.now()));
        });
    }

    /** Owners' changes never wait; other users' may (API keys never reach these pages). */
    static boolean subject(AdminRoutes.Admin a) {
        return a.user().role() != Role.OWNER;
    }

    private static void changed(Context ctx, String program, Approvals.Outcome outcome) {
        if (outcome.pending()) ctx.redirect("/admin/approvals?requested=" + outcome.approval().id(), HttpStatus.SEE_OTHER);
        else back(ctx, program);
    }

    private static void back(Context ctx, String program) {
        ctx.redirect("/admin/loyalty/" + OperationPages.enc(program), HttpStatus.SEE_OTHER);
    }

    private void program(AdminRoutes admin, Context ctx, AdminRoutes.Admin a, int status, List<FieldError> errors) {
        ProjectContext p = a.requireProject();
        Campaign c = campaigns.get(p, ctx.pathParam("program"));
        if (c.promotion().kind() != PromotionKind.LOYALTY) throw Failure.notFound("loyalty program " + c.name());
        JsonNode l = c.definition().path("loyalty");
        List<Tier> tiers = new ArrayList<>();
        StringBuilder tierText = new StringBuilder();
        for (JsonNode t : l.path("tiers")) {
            String mult = t.hasNonNull("multiplier") ? t.get("multiplier").asText() : "1";
            tiers.add(new Tier(t.path("name").asText(), t.path("min").asText(), mult));
            tierText.append(t.path("name").asText()).append(", ").append(t.path("min").asText()).append(", ")
                    .append(mult).append('\n');
        }
        List<Reward> catalogue = rewards.list(p, c.name(), null, new Page.Request(Page.Request.MAX_LIMIT, null)).data();
        View v = new View(c.name(), c.promotion().active(), reports.report(p, c.name(), null, null, a.now()),
                text(l.path("expiry").path("afterDays")), text(l.path("expiry").path("notifyDaysBefore")),
                l.path("tierBasis").asText("EARNED_LIFETIME"), text(l.path("pointValue").path("points")),
                text(l.path("pointValue").path("amount")), tierText.toString(), tiers, catalogue, errors);
        admin.templates.page(ctx, status, "loyaltyProgram", params("frame", a.frame().page(c.name(), "loyalty"),
                "view", v));
    }

    /** The {@code loyalty} merge patch of the settings form; empty fields remove their setting. */
    private static ObjectNode settings(Context ctx) {
        List<FieldError> errors = new ArrayList<>();
        ObjectNode l = AdminRoutes.object();
        String days = form(ctx, "expiry.afterDays"), notify = form(ctx, "expiry.notifyDaysBefore");
        if (days.isEmpty()) l.putNull("expiry");
        else {
            ObjectNode e = l.putObject("expiry");
            e.set("afterDays", number(days));
            if (notify.isEmpty()) e.putNull("notifyDaysBefore");
            else e.set("notifyDaysBefore", number(notify));
        }
        String basis = form(ctx, "tierBasis");
        if (!basis.isEmpty()) l.put("tierBasis", basis);
        String vp = form(ctx, "pointValue.points"), va = form(ctx, "pointValue.amount");
        if (vp.isEmpty() && va.isEmpty()) l.putNull("pointValue");
        else l.putObject("pointValue").<ObjectNode>set("points", number(vp)).set("amount", number(va));
        ArrayNode tiers = l.putArray("tiers");
        String[] lines = form(ctx, "tiers").split("\\R");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) continue;
            String[] parts = lines[i].split(",");
            if (parts.length < 2 || parts.length > 3) {
                errors.add(new FieldError("tiers", "line " + (i + 1) + ": name, min[, multiplier]"));
                continue;
            }
            ObjectNode t = tiers.addObject().put("name", parts[0].trim());
            t.set("min", number(parts[1].trim()));
            if (parts.length == 3) {
                try {
                    t.put("multiplier", new BigDecimal(parts[2].trim()));
                } catch (NumberFormatException e) {
                    errors.add(new FieldError("tiers", "line " + (i + 1) + ": the multiplier is not a number"));
                }
            }
        }
        if (!errors.isEmpty()) throw Failure.invalid(errors);
        return l;
    }

    /** A number as typed: JSON numbers stay numbers, anything else goes as text for the parser to refuse by name. */
    private static JsonNode number(String text) {
        try {
            return Json.MAPPER.getNodeFactory().numberNode(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return Json.MAPPER.getNodeFactory().textNode(text);
        }
    }

    private static String form(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v == null ? "" : v.trim();
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "" : n.asText();
    }
}
