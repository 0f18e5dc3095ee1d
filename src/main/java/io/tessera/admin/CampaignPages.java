package io.tessera.admin;

import static io.tessera.admin.AdminRoutes.params;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tessera.campaign.Campaign;
import io.tessera.campaign.CampaignParser;
import io.tessera.campaign.CampaignService;
import io.tessera.core.Failure;
import io.tessera.core.FieldError;
import io.tessera.core.Input;
import io.tessera.core.Json;
import io.tessera.core.ProjectContext;
import io.tessera.redemption.CampaignStats;
import io.tessera.redemption.Checkout;
import io.tessera.redemption.CheckoutRequest;
import io.tessera.redemption.EvaluationView;
import io.tessera.redemption.RedemptionService;
import io.tessera.simulation.Simulations;
import io.tessera.user.Role;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Campaigns: the list (search, status filter), the form (new and edit, with live checks of its CEL fields), the
 * campaign's page (stats, pause, resume, archive), its "Test this campaign" panel and the simulation on past orders.
 */
public final class CampaignPages implements AdminRoutes.Pages {
    private static final List<String> STATUSES = List.of("all", "active", "paused", "archived");
    private final CampaignService campaigns;
    private final Checkout checkout;
    private final RedemptionService redemptions;
    private final Simulations simulations;
    private final CampaignParser parser;
    private final io.tessera.approval.Approvals approvals;

    CampaignPages(CampaignService campaigns, Checkout checkout, RedemptionService redemptions, Simulations simulations,
                  CampaignParser parser, io.tessera.approval.Approvals approvals) {
        this.approvals = approvals;
        this.campaigns = campaigns;
        this.checkout = checkout;
        this.redemptions = redemptions;
        this.simulations = simulations;
        this.parser = parser;
    }

    /** A campaign as the list shows it. */
    public record Row(String name, String type, String status, String discount) {
    }

    /** The campaign page's content. */
    public record View(Campaign campaign, String status, String definition, CampaignStats stats, String labels,
                       String redemptionValues, String discountValues, String code) {
    }

    /** What "Test this campaign" answered: the validation's answer (as the API gives it), or why it could not run. */
    public record TestResult(JsonNode answer, List<FieldError> errors) {
    }

    /** What "Simulate on past orders" answered, or why it could not run. */
    public record SimulationResult(Simulations.Result result, List<FieldError> errors) {
    }

    static String status(Campaign c) {
        return c.archived() ? "Archived" : c.promotion().active() ? "Active" : "Paused";
    }

    @Override
    public void register(AdminRoutes admin, RoutesConfig r) {
        admin.get(r, "/admin/campaigns", (ctx, a) -> list(admin, ctx, a));
        admin.get(r, "/admin/campaigns/new", (ctx, a) -> {
            if (!a.user().may(Role.Permission.CAMPAIGNS)) throw Failure.forbidden("your role may not create campaigns");
            form(admin, ctx, a, 200, CampaignForm.empty(), null);
        });
        admin.post(r, "/admin/campaigns", Role.Permission.CAMPAIGNS, (ctx, a) -> create(admin, ctx, a));
        admin.post(r, "/admin/campaigns/check", Role.Permission.CAMPAIGNS, this::check);
        admin.post(r, "/admin/campaigns/simulate", Role.Permission.CAMPAIGNS, (ctx, a) -> simulate(admin, ctx, a));
        admin.get(r, "/admin/campaigns/{name}", (ctx, a) -> show(admin, ctx, a));
        admin.get(r, "/admin/campaigns/{name}/edit", (ctx, a) -> {
            if (!a.user().may(Role.Permission.CAMPAIGNS)) throw Failure.forbidden("your role may not edit campaigns");
            Campaign c = campaigns.get(a.requireProject(), ctx.pathParam("name"));
            form(admin, ctx, a, 200, CampaignForm.form(CampaignForm.values(c.definition()), List.of(), true), c.name());
        });
        admin.post(r, "/admin/campaigns/{name}/edit", Role.Permission.CAMPAIGNS, (ctx, a) -> update(admin, ctx, a));
        admin.post(r, "/admin/campaigns/{name}/pause", Role.Permission.CAMPAIGNS, (ctx, a) -> active(ctx, a, false));
        admin.post(r, "/admin/campaigns/{name}/resume", Role.Permission.CAMPAIGNS, (ctx, a) -> active(ctx, a, true));
        admin.post(r, "/admin/campaigns/{name}/archive", Role.Permission.CAMPAIGNS, (ctx, a) -> {
            String name = ctx.pathParam("name");
            if (pending(ctx, approvals.archiveCampaign(a.requireProject(), a.actor(), LoyaltyPages.subject(a), name,
                    a.now()))) return;
            Campaign c = campaigns.get(a.requireProject(), name);
            back(ctx, c);
        });
        admin.post(r, "/admin/campaigns/{name}/test", null, (ctx, a) -> ctx.html(admin.fragment("campaignTest",
                params("result", test(ctx, a)))));
    }

    private void list(AdminRoutes admin, Context ctx, AdminRoutes.Admin a) {
        String q = ctx.queryParam("q") == null ? "" : ctx.queryParam("q").trim();
        String asked = ctx.queryParam("status");
        String status = asked != null && STATUSES.contains(asked) ? asked : "all";
        List<Row> rows = new ArrayList<>();
        if (a.project() != null) {
            for (Campaign c : AdminRoutes.all(page -> campaigns.list(a.project(), null, page), 10_000)) {
                String s = status(c);
                if (!status.equals("all") && !s.equalsIgnoreCase(status)) continue;
                if (!q.isEmpty() && !c.name().toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT))) continue;
                JsonNode d = c.definition().path("discount");
                rows.add(new Row(c.name(), c.promotion().kind().name(), s, d.isMissingNode() ? "" : summary(d)));
            }
        }
        admin.page(ctx, "campaigns", params("frame", a.frame().page("Campaigns", "campaigns"), "rows", rows,
                "q", q, "status", status, "statuses", STATUSES));
    }

    private static String summary(JsonNode d) {
        String type = d.path("type").asText();
        return switch (type) {
            case "PERCENT" -> d.path("percent").asText() + " % off";
            case "AMOUNT" -> d.path("amount").asText() + " off";
            default -> type;
        };
    }

    private void form(AdminRoutes admin, Context ctx, AdminRoutes.Admin a, int status, CampaignForm.Form form,
                      String editing) {
        String title = editing == null ? "New campaign" : "Edit " + editing;
        admin.templates.page(ctx, status, "campaignForm", params("frame", a.frame().page(title, "campaigns"),
                "form", form, "editing", editing, "title", title));
    }

    private void create(AdminRoutes admin, Context ctx, AdminRoutes.Admin a) {
        Map<String, String> values = CampaignForm.values(ctx.formParamMap());
        try {
            Campaign c = campaigns.create(a.requireProject(), a.actor(), CampaignForm.json(values), a.now());
            back(ctx, c);
        } catch (Failure.Invalid | Failure.Conflict f) {
            form(admin, ctx, a, 422, CampaignForm.form(values, errors(f), false), null);
        }
    }

    private void update(AdminRoutes admin, Context ctx, AdminRoutes.Admin a) {
        ProjectContext p = a.requireProject();
        Campaign current = campaigns.get(p, ctx.pathParam("name"));
        Map<String, String> values = CampaignForm.values(ctx.formParamMap());
        try {
            ObjectNode patch = CampaignForm.patch(current.definition(), CampaignForm.json(values));
            if (pending(ctx, approvals.patchCampaign(p, a.actor(), LoyaltyPages.subject(a), current.name(), patch,
                    a.now()))) return;
            back(ctx, campaigns.get(p, current.name()));
        } catch (Failure.Invalid | Failure.Conflict f) {
            // Name, type and codes are shown as saved.
            Map<String, String> shown = CampaignForm.values(current.definition());
            values.forEach((k, v) -> {
                if (!k.equals("name") && !k.equals("type") && !k.startsWith("codes.")) shown.put(k, v);
            });
            if (!values.containsKey("active")) shown.remove("active");
            if (!values.containsKey("stacking.exclusive")) shown.remove("stacking.exclusive");
            form(admin, ctx, a, 422, CampaignForm.form(shown, errors(f), true), current.name());
        }
    }

    private static List<FieldError> errors(Failure f) {
        return f.errors().isEmpty() ? List.of(new FieldError("body", f.getMessage())) : f.errors();
    }

    /**
     * The live check of one field ({@code _field}): the whole form goes through the campaign parser, the same checks
     * as saving, and the answer is the field's message (empty when it is fine).
     */
    private void check(Context ctx, AdminRoutes.Admin a) {
        String field = ctx.formParam("_field");
        Map<String, String> values = CampaignForm.values(ctx.formParamMap());
        Input in = Input.of(CampaignForm.json(values));
        parser.parse(in, "check", 0);
        String message = "";
        if (!in.ok() && field != null) {
            try {
                in.check();
            } catch (Failure f) {
                message = f.errors().stream().filter(e -> CampaignForm.owns(field, e.field()))
                        .map(FieldError::message).reduce((x, y) -> x + "; " + y).orElse("");
            }
        }
        ctx.html(io.tessera.admin.Html.escape(message));
    }

    private void simulate(AdminRoutes admin, Context ctx, AdminRoutes.Admin a) {
        ProjectContext p = a.requireProject();
        ObjectNode body = AdminRoutes.object();
        body.set("campaign", CampaignForm.json(CampaignForm.values(ctx.formParamMap())));
        List<FieldError> problems = new ArrayList<>();
        java.time.Instant from = day(ctx.formParam("simulate.from"), p, "simulate.from", problems);
        java.time.Instant to = day(ctx.formParam("simulate.to"), p, "simulate.to", problems);
        SimulationResult result;
        if (!problems.isEmpty()) {
            result = new SimulationResult(null, problems);
        } else {
            Input in = Input.of(body);
            try {
                result = new SimulationResult(simulations.simulate(p, in, in.object("campaign", true), from,
                        to.plus(java.time.Duration.ofDays(1))), List.of());
            } catch (Failure f) {
                result = new SimulationResult(null, errors(f));
            }
        }
        ctx.html(admin.fragment("campaignSimulation", params("result", result)));
    }

    private static java.time.Instant day(String text, ProjectContext p, String field, List<FieldError> problems) {
        try {
            return LocalDate.parse(text == null ? "" : text.trim()).atStartOfDay(p.zone()).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(new FieldError(field, "must be a date, e.g. 2026-11-01"));
            return null;
        }
    }

    private void show(AdminRoutes admin, Context ctx, AdminRoutes.Admin a) {
        ProjectContext p = a.requireProject();
        Campaign c = campaigns.get(p, ctx.pathParam("name"));
        CampaignStats s = redemptions.stats(p, c.name());
        List<String> labels = new ArrayList<>();
        List<Object> counts = new ArrayList<>(), discounts = new ArrayList<>();
        for (Map<String, Object> d : s.byDay()) {
            labels.add(String.valueOf(d.get("day")));
            counts.add(d.get("redemptions"));
            discounts.add(d.get("discount"));
        }
        String code = c.codes() != null && !c.codes().unique() ? c.codes().code() : "";
        View view = new View(c, status(c), AdminRoutes.pretty(c.definition()), s, io.tessera.core.Json.text(labels),
                io.tessera.core.Json.text(counts), io.tessera.core.Json.text(discounts), code);
        admin.page(ctx, "campaign", params("frame", a.frame().page(c.name(), "campaigns"), "view", view));
    }

    private void active(Context ctx, AdminRoutes.Admin a, boolean active) {
        ObjectNode patch = AdminRoutes.object().put("active", active);
        ProjectContext p = a.requireProject();
        if (pending(ctx, approvals.patchCampaign(p, a.actor(), LoyaltyPages.subject(a), ctx.pathParam("name"), patch,
                a.now()))) return;
        back(ctx, campaigns.get(p, ctx.pathParam("name")));
    }

    /** A change waiting for an owner: the user is shown the approvals page, saying so. */
    private static boolean pending(Context ctx, io.tessera.approval.Approvals.Outcome outcome) {
        if (!outcome.pending()) return false;
        ctx.redirect("/admin/approvals?requested=" + outcome.approval().id(), HttpStatus.SEE_OTHER);
        return true;
    }

    private static void back(Context ctx, Campaign c) {
        ctx.redirect("/admin/campaigns/" + URLEncoder.encode(c.name(), StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
    }

    /**
     * A validation with {@code explain}: the cart, customer and codes of the panel against every active promotion of
     * the project. Nothing is consumed.
     */
    private TestResult test(Context ctx, AdminRoutes.Admin a) {
        ProjectContext p = a.requireProject();
        List<FieldError> problems = new ArrayList<>();
        ObjectNode body = AdminRoutes.object();
        String customer = trim(ctx.formParam("test.customer"));
        if (!customer.isEmpty()) body.put("customer", customer);
        ObjectNode order = body.putObject("order");
        if (p.currency() != null) order.put("currency", p.currency());
        ArrayNode items = order.putArray("items");
        String lines = trim(ctx.formParam("test.items"));
        int n = 0;
        for (String line : lines.split("\\R")) {
            if (line.isBlank()) continue;
            n++;
            String[] parts = line.split(",");
            try {
                if (parts.length < 3) throw new NumberFormatException();
                ObjectNode item = items.addObject().put("sku", parts[0].trim())
                        .put("quantity", Long.parseLong(parts[1].trim())).put("price", Long.parseLong(parts[2].trim()));
                if (parts.length > 3) {
                    ArrayNode cats = item.putArray("categories");
                    for (String cat : parts[3].split(";")) if (!cat.isBlank()) cats.add(cat.trim());
                }
            } catch (NumberFormatException e) {
                problems.add(new FieldError("test.items", "line " + n + ": write sku, quantity, price[, category;category]"));
            }
        }
        if (n == 0) problems.add(new FieldError("test.items", "list at least one item"));
        String shipping = trim(ctx.formParam("test.shipping"));
        if (!shipping.isEmpty()) {
            try {
                order.put("shipping", Long.parseLong(shipping));
            } catch (NumberFormatException e) {
                problems.add(new FieldError("test.shipping", "must be a whole number of minor units"));
            }
        }
        ArrayNode codes = body.putArray("codes");
        for (String code : trim(ctx.formParam("test.codes")).split("[,\\s]+")) if (!code.isBlank()) codes.add(code);
        body.put("explain", true);
        if (!problems.isEmpty()) return new TestResult(null, problems);
        try {
            CheckoutRequest req = AdminRoutes.checkoutRequest(Input.of(body));
            return new TestResult(Json.parse(EvaluationView.json(checkout.validate(p, req, null, a.now()), true)),
                    List.of());
        } catch (Failure f) {
            return new TestResult(null, errors(f));
        }
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }
}
