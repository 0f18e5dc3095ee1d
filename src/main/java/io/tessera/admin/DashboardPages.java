package io.tessera.admin;

import static io.tessera.admin.AdminRoutes.params;

import io.javalin.config.RoutesConfig;
import io.tessera.campaign.Campaign;
import io.tessera.campaign.CampaignService;
import io.tessera.core.ProjectContext;
import io.tessera.discount.PromotionKind;
import io.tessera.loyalty.LoyaltyReport;
import io.tessera.redemption.CampaignStats;
import io.tessera.redemption.RedemptionService;
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
    public record Numbers(String project, List<AdminReads.Day> days, long redemptions, long discount,
                         List<CampaignLine> campaigns, List<AdminReads.TopCode> topCodes, List<Liability> liability,
                         Instant at) {
        /** Chart data, read by the admin script from data- attributes (no inline script). */
        public String labels() {
            return io.tessera.core.Json.text(days.stream().map(AdminReads.Day::day).toList());
        }

        public String redemptionValues() {
            return io.tessera.core.Json.text(days.stream().map(AdminReads.Day::redemptions).toList());
        }

        public String discountValues() {
            return io.tessera.core.Json.text(days.stream().map(AdminReads.Day::discount).toList());
        }
    }

    @Override
    public void register(AdminRoutes admin, RoutesConfig r) {
        admin.get(r, "/admin/dashboard", (ctx, a) -> admin.page(ctx, "dashboard",
                params("frame", a.frame().page("Dashboard", "dashboard"), "numbers", numbers(admin, a))));
        // htmx polls this every few seconds, so a launch can be watched live.
        admin.get(r, "/admin/dashboard/live", (ctx, a) -> ctx.html(admin.fragment("dashboardLive",
                params("numbers", numbers(admin, a)))));
    }

    private Numbers numbers(AdminRoutes admin, AdminRoutes.Admin a) {
        if (a.project() == null) return null;
        ProjectContext p = a.project();
        LocalDate from = LocalDate.ofInstant(a.now(), p.zone()).minusDays(DAYS - 1);
        List<AdminReads.Day> days = admin.reads.days(p.id(), from);
        List<CampaignLine> lines = new ArrayList<>();
        List<Liability> liability = new ArrayList<>();
        for (Campaign c : AdminRoutes.all(page -> campaigns.list(p, false, page), 200)) {
            if (c.promotion().kind() == PromotionKind.LOYALTY) {
                LoyaltyReport.Report r = loyalty.report(p, c.name(), null, null, a.now());
                liability.add(new Liability(c.name(), r.members(), r.outstanding(), r.outstandingValue()));
                continue;
            }
            CampaignStats s = redemptions.stats(p, c.name(), false);
            Long budget = c.budgetDiscount();
            lines.add(new CampaignLine(c.name(), CampaignPages.status(c), s.redemptions(), s.discountGiven(), budget,
                    budget == null ? null : budget - s.budgetLeft()));
        }
        long count = days.stream().mapToLong(AdminReads.Day::redemptions).sum();
        long discount = days.stream().mapToLong(AdminReads.Day::discount).sum();
        return new Numbers(p.name(), days, count, discount, lines, admin.reads.topCodes(p.id(), 10), liability, a.now());
    }
}
