package io.tessera.code;

import io.tessera.campaign.CodePattern;
import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import io.tessera.campaign.Campaign;
import io.tessera.campaign.CampaignParser;
import io.tessera.campaign.CampaignService;
import io.tessera.core.ProjectContext;
import io.tessera.audit.AuditLog;
import io.tessera.core.Actor;
import io.tessera.customer.CustomerStore;
import io.tessera.customer.Pseudonyms;
import io.tessera.db.Database;
import io.tessera.outbox.Outbox;
import io.tessera.core.Failure;
import io.tessera.core.Ids;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;

/**
 * Hands personal codes to customers. An unused code is claimed with {@code for update skip locked}: concurrent
 * publications each lock a different row and never wait on one another, and no code goes to two customers.
 */
public final class Publications {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ATTEMPTS = 5;
    private static final int WINDOW = 32;
    private final Database db;
    private final CampaignService campaigns;
    private final CustomerStore customers;
    private final Outbox outbox;
    private final AuditLog audit;

    public Publications(Database db, CampaignService campaigns, CustomerStore customers, Outbox outbox, AuditLog audit) {
        this.audit = audit;
        this.db = db;
        this.campaigns = campaigns;
        this.customers = customers;
        this.outbox = outbox;
    }

    /**
     * Publishes a code of campaign {@code campaignName} to the customer (stored with {@code attributes}, if given),
     * in one transaction; see {@link #publish(DSLContext, String, String, String, CodePattern, String, boolean, long,
     * Instant)}.
     */
    public Published publish(ProjectContext p, String campaignName, String customerId, Map<String, Object> attributes,
                             boolean reuse, Instant now) {
        return publish(p, null, campaignName, customerId, attributes, reuse, now);
    }

    /**
     * As above, by {@code actor} (null: not audited, like the API's publications, which are shop traffic): a user
     * handing a code out by hand is recorded as {@code code.published} on the code, naming the customer by its
     * pseudonym only (the audit log outlives an erasure). Handing back a code already held changes nothing and is not
     * recorded.
     */
    public Published publish(ProjectContext p, Actor actor, String campaignName, String customerId,
                             Map<String, Object> attributes, boolean reuse, Instant now) {
        Campaign campaign = campaigns.get(p, campaignName);
        CampaignParser.CodeSetup setup = campaign.uniqueCodes();
        if (campaign.archived()) {
            throw Failure.refused("campaign_archived", "campaign " + campaignName
                    + " is archived: its codes are not handed out");
        }
        CodePattern pattern = CodeService.pattern(setup);
        return db.transaction(tx -> {
            if (attributes != null) customers.upsert(tx, p.id(), customerId, attributes, null, now);
            Published published = publish(tx, p.id(), campaign.id(), campaign.name(), pattern, customerId, reuse,
                    campaign.codeLimit(), now);
            if (actor != null && !published.reused()) {
                Map<String, Object> after = new LinkedHashMap<>();
                after.put("code", published.code());
                after.put("campaign", published.campaign());
                after.put("customer", Pseudonyms.of(tx, p.id(), customerId));
                audit.record(tx, p, actor, "code.published", "code/" + published.code(), null, after, now);
            }
            return published;
        });
    }

    /** A code held by a customer; {@code reused} when it was already theirs. */
    private static boolean postgres(DSLContext tx) {
        return tx.dialect().family() == SQLDialect.POSTGRES;
    }

    /** PostgreSQL: one statement; locked rows are skipped while scanning, so it finds any claimable code. */
    private static String claim(DSLContext tx, String campaignId, String from) {
        String sql = "select code from codes where campaign_id = ? and %s and customer_id is null and active = true "
                + "and redemptions = 0 order by code limit 1 for update skip locked";
        Record r = tx.fetchOptional(sql.formatted("code >= ?"), campaignId, from).orElse(null);
        if (r == null && !from.isEmpty()) r = tx.fetchOptional(sql.formatted("code < ?"), campaignId, from).orElse(null);
        return r == null ? null : r.get("code", String.class);
    }

    /**
     * H2 applies {@code limit} before skipping locked rows (a claim could find "nothing" while codes are left), so
     * there: read candidates a window at a time without locks, and lock them one by one, skipping locked ones.
     */
    private static String claimEach(DSLContext tx, String campaignId, String from) {
        String free = " and customer_id is null and active = true and redemptions = 0";
        boolean wrapped = from.isEmpty();
        String after = from;
        boolean inclusive = true;
        while (true) {
            List<Object> args = new ArrayList<>(List.of(campaignId, after));
            String sql = "select code from codes where campaign_id = ? and code " + (inclusive ? ">=" : ">") + " ?";
            if (wrapped && !from.isEmpty()) {
                sql += " and code < ?";
                args.add(from);
            }
            List<String> window = tx.fetch(sql + free + " order by code limit " + WINDOW, args.toArray())
                    .map(r -> r.get("code", String.class));
            for (String code : window) {
                if (tx.fetchOptional("select code from codes where campaign_id = ? and code = ?" + free
                        + " for update skip locked", campaignId, code).isPresent()) return code;
            }
            if (window.size() == WINDOW) {
                after = window.getLast();
                inclusive = false;
            } else if (!wrapped) {
                wrapped = true;
                after = "";
                inclusive = true;
            } else {
                return null;
            }
        }
    }

    public record Published(String id, String code, String customer, String campaign, Instant publishedAt,
                            boolean reused) {
        public Map<String, Object> view() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("code", code);
            m.put("customer", customer);
            m.put("campaign", campaign);
            m.put("publishedAt", publishedAt);
            return m;
        }
    }

    /**
     * Publishes a code of the campaign to the customer within {@code tx} (the customer is created if new). With
     * {@code reuse}, a code the customer holds that can still be redeemed ({@code redemptions < perCode}, active) is
     * handed back instead. Throws 409 {@code codes_exhausted} when no unused code is left; the caller's transaction
     * then rolls back, so nothing is written. {@code pattern} is the campaign's code pattern (null if unknown): the
     * claim starts from a random code of it.
     */
    public Published publish(DSLContext tx, String projectId, String campaignId, String campaignName,
                             CodePattern pattern, String customerId, boolean reuse, long perCode, Instant now) {
        customers.ensure(tx, projectId, customerId, now);
        // Publications for one customer go one at a time, so two concurrent ones cannot both find "no code yet".
        tx.execute("select id from customers where project_id = ? and id = ? for update", projectId, customerId);
        if (reuse) {
            Record held = tx.fetchOptional("select code, published_at from codes where campaign_id = ? "
                    + "and customer_id = ? and active = true and redemptions < ? order by published_at, code limit 1",
                    campaignId, customerId, perCode).orElse(null);
            if (held != null) {
                String code = held.get("code", String.class);
                String id = tx.fetchOptional("select id from publications where project_id = ? and code = ? "
                        + "order by created_at desc limit 1", projectId, code).map(r -> r.get("id", String.class))
                        .orElse(null);
                return new Published(id, code, customerId, campaignName, instant(held, "published_at"), true);
            }
        }
        // Claim from a random point of the campaign's codes (wrapping around): handed-out codes are spread evenly,
        // so a claim skips few of them whatever the share already published, and concurrent claims rarely meet.
        RandomCodes starts = pattern == null ? null : new RandomCodes(pattern, RANDOM);
        String code = null;
        for (int attempt = 0; attempt < ATTEMPTS && code == null; attempt++) {
            String from = starts == null ? "" : starts.next();
            String claimed = postgres(tx) ? claim(tx, campaignId, from) : claimEach(tx, campaignId, from);
            if (claimed == null) {
                throw Failure.conflict("codes_exhausted", "campaign " + campaignName + " has no unused code left; "
                        + "generate more with POST /v1/campaigns/" + campaignName + "/codes");
            }
            // Guarded: the row is locked, but H2 may have found it through an older snapshot.
            if (tx.execute("update codes set customer_id = ?, published_at = ? where project_id = ? and code = ? "
                    + "and customer_id is null and active = true and redemptions = 0", customerId, ts(now), projectId,
                    claimed) == 1) code = claimed;
        }
        if (code == null) throw Failure.busy("too much contention on this campaign's codes; retry");
        String id = Ids.next("pub");
        tx.execute("insert into publications (id, project_id, campaign_id, code, customer_id, created_at) "
                + "values (?, ?, ?, ?, ?, ?)", id, projectId, campaignId, code, customerId, ts(now));
        Published p = new Published(id, code, customerId, campaignName, now, false);
        outbox.add(tx, projectId, Outbox.CODE_PUBLISHED, p.view(), now);
        // Last, so that the count's row lock is held only until the commit.
        CodeCounts.add(tx, projectId, campaignId, 0, 1);
        return p;
    }
}
