package io.tessera.qualification;

import io.tessera.campaign.ActiveCampaigns;
import io.tessera.code.CodeRow;
import io.tessera.code.CodeStore;
import io.tessera.db.ProjectCache;
import io.tessera.discount.Applied;
import io.tessera.discount.CodeRef;
import io.tessera.discount.Engine;
import io.tessera.discount.Evaluation;
import io.tessera.discount.EvaluationRequest;
import io.tessera.discount.LimitCounters;
import io.tessera.discount.Promotion;
import io.tessera.discount.Shopper;
import io.tessera.discount.Usage;
import io.tessera.core.ProjectContext;
import io.tessera.redemption.CheckoutRequest;
import io.tessera.redemption.CounterStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Everything a customer could get on an order right now: each candidate — an active automatic promotion, one of the
 * customer's published codes, a universal code of a public campaign — is evaluated alone by the engine, all against
 * one snapshot of the customer and of limit usage. Candidate lists come from memory (compiled campaigns, and the
 * project's universal codes cached per config version); a request costs three small queries and N pure evaluations.
 */
public final class Qualifications {
    private final ActiveCampaigns campaigns;
    private final CodeStore codes;
    private final CounterStore counterStore;
    private final io.tessera.customer.CustomerStore customers;
    private final io.tessera.customer.LoyaltyAccounts accounts;
    private final ProjectCache<List<String>> universal;

    /** One thing the customer qualifies for; {@code code} is null for an automatic promotion. */
    public record Qualification(String campaign, String type, String code, long discount, boolean personal) {
    }

    private record Candidate(Promotion promotion, CodeRef code, boolean personal) {
    }

    public Qualifications(ActiveCampaigns campaigns, CodeStore codes, CounterStore counterStore,
                          io.tessera.customer.CustomerStore customers, io.tessera.customer.LoyaltyAccounts accounts,
                          ToLongFunction<String> version, long refreshMillis) {
        this.customers = customers;
        this.accounts = accounts;
        this.campaigns = campaigns;
        this.codes = codes;
        this.counterStore = counterStore;
        // Universal codes change only with their campaign (created, archived), which bumps the config version.
        this.universal = new ProjectCache<>(projectId -> codes.universal(projectId).stream().map(CodeRow::code).toList(),
                version, refreshMillis);
    }

    /** The qualifications, best first (discount descending, then campaign name, then code). */
    public List<Qualification> of(ProjectContext p, CheckoutRequest req, Shopper shopper, Instant now) {
        ActiveCampaigns.Snapshot snap = campaigns.get(p.id());
        List<Candidate> candidates = new ArrayList<>();
        for (Promotion auto : snap.automatic()) candidates.add(new Candidate(auto, null, false));
        if (!shopper.anonymous()) {
            for (CodeStore.Described d : codes.heldBy(p.id(), shopper.id())) {
                CodeRow row = d.row();
                Promotion promo = snap.byId().get(row.campaignId());
                if (promo == null || !row.active()) continue;
                long perCode = promo.limits().codeLimit();
                if (row.redemptions() >= perCode) continue;
                candidates.add(new Candidate(promo, ref(row, promo), true));
            }
        }
        List<String> publicCodes = new ArrayList<>();
        for (String code : universal.get(p.id())) publicCodes.add(code);
        // Fresh rows: a code's active flag changes without a config version bump.
        for (CodeRow row : codes.find(p.id(), publicCodes).values()) {
            Promotion promo = snap.byId().get(row.campaignId());
            if (promo != null && row.active() && Boolean.TRUE.equals(promo.metadata().get("public")))
                candidates.add(new Candidate(promo, ref(row, promo), false));
        }
        Map<String, List<String>> counters = new HashMap<>();
        for (Candidate c : candidates) {
            counters.computeIfAbsent(c.promotion().id(), id -> LimitCounters.names(c.promotion(), shopper, now, p.zone()));
        }
        Usage usage = counterStore.usage(counters);
        List<Qualification> out = new ArrayList<>();
        for (Candidate c : candidates) {
            Evaluation ev = Engine.evaluate(new EvaluationRequest(req.cart(), shopper, req.context(), now, p.zone(),
                    p.maxDiscountsPerOrder(), c.code() == null ? List.of() : List.of(c.code()),
                    c.code() == null ? List.of(c.promotion()) : List.of(), usage, false));
            for (Applied a : ev.applied()) {
                if (a.promotion().id().equals(c.promotion().id())) {
                    out.add(new Qualification(c.promotion().name(), c.promotion().discount().type(),
                            c.code() == null ? null : c.code().code(), a.discount(), c.personal()));
                }
            }
        }
        out.sort(Comparator.comparingLong(Qualification::discount).reversed()
                .thenComparing(Qualification::campaign)
                .thenComparing(q -> q.code() == null ? "" : q.code()));
        return out;
    }

    private static CodeRef ref(CodeRow row, Promotion promo) {
        return new CodeRef(row.code(), promo, row.active(), row.customerId(), row.redemptions(), row.unique());
    }

    /** A code the customer holds, with what it is worth now. */
    public record HeldCode(String code, String campaign, String status, Instant publishedAt) {
    }

    /** A loyalty program the customer is a member of: the balance and tier now (tier null below the first). */
    public record HeldPoints(String program, long balance, String tier) {
    }

    /**
     * The customer's wallet: personal codes, loyalty balances and tiers, and the referral codes the customer shares as
     * a referrer (listed apart from the codes it redeems itself).
     */
    public record Wallet(List<HeldCode> codes, List<HeldPoints> loyalty, List<HeldCode> referralCodes) {
    }

    /** The codes published to a customer with their status now; 404 for an unknown customer. */
    public Wallet wallet(ProjectContext p, String customerId, Instant now) {
        customers.find(p.id(), customerId).orElseThrow(() -> io.tessera.core.Failure.notFound("customer " + customerId));
        ActiveCampaigns.Snapshot snap = campaigns.get(p.id());
        List<HeldCode> held = new ArrayList<>(), referral = new ArrayList<>();
        for (CodeStore.Described d : codes.heldBy(p.id(), customerId)) {
            Promotion promo = snap.byId().get(d.row().campaignId());
            HeldCode code = new HeldCode(d.row().code(), d.campaign(), status(d.row(), promo, now), d.row().publishedAt());
            (promo != null && promo.kind() == io.tessera.discount.PromotionKind.REFERRAL ? referral : held).add(code);
        }
        List<HeldPoints> points = new ArrayList<>();
        new java.util.TreeMap<>(accounts.of(p.id(), customerId, now)).forEach((program, account) ->
                points.add(new HeldPoints(program, account.balance(), account.tier())));
        return new Wallet(held, points, referral);
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
