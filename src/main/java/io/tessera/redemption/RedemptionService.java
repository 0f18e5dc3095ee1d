package io.tessera.redemption;

import io.tessera.campaign.Campaign;
import io.tessera.campaign.CampaignService;
import io.tessera.core.Actor;
import io.tessera.core.Failure;
import io.tessera.core.Page;
import io.tessera.core.ProjectContext;
import io.tessera.core.Json;
import io.tessera.db.Database;
import io.tessera.outbox.Outbox;
import io.tessera.discount.LimitCounters;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reading and rolling back redemptions, and a campaign's statistics. Redemptions themselves are {@link Checkout}. */
public final class RedemptionService {
    private final Database db;
    private final RedemptionStore store;
    private final CounterStore counters;
    private final CampaignService campaigns;
    private final LoyaltyPoints loyalty;
    private final Outbox outbox;
    private final Rollups rollups;
    /** The outbox events of redemptions; data is the redemption as the API shows it. */
    public static final String CREATED = "redemption.created";
    public static final String ROLLED_BACK = "redemption.rolled_back";

    public RedemptionService(Database db, RedemptionStore store, CounterStore counters, CampaignService campaigns,
                             LoyaltyPoints loyalty, Outbox outbox, Rollups rollups) {
        this.outbox = outbox;
        this.rollups = rollups;
        this.db = db;
        this.loyalty = loyalty;
        this.store = store;
        this.counters = counters;
        this.campaigns = campaigns;
    }

    /**
     * Gives back everything the redemption took, once: a second rollback is a 409 {@code already_rolled_back}. The
     * actor and the reason are kept on the redemption (checkout traffic is not in the audit log). Loyalty points it
     * paid with go back to the buckets they came from, in the same transaction as the status change that makes the
     * rollback happen once.
     */
    public RedemptionView rollback(ProjectContext p, Actor actor, String id, String reason, Instant now) {
        RedemptionStore.Stored found = store.find(p.id(), id).orElseThrow(() -> Failure.notFound("redemption " + id));
        String by = actor.type() + ":" + actor.id();
        boolean done = db.transaction(tx -> {
            if (!store.rollback(tx, p.id(), id, reason, by, now)) return false;
            loyalty.giveBack(tx, p, id, now);
            RedemptionView rolledBack = RedemptionView.of(new RedemptionStore.Stored(found.id(), found.customerId(),
                    found.orderId(), "ROLLED_BACK", found.requestHash(), found.response(), found.discount(),
                    found.shippingDiscount(), found.orderValue(), found.createdAt(), now, reason, by));
            outbox.add(tx, p.id(), ROLLED_BACK, data(rolledBack), now);
            return true;
        });
        if (!done) throw Failure.conflict("already_rolled_back", "redemption " + id + " was already rolled back");
        return get(p, id);
    }

    /** A redemption as event data: the JSON the API shows, as a map. */
    static java.util.Map<String, Object> data(RedemptionView view) {
        return Json.toMap(Json.MAPPER.valueToTree(view));
    }

    public RedemptionView get(ProjectContext p, String id) {
        return store.find(p.id(), id).map(RedemptionView::of).orElseThrow(() -> Failure.notFound("redemption " + id));
    }

    /** Which redemptions to list; null members do not filter. */
    public record Filter(String campaign, String customer, String code, String order) {
    }

    /** Newest first. */
    public Page<RedemptionView> list(ProjectContext p, Filter f, Page.Request page) {
        String campaignId = null;
        if (f.campaign() != null) {
            var c = campaigns.find(p, f.campaign());
            if (c.isEmpty()) return new Page<>(List.of(), null);
            campaignId = c.get().id();
        }
        return store.list(p.id(), campaignId, f.customer(), f.code(), f.order(), page.cursor(), page.limit())
                .map(RedemptionView::of);
    }

    /** A campaign's stats: closed days from the rollup, later ones from its redemption lines (see {@link Rollups}). */
    public CampaignStats stats(ProjectContext p, String name) {
        Campaign c = campaigns.get(p, name);
        RedemptionStore.CampaignStats s = store.stats(p.id(), c.id());
        return new CampaignStats(s.redemptions(), s.rolledBack(), s.discountGiven(), s.ordersValue(), budgetLeft(p.id(), c),
                store.codeStats(p.id(), c.id(), s.codesRedeemed()), s.byDay());
    }

    private Long budgetLeft(String projectId, Campaign c) {
        Long budget = c.budgetDiscount();
        return budget == null ? null : Math.max(0, budget - counters.used(projectId, c.id(), LimitCounters.BUDGET_DISCOUNT));
    }

    /** A campaign's line of the dashboard: its standing redemptions and discount, and its budget left (or null). */
    public record Summary(long redemptions, long discountGiven, Long budgetLeft) {
    }

    /** Every given campaign's summary, read together (the dashboard's campaign list). */
    public Map<String, Summary> summaries(ProjectContext p, List<Campaign> of) {
        Map<String, Rollups.Standing> standing = rollups.campaigns(p.id());
        Map<String, Summary> out = new java.util.LinkedHashMap<>();
        for (Campaign c : of) {
            Rollups.Standing s = standing.getOrDefault(c.id(), new Rollups.Standing(0, 0));
            out.put(c.name(), new Summary(s.redemptions(), s.discount(), budgetLeft(p.id(), c)));
        }
        return out;
    }

    /** The project's standing redemptions (each counted once) and discount per day from {@code from}, oldest first. */
    public List<Rollups.Day> days(ProjectContext p, java.time.LocalDate from) {
        return rollups.days(p.id(), from);
    }

    /** The project's codes with the most standing redemptions, ties by code. */
    public List<Rollups.TopCode> topCodes(ProjectContext p, int limit) {
        return rollups.topCodes(p.id(), limit);
    }
}
