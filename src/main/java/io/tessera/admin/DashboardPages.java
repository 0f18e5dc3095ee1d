package io.tessera.admin;

import static io.tessera.admin.AdminRoutes.params;

import io.javalin.config.RoutesConfig;
import io.tessera.campaign.Campaign;
import io.tessera.campaign.CampaignService;
import io.tessera.core.ProjectContext;
import io.tessera.discount.PromotionKind;
import io.tessera.loyalty.LoyaltyReport;
import io.tessera.redemption.RedemptionService;
import io.tessera.redemption.Rollups;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** The dashboard: the project's redemptions and discount per day, its campaigns, top codes and loyalty liability. */
public final class DashboardPages implements AdminRoutes.Pages {
    static final int DAYS = 30;
    private final CampaignService campaigns;
    private final RedemptionService redemptions;
    private final LoyaltyReport loyalty;

    DashboardPages(CampaignService campaigns, RedemptionService redemptions, LoyaltyReport loyalty) {
        this.campaigns = campaigns;
        this.redemptions = redemptions;
        this.loyalty = loyalty;
    }

    /** A campaign's line on the dashboard. */
    public record CampaignLine(String name, String status, long redemptions, long discount, Long budget,
                               Long budgetUsed) {
    }

    /** A loyalty program's liability: the points its members hold and what they are worth. */
    public record Liability(String program, long members, long outstanding, Long outstandingValue) {
    }

    /** What the dashboard shows, refreshed as a whole. */
    public record Numbers(String project, List<Rollups.Day> days, long redemptions, long discount,
                         List<CampaignLine> campaigns, List<Rollups.TopCode> topCodes, List<Liability> liability,
                         Instant at) {
        /** Chart data, read by the admin script from data- attributes (no inline script). */
        public String labels() {
            return io.tessera.core.Json.text(days.stream().map(Rollups.Day::day).toList());
        }

        public String redemptionValues() {
            return io.tessera.core.Json.text(days.stream().map(Rollups.Day::redemptions).toList());
        }

        public String discountValues() {
            return io.tessera.core.Json.text(days.stream().map(Rollups.Day::discount).toList());
        }
    }

    @Override
    public void register(AdminRoutes admin, RoutesConfig r) {
        admin.get(r, "/admin/dashboard", (ctx, a) -> admin.page(ctx, "dashboard",
                params("frame", a.frame().page("Dashboard", "dashboard"), "numbers", numbers(a))));
        // htmx polls this every few seconds, so a launch can be watched live.
        admin.get(r, "/admin/dashboard/live", (ctx, a) -> ctx.html(admin.fragment("dashboardLive",
                params("numbers", numbers(a)))));
    }

    /**
     * Reads a bounded number of rows whatever the project's history: closed days come from the redemption rollup,
     * the last days from their lines, the liability without the loyalty report's history (docs/performance.md).
     */
    private Numbers numbers(AdminRoutes.Admin a) {
        if (a.project() == null) return null;
        ProjectContext p = a.project();
        LocalDate from = LocalDate.ofInstant(a.now(), p.zone()).minusDays(DAYS - 1);
        List<Rollups.Day> days = redemptions.days(p, from);
        List<Campaign> discounts = new ArrayList<>();
        List<Liability> liability = new ArrayList<>();
        for (Campaign c : AdminRoutes.all(page -> campaigns.list(p, false, page), 200)) {
            if (c.promotion().kind() != PromotionKind.LOYALTY) {
                discounts.add(c);
                continue;
            }
            LoyaltyReport.Liability l = loyalty.liability(p, c.name(), a.now());
            liability.add(new Liability(c.name(), l.members(), l.outstanding(), l.outstandingValue()));
        }
        List<CampaignLine> lines = new ArrayList<>();
        var summaries = redemptions.summaries(p, discounts);
        for (Campaign c : discounts) {
            RedemptionService.Summary s = summaries.get(c.name());
            Long budget = c.budgetDiscount();
            lines.add(new CampaignLine(c.name(), CampaignPages.status(c), s.redemptions(), s.discountGiven(), budget,
                    budget == null ? null : budget - s.budgetLeft()));
        }
        long count = days.stream().mapToLong(Rollups.Day::redemptions).sum();
        long discount = days.stream().mapToLong(Rollups.Day::discount).sum();
        return new Numbers(p.name(), days, count, discount, lines, redemptions.topCodes(p, 10), liability, a.now());
    }
}
