package io.tessera.admin;

import static io.tessera.admin.AdminRoutes.params;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tessera.campaign.Campaign;
import io.tessera.campaign.CampaignService;
import io.tessera.code.CodeService;
import io.tessera.code.CodeStore;
import io.tessera.code.CodeView;
import io.tessera.core.Page;
import io.tessera.user.Role;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Codes: a campaign's codes searched by prefix and status, each enabled or disabled (roles that may change codes). */
public final class CodePages implements AdminRoutes.Pages {
    private static final int SHOWN = 100;
    private final CampaignService campaigns;
    private final CodeService codes;

    CodePages(CampaignService campaigns, CodeService codes) {
        this.campaigns = campaigns;
        this.codes = codes;
    }

    /** The codes page: the search and what it found. */
    public record View(List<String> campaigns, String campaign, String q, String status, List<String> statuses,
                       List<CodeView> codes, boolean more) {
    }

    @Override
    public void register(AdminRoutes admin, RoutesConfig r) {
        admin.get(r, "/admin/codes", (ctx, a) -> {
            List<String> names = new ArrayList<>();
            if (a.project() != null) {
                for (Campaign c : AdminRoutes.all(page -> campaigns.list(a.project(), false, page), 10_000))
                    if (c.codes() != null) names.add(c.name());
            }
            String campaign = ctx.queryParam("campaign");
            if (campaign == null || !names.contains(campaign)) campaign = names.isEmpty() ? null : names.get(0);
            String q = ctx.queryParam("q") == null ? "" : ctx.queryParam("q").trim();
            String asked = ctx.queryParam("status");
            String status = asked != null && CodeStore.Filter.STATUSES.contains(asked) ? asked : "all";
            List<CodeView> found = List.of();
            boolean more = false;
            if (campaign != null) {
                Page<CodeView> page = codes.list(a.project(), campaign, new CodeStore.Filter(
                        status.equals("all") ? null : status, q.isEmpty() ? null : q.toUpperCase(Locale.ROOT), null),
                        new Page.Request(SHOWN, null));
                found = page.data();
                more = page.nextCursor() != null;
            }
            List<String> statuses = new ArrayList<>(List.of("all"));
            statuses.addAll(CodeStore.Filter.STATUSES);
            admin.page(ctx, "codes", params("frame", a.frame().page("Codes", "codes"),
                    "view", new View(names, campaign, q, status, statuses, found, more)));
        });
        admin.post(r, "/admin/codes/{code}/disable", Role.Permission.CODES, (ctx, a) -> active(ctx, a, false));
        admin.post(r, "/admin/codes/{code}/enable", Role.Permission.CODES, (ctx, a) -> active(ctx, a, true));
    }

    private void active(Context ctx, AdminRoutes.Admin a, boolean active) {
        CodeView c = codes.setActive(a.requireProject(), a.actor(), ctx.pathParam("code"), active, a.now());
        String q = ctx.formParam("q") == null ? "" : ctx.formParam("q");
        ctx.redirect("/admin/codes?campaign=" + enc(c.campaign()) + "&q=" + enc(q), HttpStatus.SEE_OTHER);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
