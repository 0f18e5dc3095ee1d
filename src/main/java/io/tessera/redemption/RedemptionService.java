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
    /** The outbox events of redemptions; data is the redemption as the API shows it. */
    public static final String CREATED = "redemption.created";
    public static final String ROLLED_BACK = "redemption.rolled_back";

    public RedemptionService(Database db, RedemptionStore store, CounterStore counters, CampaignService campaigns,
                             LoyaltyPoints loyalty, Outbox outbox) {
        this.outbox = outbox;
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

    public CampaignStats stats(ProjectContext p, String name) {
        return stats(p, name, true);
    }

    /** The stats, without counting the campaign's codes unless {@code codes} (the dashboard does not show them). */
    public CampaignStats stats(ProjectContext p, String name, boolean codes) {
        Campaign c = campaigns.get(p, name);
        RedemptionStore.CampaignStats s = store.stats(c.id());
        Long budget = c.budgetDiscount();
        Long left = budget == null ? null
                : Math.max(0, budget - counters.used(c.id(), LimitCounters.BUDGET_DISCOUNT));
        return new CampaignStats(s.redemptions(), s.rolledBack(), s.discountGiven(), s.ordersValue(), left,
                codes ? store.codeStats(c.id()) : Map.of(), s.byDay());
    }
}
