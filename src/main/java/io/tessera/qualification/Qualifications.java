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
import io.tessera.core.Principal;
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
    private final ProjectCache<List<String>> universal;

    /** One thing the customer qualifies for; {@code code} is null for an automatic promotion. */
    public record Qualification(String campaign, String type, String code, long discount, boolean personal) {
    }

    private record Candidate(Promotion promotion, CodeRef code, boolean personal) {
    }

    public Qualifications(ActiveCampaigns campaigns, CodeStore codes, CounterStore counterStore,
                          ToLongFunction<String> version, long refreshMillis) {
        this.campaigns = campaigns;
        this.codes = codes;
        this.counterStore = counterStore;
        // Universal codes change only with their campaign (created, archived), which bumps the config version.
        this.universal = new ProjectCache<>(projectId -> codes.universal(projectId).stream().map(CodeRow::code).toList(),
                version, refreshMillis);
    }

    /** The qualifications, best first (discount descending, then campaign name, then code). */
    public List<Qualification> of(Principal p, CheckoutRequest req, Shopper shopper, Instant now) {
        ActiveCampaigns.Snapshot snap = campaigns.get(p.projectId());
        List<Candidate> candidates = new ArrayList<>();
        for (Promotion auto : snap.automatic()) candidates.add(new Candidate(auto, null, false));
        if (!shopper.anonymous()) {
            for (CodeStore.Described d : codes.heldBy(p.projectId(), shopper.id())) {
                CodeRow row = d.row();
                Promotion promo = snap.byId().get(row.campaignId());
                if (promo == null || !row.active()) continue;
                long perCode = promo.limits().codeLimit();
                if (row.redemptions() >= perCode) continue;
                candidates.add(new Candidate(promo, ref(row, promo), true));
            }
        }
        List<String> publicCodes = new ArrayList<>();
        for (String code : universal.get(p.projectId())) publicCodes.add(code);
        // Fresh rows: a code's active flag changes without a config version bump.
        for (CodeRow row : codes.find(p.projectId(), publicCodes).values()) {
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
}
