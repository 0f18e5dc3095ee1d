package io.tessera.admin;

import static io.tessera.admin.AdminRoutes.params;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tessera.campaign.Campaign;
import io.tessera.campaign.CampaignService;
import io.tessera.core.Checks;
import io.tessera.core.Failure;
import io.tessera.core.Json;
import io.tessera.core.Page;
import io.tessera.customer.CustomerService;
import io.tessera.customer.CustomerView;
import io.tessera.discount.PromotionKind;
import io.tessera.event.CustomerEvent;
import io.tessera.event.EventService;
import io.tessera.loyalty.Entry;
import io.tessera.loyalty.LoyaltyService;
import io.tessera.message.MessageService;
import io.tessera.qualification.Qualifications;
import io.tessera.user.Role;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Customers: the list, and a customer's page — profile (attributes, consents, the customer data conditions read),
 * wallet, points ledger and events (both paged, newest first) — with "Adjust points" (POINTS) and the consents form
 * (CUSTOMERS), each through the API's service with the user as actor.
 */
public final class CustomerPages implements AdminRoutes.Pages {
    private static final int SHOWN = 100;
    private static final int PAGE = 20;
    /** Channels offered on the consents form besides those the customer already has an answer for. */
    private static final List<String> CHANNELS = List.of("email", "sms", "push");
    private final CampaignService campaigns;
    private final CustomerService customers;
    private final LoyaltyService loyalty;
    private final EventService events;
    private final Qualifications wallets;
    private final io.tessera.approval.Approvals approvals;

    CustomerPages(CampaignService campaigns, CustomerService customers, LoyaltyService loyalty, EventService events,
                  Qualifications wallets, io.tessera.approval.Approvals approvals) {
        this.approvals = approvals;
        this.campaigns = campaigns;
        this.customers = customers;
        this.loyalty = loyalty;
        this.events = events;
        this.wallets = wallets;
    }

    /** The customers list: one page, and the link to the next one (null on the last). */
    public record ListView(List<CustomerView> customers, String next) {
    }

    /** A consent as the form shows it. */
    public record Consent(String channel, boolean given, boolean answered) {
    }

    /**
     * A customer's page: {@code programs} every loyalty program of the project (to adjust in), {@code program} the one
     * whose ledger is shown; the {@code older...} links page on (null on the last page).
     */
    public record View(CustomerView customer, String attributes, List<Consent> consents, Map<String, String> data,
                       Qualifications.Wallet wallet, List<String> programs, String program, List<Entry> ledger,
                       String olderLedger, List<CustomerEvent> events, String olderEvents, String notice) {
        public String json(Object value) {
            return value == null ? "" : value instanceof String s ? s : Json.text(Json.MAPPER.valueToTree(value));
        }
    }

    @Override
    public void register(AdminRoutes admin, RoutesConfig r) {
        admin.get(r, "/admin/customers", (ctx, a) -> {
            String id = ctx.queryParam("id");
            if (id != null && !id.isBlank()) {
                ctx.redirect("/admin/customers/" + enc(id.trim()), HttpStatus.SEE_OTHER);
                return;
            }
            ListView view = new ListView(List.of(), null);
            if (a.project() != null) {
                Page<CustomerView> page = customers.list(a.project(), new Page.Request(SHOWN, ctx.queryParam("cursor")),
                        a.now());
                view = new ListView(page.data(), page.nextCursor() == null ? null
                        : "/admin/customers?cursor=" + enc(page.nextCursor()));
            }
            admin.page(ctx, "customers", params("frame", a.frame().page("Customers", "customers"), "view", view));
        });
        admin.get(r, "/admin/customers/{id}", (ctx, a) -> {
            String id = customerId(ctx);
            CustomerView customer = customers.get(a.requireProject(), id, a.now());
            admin.page(ctx, "customer", params("frame", a.frame().page(id, "customers"), "view", view(ctx, a, customer)));
        });
        admin.post(r, "/admin/customers/{id}/points", Role.Permission.POINTS, (ctx, a) -> {
            String id = customerId(ctx);
            String program = ctx.formParam("program");
            if (program == null || program.isBlank()) throw Failure.invalid("program", "is required");
            long points;
            try {
                points = Long.parseLong(String.valueOf(ctx.formParam("points")).trim());
            } catch (NumberFormatException e) {
                throw Failure.invalid("points", "must be a whole number, negative to take points away");
            }
            if (points == 0 || Math.abs(points) > LoyaltyService.MAX_POINTS)
                throw Failure.invalid("points", "must not be 0, and at most " + LoyaltyService.MAX_POINTS + " either way");
            String reason = ctx.formParam("reason") == null ? "" : ctx.formParam("reason").trim();
            if (reason.isEmpty()) throw Failure.invalid("reason", "is required: say why the points change");
            if (reason.length() > 500) throw Failure.invalid("reason", "at most 500 characters");
            // Above the project's threshold a non-owner's adjustment waits for an owner (the approval policy).
            var outcome = approvals.adjustPoints(a.requireProject(), a.actor(), LoyaltyPages.subject(a), program, id,
                    points, reason, a.now());
            if (outcome.pending()) {
                ctx.redirect("/admin/approvals?requested=" + outcome.approval().id(), io.javalin.http.HttpStatus.SEE_OTHER);
                return;
            }
            long balance = loyalty.member(a.requireProject(), program, id, a.now()).balance();
            back(ctx, id, program, (points > 0 ? "Added " + points : "Took " + -points) + " points in " + program
                    + "; the balance is " + balance + ".");
        });
        admin.post(r, "/admin/customers/{id}/consents", Role.Permission.CUSTOMERS, (ctx, a) -> {
            String id = customerId(ctx);
            customers.get(a.requireProject(), id, a.now()); // consents of a customer that exists
            Map<String, Object> consents = new LinkedHashMap<>();
            for (String channel : ctx.formParams("channel")) {
                if (!MessageService.CHANNEL.matcher(channel).matches()) continue;
                consents.put(channel, "on".equals(ctx.formParam("consent." + channel)));
            }
            String added = ctx.formParam("newChannel") == null ? "" : ctx.formParam("newChannel").trim();
            if (!added.isEmpty()) {
                if (!MessageService.CHANNEL.matcher(added).matches())
                    throw Failure.invalid("newChannel", "must be " + MessageService.CHANNEL_RULE);
                consents.put(added, true);
            }
            customers.put(a.project(), a.actor(), id, null, consents, a.now());
            back(ctx, id, null, "Consents saved.");
        });
    }

    private View view(Context ctx, AdminRoutes.Admin a, CustomerView c) {
        List<String> programs = new ArrayList<>();
        for (Campaign p : AdminRoutes.all(page -> campaigns.list(a.project(), false, page), 10_000))
            if (p.promotion().kind() == PromotionKind.LOYALTY) programs.add(p.name());
        Qualifications.Wallet wallet = wallets.wallet(a.project(), c.id(), null, a.now());
        String program = ctx.queryParam("program");
        if (program == null || !programs.contains(program)) {
            program = wallet.loyalty().isEmpty() ? programs.isEmpty() ? null : programs.get(0)
                    : wallet.loyalty().get(0).program();
        }
        List<Entry> ledger = List.of();
        String olderLedger = null;
        String base = "/admin/customers/" + enc(c.id()) + "?program=" + (program == null ? "" : enc(program));
        if (program != null) {
            Page<Entry> page = loyalty.transactions(a.project(), program, c.id(),
                    new Page.Request(PAGE, ctx.queryParam("ledger")));
            ledger = page.data();
            if (page.nextCursor() != null) olderLedger = base + "&ledger=" + enc(page.nextCursor()) + "#ledger";
        }
        Page<CustomerEvent> evs = events.list(a.project(), c.id(), null, new Page.Request(PAGE, ctx.queryParam("events")));
        String olderEvents = evs.nextCursor() == null ? null : base + "&events=" + enc(evs.nextCursor()) + "#events";
        Set<String> channels = new LinkedHashSet<>(CHANNELS);
        Map<String, Object> given = c.consents() == null ? Map.of() : c.consents();
        channels.addAll(new TreeMap<>(given).keySet());
        List<Consent> consents = new ArrayList<>();
        for (String ch : channels) consents.add(new Consent(ch, Boolean.TRUE.equals(given.get(ch)), given.containsKey(ch)));
        Map<String, String> data = new LinkedHashMap<>();
        data.put("customer.segments", String.join(", ", c.segments()));
        data.put("customer.orders.count", Long.toString(c.orders().count()));
        data.put("customer.orders.total", Long.toString(c.orders().total()));
        data.put("customer.orders.lastAt", c.orders().lastAt() == null ? "(none)" : c.orders().lastAt().toString());
        data.put("customer.isNew", Boolean.toString(c.isNew()));
        data.put("customer.redeemed", c.redeemed() == null || c.redeemed().isEmpty() ? "{}"
                : Json.text(Json.MAPPER.valueToTree(c.redeemed())));
        data.put("customer.events", c.events() == null || c.events().isEmpty() ? "{}"
                : Json.text(Json.MAPPER.valueToTree(c.events())));
        String attributes = c.attributes() == null || c.attributes().isEmpty() ? ""
                : AdminRoutes.pretty(Json.MAPPER.valueToTree(c.attributes()));
        return new View(c, attributes, consents, data, wallet, programs, program, ledger, olderLedger, evs.data(),
                olderEvents, ctx.queryParam("notice"));
    }

    private static void back(Context ctx, String id, String program, String notice) {
        ctx.redirect("/admin/customers/" + enc(id) + "?notice=" + enc(notice)
                + (program == null ? "" : "&program=" + enc(program)), HttpStatus.SEE_OTHER);
    }

    private static String customerId(Context ctx) {
        String id = ctx.pathParam("id");
        if (!Checks.ID.matcher(id).matches()) throw Failure.notFound("customer " + id);
        return id;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
