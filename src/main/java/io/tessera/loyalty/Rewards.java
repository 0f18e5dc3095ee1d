package io.tessera.loyalty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.audit.AuditLog;
import io.tessera.campaign.Campaign;
import io.tessera.campaign.CampaignParser;
import io.tessera.campaign.CampaignService;
import io.tessera.campaign.CodePattern;
import io.tessera.code.Publications;
import io.tessera.core.Actor;
import io.tessera.core.Checks;
import io.tessera.core.Failure;
import io.tessera.core.Ids;
import io.tessera.core.Input;
import io.tessera.core.Json;
import io.tessera.core.Page;
import io.tessera.core.ProjectContext;
import io.tessera.customer.CustomerStore;
import io.tessera.db.Database;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;

/**
 * The rewards catalogue of loyalty programs (create, list, read, patch, archive; audited as {@code loyalty-reward.*})
 * and claims: the points, one of the stock and a published code taken in one transaction, or nothing at all.
 */
public final class Rewards {
    private static final Set<String> FIELDS = Set.of("name", "cost", "grant", "stock");
    private final Database db;
    private final RewardStore store;
    private final LoyaltyService loyalty;
    private final CampaignService campaigns;
    private final CustomerStore customers;
    private final Publications publications;
    private final AuditLog audit;

    public Rewards(Database db, LoyaltyService loyalty, CampaignService campaigns, CustomerStore customers,
                   Publications publications, AuditLog audit) {
        this.db = db;
        this.store = new RewardStore(db);
        this.loyalty = loyalty;
        this.campaigns = campaigns;
        this.customers = customers;
        this.publications = publications;
        this.audit = audit;
    }

    /** What a claim answers: the code published, the points it took and the balance left. */
    public record Claimed(String code, String reward, String campaign, long pointsSpent, long balance) {
    }

    /** A reward's definition, validated: {@code campaign} is the granted campaign's id. */
    private record Definition(String name, long cost, String campaignId, Long stock) {
    }

    // ---- catalogue ----

    public Reward create(ProjectContext p, Actor actor, String programName, JsonNode body, Instant now) {
        Program program = loyalty.program(p.id(), programName);
        Definition d = parse(db.dsl(), p, Input.of(body));
        if (store.find(db.dsl(), p.id(), program.id(), d.name()).isPresent()) throw nameTaken(programName, d.name());
        try {
            return db.transaction(tx -> {
                store.insert(tx, p.id(), program.id(), Ids.next("rwd"), d.name(), d.cost(), d.campaignId(), d.stock(),
                        now);
                Reward created = Reward.of(program.name(), store.find(tx, p.id(), program.id(), d.name()).orElseThrow());
                audit.record(tx, p, actor, "loyalty-reward.created", resource(program, d.name()), null, created, now);
                return created;
            });
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) throw nameTaken(programName, d.name());
            throw e;
        }
    }

    public Reward get(ProjectContext p, String programName, String name) {
        Program program = loyalty.program(p.id(), programName);
        return Reward.of(program.name(), store.find(db.dsl(), p.id(), program.id(), name)
                .orElseThrow(() -> notFound(programName, name)));
    }

    /** In name order; {@code archived}: false hides archived rewards, true shows only them, null all. */
    public Page<Reward> list(ProjectContext p, String programName, Boolean archived, Page.Request page) {
        Program program = loyalty.program(p.id(), programName);
        String after = page.cursor() == null ? "" : page.cursor();
        return Page.of(store.list(p.id(), program.id(), archived, after, page.limit() + 1), page.limit(),
                r -> Reward.of(program.name(), r), RewardStore.Row::name);
    }

    /** RFC 7396 merge patch over the reward, validated whole; the name is fixed ({@code "stock": null}: unlimited). */
    public Reward patch(ProjectContext p, Actor actor, String programName, String name, JsonNode patch, Instant now) {
        if (!patch.isObject()) throw Failure.invalid("body", "must be a JSON object (a merge patch)");
        Program program = loyalty.program(p.id(), programName);
        return db.transaction(tx -> {
            RewardStore.Row current = store.findForUpdate(tx, p.id(), program.id(), name)
                    .orElseThrow(() -> notFound(programName, name));
            Reward before = Reward.of(program.name(), current);
            ObjectNode merged = (ObjectNode) Json.MAPPER.valueToTree(Map.of("name", current.name(), "cost",
                    current.cost(), "grant", Map.of("campaign", current.campaignName())));
            if (current.stock() != null) merged.put("stock", current.stock());
            io.tessera.core.Json.mergePatch(merged, patch);
            Input in = Input.of(merged);
            if (patch.has("name") && !patch.get("name").asText().equals(current.name())) in.fail("name", "cannot be changed");
            Definition d = parse(tx, p, in);
            store.update(tx, p.id(), current.id(), d.cost(), d.campaignId(), d.stock(), current.archived(), now);
            Reward after = Reward.of(program.name(), store.find(tx, p.id(), program.id(), name).orElseThrow());
            audit.record(tx, p, actor, "loyalty-reward.updated", resource(program, name), before, after, now);
            return after;
        });
    }

    /** Archives the reward: it can no longer be claimed; claims made stay in the members' ledgers. */
    public Reward archive(ProjectContext p, Actor actor, String programName, String name, Instant now) {
        Program program = loyalty.program(p.id(), programName);
        return db.transaction(tx -> {
            RewardStore.Row current = store.findForUpdate(tx, p.id(), program.id(), name)
                    .orElseThrow(() -> notFound(programName, name));
            Reward before = Reward.of(program.name(), current);
            store.update(tx, p.id(), current.id(), current.cost(), current.campaignId(), current.stock(), true, now);
            Reward after = Reward.of(program.name(), store.find(tx, p.id(), program.id(), name).orElseThrow());
            audit.record(tx, p, actor, "loyalty-reward.archived", resource(program, name), before, after, now);
            return after;
        });
    }

    // ---- claims ----

    /**
     * The member buys the reward: in one transaction the customer and then the member are locked, the cost is spent
     * (earliest-expiring points first), one is taken from the stock if it has one, and a code of the granted campaign
     * is published to the customer. Any refusal ({@code insufficient_points}, {@code out_of_stock},
     * {@code codes_exhausted}) rolls all of it back.
     */
    public Claimed claim(ProjectContext p, String programName, String customer, String rewardName, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        Program program = loyalty.program(p.id(), programName);
        // Everything read on other connections is read before the transaction: a claim waiting for a member's lock
        // must not need a second connection from the pool.
        RewardStore.Row listed = store.find(db.dsl(), p.id(), program.id(), rewardName)
                .orElseThrow(() -> notFound(programName, rewardName));
        Campaign campaign = campaigns.get(p, listed.campaignName());
        if (campaign.archived()) {
            throw Failure.refused("campaign_archived", "campaign " + campaign.name()
                    + " is archived: its codes are not handed out");
        }
        CampaignParser.CodeSetup codes = campaign.uniqueCodes();
        return db.transaction(tx -> {
            RewardStore.Row reward = store.find(tx, p.id(), program.id(), rewardName)
                    .orElseThrow(() -> notFound(programName, rewardName));
            if (reward.archived()) throw Failure.refused("reward_archived", "reward " + rewardName + " is archived");
            if (!reward.campaignId().equals(campaign.id())) throw Failure.busy("the reward changed meanwhile; retry");
            customers.ensure(tx, p.id(), customer, now);
            store.lockCustomer(tx, p.id(), customer);
            Entry spent = loyalty.spendOnReward(tx, p, program, customer, reward.cost(), rewardName, now);
            if (reward.stock() != null && !store.takeStock(tx, p.id(), reward.id())) {
                throw Failure.conflict("out_of_stock", "reward " + rewardName + " is out of stock");
            }
            // Never the customer's earlier code: each claim paid for a code of its own.
            Publications.Published code = publications.publish(tx, p.id(), campaign.id(), campaign.name(),
                    CodePattern.of(codes.pattern(), codes.charset()), customer, false, campaign.codeLimit(), now);
            return new Claimed(code.code(), rewardName, campaign.name(), reward.cost(), spent.balanceAfter());
        });
    }

    // ---- helpers ----

    private Definition parse(DSLContext dsl, ProjectContext p, Input in) {
        in.allow(FIELDS);
        String name = in.string("name", true, Checks.NAME, Checks.NAME_RULE);
        Long cost = in.integer("cost", true, 1, LoyaltyService.MAX_POINTS);
        Long stock = in.integer("stock", false, 0, LoyaltyService.MAX_POINTS);
        Input grant = in.object("grant", true);
        String campaignId = null;
        if (grant != null) {
            grant.allow(Set.of("campaign"));
            String campaignName = grant.string("campaign", true);
            if (campaignName != null) {
                Campaign c = campaigns.find(dsl, p, campaignName).orElse(null);
                if (c == null) grant.fail("campaign", "no campaign named " + campaignName);
                else if (c.codes() == null || !c.codes().unique())
                    grant.fail("campaign", "must be a CODES campaign with UNIQUE codes");
                else if (c.archived()) grant.fail("campaign", "campaign " + campaignName + " is archived");
                else campaignId = c.id();
            }
        }
        in.check();
        return new Definition(name, cost, campaignId, stock);
    }

    static String resource(Program program, String name) {
        return "loyalty-reward/" + program.name() + "/" + name;
    }

    private static Failure nameTaken(String program, String name) {
        return Failure.conflict("name_taken", "program " + program + " has a reward named '" + name + "'");
    }

    private static Failure notFound(String program, String name) {
        return Failure.notFound("reward " + name + " of loyalty program " + program);
    }
}
