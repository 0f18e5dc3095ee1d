package io.tessera.referral;

import static io.tessera.db.Sql.ts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.campaign.CampaignParser;
import io.tessera.campaign.CodePattern;
import io.tessera.campaign.ReferralSettings;
import io.tessera.code.Publications;
import io.tessera.core.Failure;
import io.tessera.core.Input;
import io.tessera.core.Json;
import io.tessera.core.ProjectContext;
import io.tessera.db.Sql;
import io.tessera.discount.Cart;
import io.tessera.outbox.Outbox;
import io.tessera.loyalty.LoyaltyService;
import io.tessera.order.Order;
import io.tessera.order.OrderChanges;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Referral conversion, inside the order's transaction: when a referee's first paid order links a standing redemption
 * of a referral code (the order's {@code redemption}, or a redemption naming the order's id), the code's owner — the
 * referrer — gets the campaign's reward: points credited as earned, or a code of the reward campaign published to
 * them. A row per (campaign, referee) makes that once per referee, whatever is re-sent, even concurrently.
 */
public final class Referrals implements OrderChanges {
    public static final String CONVERTED = "referral.converted";
    private static final Logger LOG = LoggerFactory.getLogger(Referrals.class);
    private final CampaignParser parser;
    private final LoyaltyService loyalty;
    private final Publications publications;
    private final Outbox outbox;

    public Referrals(CampaignParser parser, LoyaltyService loyalty, Publications publications, Outbox outbox) {
        this.parser = parser;
        this.loyalty = loyalty;
        this.publications = publications;
        this.outbox = outbox;
    }

    @Override
    public void changed(DSLContext tx, ProjectContext p, Order order, String previousStatus, Cart cart, Instant now) {
        String referee = order.customer();
        if (!"PAID".equals(order.status()) || "PAID".equals(previousStatus) || referee == null) return;
        // Only the referee's first paid order converts: a referral brings a new customer.
        long otherPaid = Sql.longValue(tx.fetchValue("select count(*) from orders where project_id = ? and customer_id = ? "
                + "and status = 'PAID' and id <> ?", p.id(), referee, order.id()));
        if (otherPaid > 0) return;
        for (Record r : tx.fetch("select r.id as redemption_id, l.code, c.id as campaign_id, c.seq, c.definition, "
                + "k.customer_id as referrer from redemptions r "
                + "join redemption_lines l on l.project_id = r.project_id and l.redemption_id = r.id "
                + "join campaigns c on c.project_id = l.project_id and c.id = l.campaign_id and c.type = 'REFERRAL' "
                + "join codes k on k.project_id = r.project_id and k.code = l.code "
                + "where r.project_id = ? and r.status = 'REDEEMED' and r.customer_id = ? and (r.id = ? or r.order_id = ?) "
                + "order by r.created_at, l.line_no", p.id(), referee,
                order.redemption() == null ? "" : order.redemption(), order.id())) {
            String referrer = r.get("referrer", String.class);
            if (referrer == null || referrer.equals(referee)) continue;
            convert(tx, p, r, referrer, referee, order.id(), now);
        }
    }

    private void convert(DSLContext tx, ProjectContext p, Record r, String referrer, String referee, String orderId,
                         Instant now) {
        String campaignId = r.get("campaign_id", String.class);
        String code = r.get("code", String.class);
        String redemption = r.get("redemption_id", String.class);
        if (tx.execute("insert into referral_conversions (project_id, campaign_id, referee_id, referrer_id, code, "
                + "order_id, redemption_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing",
                p.id(), campaignId, referee, referrer, code, orderId, redemption, ts(now)) == 0) return;
        CampaignParser.Parsed campaign = parse(r);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("campaign", campaign.promotion().name());
        data.put("code", code);
        data.put("referrer", referrer);
        data.put("referee", referee);
        data.put("order", orderId);
        data.put("redemption", redemption);
        try {
            data.put("reward", reward(tx, p, campaign, referrer, referee, now));
        } catch (Failure f) {
            // The reward cannot be given (its program or campaign archived, no code left): the shop's order is still
            // taken, and the conversion says why the referrer got nothing.
            LOG.warn("referral {}: no reward for {}: {}", campaign.promotion().name(), referrer, f.getMessage());
            data.put("reward", null);
            data.put("rewardRefused", f.getMessage());
        }
        outbox.add(tx, p.id(), CONVERTED, data, now);
    }

    private Map<String, Object> reward(DSLContext tx, ProjectContext p, CampaignParser.Parsed campaign,
                                       String referrer, String referee, Instant now) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (campaign.referral().referrerReward()) {
            case ReferralSettings.Points points -> {
                loyalty.creditReferral(tx, p, points.program(), referrer, points.points(), referee,
                        campaign.promotion().name(), now);
                out.put("points", points.points());
                out.put("program", points.program());
            }
            case ReferralSettings.Code granted -> {
                Record c = tx.fetchOptional("select id, seq, archived, definition from campaigns where project_id = ? "
                        + "and name = ? and type = 'CODES'", p.id(), granted.campaign()).orElseThrow(
                        () -> Failure.notFound("campaign " + granted.campaign()));
                if (Boolean.TRUE.equals(c.get("archived", Boolean.class))) {
                    throw Failure.refused("campaign_archived", "campaign " + granted.campaign() + " is archived");
                }
                CampaignParser.Parsed reward = parse(c);
                CampaignParser.CodeSetup codes = reward.codes();
                if (codes == null || !codes.unique()) {
                    throw Failure.refused("not_unique_codes", "campaign " + granted.campaign() + " has no unique codes");
                }
                // A code of its own for each referee brought: never one the referrer already holds.
                Publications.Published published = publications.publish(tx, p.id(), c.get("id", String.class),
                        granted.campaign(), CodePattern.of(codes.pattern(), codes.charset()), referrer, false,
                        reward.promotion().limits().codeLimit(), now);
                out.put("campaign", granted.campaign());
                out.put("code", published.code());
            }
        }
        return out;
    }

    private CampaignParser.Parsed parse(Record r) {
        String id = r.get(r.field("campaign_id") != null ? "campaign_id" : "id", String.class);
        CampaignParser.Parsed parsed = parser.parse(Input.of((ObjectNode) Json.parse(r.get("definition", String.class))),
                id, Sql.longValue(r.get("seq")));
        if (parsed == null) throw new IllegalStateException("campaign " + id + " no longer validates");
        return parsed;
    }
}
