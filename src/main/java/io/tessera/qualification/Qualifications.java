package io.tessera.qualification;

import io.tessera.campaign.ActiveCampaigns;
import io.tessera.code.CodeRow;
import io.tessera.code.CodeStore;
import io.tessera.db.Pipeline;
import io.tessera.db.ProjectCache;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.tessera.discount.Applied;
import io.tessera.discount.Cart;
import io.tessera.discount.CartLine;
import io.tessera.discount.Discount;
import io.tessera.discount.CodeRef;
import io.tessera.discount.PreparedOrder;
import io.tessera.discount.Evaluation;
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
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.ToLongBiFunction;
import org.jooq.DSLContext;

/**
 * Everything a customer could get on an order right now: each candidate — an active automatic promotion, one of the
 * customer's published codes, a universal code of a public campaign — is evaluated alone by the engine, all against
 * one snapshot of the customer and of limit usage. Candidate lists come from memory (compiled campaigns, and the
 * project's universal codes cached per config version); a request costs one round trip of reads (the customer, their
 * codes, the public codes' rows), one more for the usage of limits when a candidate has any, and N pure evaluations.
 *
 * <p><b>Near misses.</b> A candidate that does not apply (or applies below its top tier) is tried again with one extra
 * line of price X added to the order, X found by bisection between 1 and 10 × the subtotal (100,000 for an empty
 * order): about 20 more pure evaluations per such candidate, still without a database read. Bisection finds the
 * smallest X on the assumption that spending more never makes a promotion stop applying, which holds for every
 * condition on amounts that only grow with the order ({@code order.subtotal >= …}, tiers, item amounts).
 */
public final class Qualifications {
    private final ActiveCampaigns campaigns;
    private final CodeStore codes;
    private final CounterStore counterStore;
    private final io.tessera.customer.CustomerStore customers;
    private final io.tessera.customer.LoyaltyAccounts accounts;
    private final ProjectCache<List<String>> universal;

    /**
     * One thing the customer qualifies for; {@code code} is null for an automatic promotion; {@code display} the
     * campaign's storefront texts in the chosen locale (null: it has none); {@code endsAt} when the campaign ends.
     */
    public record Qualification(String campaign, String type, String code, long discount, boolean personal,
                                Map<String, String> display, Instant endsAt) {
    }

    /**
     * A promotion that would apply (or reach its next tier) with {@code missing} more in the order, giving
     * {@code discount} then.
     */
    public record NearMiss(String campaign, String code, Map<String, String> display, long missing, long discount) {
    }

    /** What a qualification request asks for beyond the order: the storefront's locale, and whether near misses. */
    public record Ask(String locale, boolean nearMiss) {
    }

    /** The qualifications, best first, and (when asked for) the near misses, closest first. */
    public record Result(List<Qualification> data, @JsonInclude(JsonInclude.Include.NON_NULL) List<NearMiss> almost) {
    }

    /** The line a near miss adds: any product at price X, in no category. */
    private static CartLine extra(long price) {
        return new CartLine("*", "*", List.of(), price, 1, Map.of());
    }

    /** Largest order a near miss searches to when the order is empty (minor units). */
    static final long EMPTY_ORDER_REACH = 100_000;

    private record Candidate(Promotion promotion, CodeRef code, boolean personal) {
    }

    public Qualifications(ActiveCampaigns campaigns, CodeStore codes, CounterStore counterStore,
                          io.tessera.customer.CustomerStore customers, io.tessera.customer.LoyaltyAccounts accounts,
                          io.tessera.db.Database db, ToLongBiFunction<DSLContext, String> version,
                          long refreshMillis) {
        this.customers = customers;
        this.accounts = accounts;
        this.campaigns = campaigns;
        this.codes = codes;
        this.counterStore = counterStore;
        // Universal codes change only with their campaign (created, archived), which bumps the config version.
        this.universal = new ProjectCache<>(db,
                (dsl, projectId) -> codes.universal(dsl, projectId).stream().map(CodeRow::code).toList(),
                version, refreshMillis);
    }

    /** A qualification's reads: the customer's codes (null: anonymous) and the public universal codes (null: none). */
    public record Reads(Pipeline.Read<CodeStore.Described> held, Pipeline.Read<CodeRow> published) {
    }

    /**
     * Adds a qualification's reads to {@code pipeline}, the one that reads the customer too: a qualification reads
     * in one round trip, then the usage of its candidates' limits when they have any.
     */
    public Reads reads(Pipeline pipeline, ProjectContext p, String customerId) {
        List<String> publicCodes = universal.get(p.id());
        return new Reads(customerId == null ? null : CodeStore.heldBy(pipeline, p.id(), customerId),
                publicCodes.isEmpty() ? null : CodeStore.find(pipeline, p.id(), publicCodes));
    }

    /**
     * The qualifications, best first (discount descending, then campaign name, then code), and the near misses when
     * asked (missing ascending, then campaign name). An absent order is an empty one in the project's currency.
     */
    public Result of(ProjectContext p, CheckoutRequest req, Shopper shopper, Reads found, Ask ask, Instant now) {
        ActiveCampaigns.Snapshot snap = campaigns.get(p.id());
        Cart cart = req.cart() != null ? req.cart() : new Cart(p.currency(), List.of(), 0);
        List<Candidate> candidates = new ArrayList<>();
        for (Promotion auto : snap.automatic()) candidates.add(new Candidate(auto, null, false));
        if (found.held() != null) { // null: anonymous
            for (CodeStore.Described d : found.held().rows()) {
                CodeRow row = d.row();
                Promotion promo = snap.byId().get(row.campaignId());
                if (promo == null || !row.active()) continue;
                long perCode = promo.limits().codeLimit();
                if (row.redemptions() >= perCode) continue;
                candidates.add(new Candidate(promo, ref(row, promo), true));
            }
        }
        // Fresh rows: a code's active flag changes without a config version bump.
        for (CodeRow row : found.published() == null ? List.<CodeRow>of() : found.published().rows()) {
            Promotion promo = snap.byId().get(row.campaignId());
            if (promo != null && row.active() && Boolean.TRUE.equals(promo.metadata().get("public")))
                candidates.add(new Candidate(promo, ref(row, promo), false));
        }
        Map<String, List<String>> counters = new HashMap<>();
        for (Candidate c : candidates) {
            counters.computeIfAbsent(c.promotion().id(), id -> LimitCounters.names(c.promotion(), shopper, now, p.zone()));
        }
        Usage usage = counterStore.usage(p.id(), counters);
        // The order's CEL variables once for all candidates (and near-miss probes), not once per evaluation.
        PreparedOrder order = PreparedOrder.of(cart, shopper, req.context(), now);
        List<Qualification> out = new ArrayList<>();
        List<NearMiss> almost = ask.nearMiss() ? new ArrayList<>() : null;
        for (Candidate c : candidates) {
            Promotion promo = c.promotion();
            String code = c.code() == null ? null : c.code().code();
            Map<String, String> display = snap.display(promo.id(), ask.locale(), p.locale());
            Applied a = evaluate(p, c, order, usage);
            if (a != null) {
                out.add(new Qualification(promo.name(), promo.discount().type(), code, a.discount(), c.personal(),
                        display, promo.endsAt()));
            }
            if (almost != null && (a == null || belowTopTier(a))) {
                NearMiss miss = nearMiss(p, c, order, usage, a);
                if (miss != null) almost.add(new NearMiss(promo.name(), code, display, miss.missing(), miss.discount()));
            }
        }
        out.sort(Comparator.comparingLong(Qualification::discount).reversed()
                .thenComparing(Qualification::campaign)
                .thenComparing(q -> q.code() == null ? "" : q.code()));
        if (almost != null) {
            almost.sort(Comparator.comparingLong(NearMiss::missing).thenComparing(NearMiss::campaign)
                    .thenComparing(m -> m.code() == null ? "" : m.code()));
        }
        return new Result(out, almost);
    }

    /** The candidate evaluated alone on {@code cart}: what it gives, or null when it does not apply. */
    private static Applied evaluate(ProjectContext p, Candidate c, PreparedOrder order, Usage usage) {
        Evaluation ev = order.evaluate(p.zone(), p.maxDiscountsPerOrder(), c.code() == null ? List.of() : List.of(c.code()),
                c.code() == null ? List.of(c.promotion()) : List.of(), usage, false);
        for (Applied a : ev.applied()) if (a.promotion().id().equals(c.promotion().id())) return a;
        return null;
    }

    /** A tiered discount applying at a tier with a higher one above it. */
    private static boolean belowTopTier(Applied a) {
        if (a.tier() == null || !(a.promotion().discount() instanceof Discount.Tiered t)) return false;
        return t.tiers().stream().anyMatch(other -> other.min() > a.tier().min());
    }

    /**
     * The smallest extra amount that makes the candidate apply ({@code now == null}) or reach a higher tier than
     * {@code now}'s, with what it then gives; null when no amount up to the reach does.
     */
    private static NearMiss nearMiss(ProjectContext p, Candidate c, PreparedOrder order, Usage usage, Applied current) {
        long subtotal = order.cart().subtotal();
        long hi = subtotal > 0 ? Math.multiplyExact(subtotal, 10) : EMPTY_ORDER_REACH;
        Applied best = unlocked(p, c, order, usage, current, hi);
        if (best == null) return null;
        long lo = 1;
        // The amount searched for is "the smallest that unlocks", which every probe's answer narrows to one side. The
        // amounts the campaign is written with are tried first, in ascending order, each narrowing the bounds as a
        // probe of the binary search would: for a threshold (order.subtotal >= 5000, a tier's minimum) its amount less
        // one fails and its amount unlocks, so 3 probes end the search where the binary search takes about 19.
        int tried = 0;
        for (long guess : guesses(c.promotion(), subtotal)) {
            if (guess < lo || guess >= hi) continue;
            if (++tried > MAX_GUESSES) break;
            Applied a = unlocked(p, c, order, usage, current, guess);
            if (a == null) {
                lo = guess + 1;
            } else {
                hi = guess;
                best = a;
            }
        }
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            Applied a = unlocked(p, c, order, usage, current, mid);
            if (a != null) {
                hi = mid;
                best = a;
            } else {
                lo = mid + 1;
            }
        }
        return new NearMiss(c.promotion().name(), null, null, hi, best.discount());
    }

    /** Probes spent on {@link #guesses} before the binary search goes on alone. */
    private static final int MAX_GUESSES = 6;

    /**
     * Extra amounts likely to be the smallest that unlocks the promotion, ascending: each number its condition is
     * written with, and each tier's minimum, taken as a threshold on the subtotal or on the added line's price, with
     * the amount one below it (which a {@code >=} threshold refuses) and one above (the first a {@code >} accepts).
     */
    private static SortedSet<Long> guesses(Promotion promo, long subtotal) {
        SortedSet<Long> out = new TreeSet<>();
        List<Long> thresholds = new ArrayList<>();
        if (promo.condition() != null) for (long n : promo.condition().numbers()) thresholds.add(n);
        if (promo.discount() instanceof Discount.Tiered t) for (Discount.Tier tier : t.tiers()) thresholds.add(tier.min());
        for (long n : thresholds) {
            for (long base : new long[]{n - subtotal, n}) {
                for (long d = -1; d <= 1; d++) if (base + d >= 1) out.add(base + d);
            }
        }
        return out;
    }

    /** What the candidate gives with an extra line of {@code price}, if that unlocks it (or its next tier); else null. */
    private static Applied unlocked(ProjectContext p, Candidate c, PreparedOrder order, Usage usage, Applied current,
                                    long price) {
        Applied a = evaluate(p, c, order.withLine(extra(price)), usage);
        if (a == null) return null;
        if (current == null) return a;
        return a.tier() != null && a.tier().min() > current.tier().min() ? a : null;
    }

    private static CodeRef ref(CodeRow row, Promotion promo) {
        return new CodeRef(row.code(), promo, row.active(), row.customerId(), row.redemptions(), row.unique());
    }

    /** A code the customer holds, with what it is worth now. */
    public record HeldCode(String code, String campaign, String status, Instant publishedAt,
                           Map<String, String> display) {
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

    /**
     * The codes published to a customer with their status now and their campaign's texts in {@code locale} (null: the
     * project's); 404 for an unknown customer.
     */
    public Wallet wallet(ProjectContext p, String customerId, String locale, Instant now) {
        customers.find(p.id(), customerId).orElseThrow(() -> io.tessera.core.Failure.notFound("customer " + customerId));
        ActiveCampaigns.Snapshot snap = campaigns.get(p.id());
        List<HeldCode> held = new ArrayList<>(), referral = new ArrayList<>();
        for (CodeStore.Described d : codes.heldBy(p.id(), customerId)) {
            Promotion promo = snap.byId().get(d.row().campaignId());
            HeldCode code = new HeldCode(d.row().code(), d.campaign(), status(d.row(), promo, now), d.row().publishedAt(),
                    snap.display(d.row().campaignId(), locale, p.locale()));
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
