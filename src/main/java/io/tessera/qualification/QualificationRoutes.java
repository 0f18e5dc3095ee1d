package io.tessera.qualification;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.campaign.ActiveCampaigns;
import io.tessera.code.CodeRow;
import io.tessera.code.CodeStore;
import io.tessera.customer.CustomerStore;
import io.tessera.discount.Promotion;
import io.tessera.discount.Shopper;
import io.tessera.http.Api;
import io.tessera.core.Failure;
import io.tessera.core.Principal;
import io.tessera.http.Routes;
import io.tessera.core.Scope;
import io.tessera.redemption.Checkout;
import io.tessera.redemption.CheckoutRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code POST /v1/qualifications} (what a customer could get now) and {@code GET /v1/customers/{id}/wallet}. */
public final class QualificationRoutes implements Routes {
    private final Api api;
    private final Checkout checkout;
    private final Qualifications qualifications;
    private final ActiveCampaigns campaigns;
    private final CodeStore codes;
    private final CustomerStore customers;

    public QualificationRoutes(Api api, Checkout checkout, Qualifications qualifications, ActiveCampaigns campaigns,
                               CodeStore codes, CustomerStore customers) {
        this.api = api;
        this.checkout = checkout;
        this.qualifications = qualifications;
        this.campaigns = campaigns;
        this.codes = codes;
        this.customers = customers;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post("/v1/qualifications", this::qualify);
        r.get("/v1/customers/{id}/wallet", this::wallet);
    }

    private void qualify(Context ctx) {
        Principal p = api.project(ctx, Scope.VALIDATE);
        Instant now = api.now(ctx);
        CheckoutRequest req = CheckoutRequest.read(api.input(ctx), false);
        Shopper shopper = checkout.shopper(p, req, now);
        List<Map<String, Object>> data = new ArrayList<>();
        for (Qualifications.Qualification q : qualifications.of(p, req, shopper, now)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("campaign", q.campaign());
            m.put("type", q.type());
            m.put("code", q.code());
            m.put("discount", q.discount());
            m.put("personal", q.personal());
            data.add(m);
        }
        json(ctx, 200, Map.of("data", data));
    }

    /** The customer's codes with what they are worth now; loyalty and referral parts come with those features. */
    private void wallet(Context ctx) {
        Principal p = api.reader(ctx);
        Instant now = api.now(ctx);
        String id = ctx.pathParam("id");
        customers.find(p.projectId(), id).orElseThrow(() -> Failure.notFound("customer " + id));
        ActiveCampaigns.Snapshot snap = campaigns.get(p.projectId());
        List<Map<String, Object>> held = new ArrayList<>();
        for (CodeStore.Described d : codes.heldBy(p.projectId(), id)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", d.row().code());
            m.put("campaign", d.campaign());
            m.put("status", status(d.row(), snap.byId().get(d.row().campaignId()), now));
            m.put("publishedAt", d.row().publishedAt());
            held.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("codes", held);
        body.put("loyalty", List.of());
        body.put("referralCodes", List.of());
        json(ctx, 200, body);
    }

    /** REDEEMED (used up) before EXPIRED (campaign ended) before INACTIVE (code, campaign off or archived). */
    static String status(CodeRow row, Promotion promo, Instant now) {
        long perCode = promo == null ? 1 : promo.limits().codeLimit();
        if (row.redemptions() >= perCode) return "REDEEMED";
        if (promo == null) return "INACTIVE"; // archived: no longer in the active set
        if (promo.endsAt() != null && now.isAfter(promo.endsAt())) return "EXPIRED";
        if (!row.active() || !promo.active()) return "INACTIVE";
        return "ACTIVE";
    }
}
