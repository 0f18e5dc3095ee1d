package io.tessera.code;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import io.tessera.customer.CustomerStore;
import io.tessera.event.Outbox;
import io.tessera.http.ApiException;
import io.tessera.http.Ids;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * Hands personal codes to customers. An unused code is claimed with {@code for update skip locked}: concurrent
 * publications each lock a different row and never wait on one another, and no code goes to two customers.
 */
public final class Publications {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final CustomerStore customers;
    private final Outbox outbox;

    public Publications(CustomerStore customers, Outbox outbox) {
        this.customers = customers;
        this.outbox = outbox;
    }

    /** A code held by a customer; {@code reused} when it was already theirs. */
    private static Record claim(DSLContext tx, String campaignId, String bound, String from) {
        return tx.fetchOptional("select code from codes where campaign_id = ? and " + bound + " and customer_id is null "
                + "and active = true and redemptions = 0 order by code limit 1 for update skip locked", campaignId, from)
                .orElse(null);
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
        String from = pattern == null ? "" : new RandomCodes(pattern, RANDOM).next();
        Record free = claim(tx, campaignId, "code >= ?", from);
        if (free == null && !from.isEmpty()) free = claim(tx, campaignId, "code < ?", from);
        if (free == null) {
            throw ApiException.conflict("codes_exhausted", "campaign " + campaignName + " has no unused code left; "
                    + "generate more with POST /v1/campaigns/" + campaignName + "/codes");
        }
        String code = free.get("code", String.class);
        tx.execute("update codes set customer_id = ?, published_at = ? where project_id = ? and code = ?",
                customerId, ts(now), projectId, code);
        String id = Ids.next("pub");
        tx.execute("insert into publications (id, project_id, campaign_id, code, customer_id, created_at) "
                + "values (?, ?, ?, ?, ?, ?)", id, projectId, campaignId, code, customerId, ts(now));
        Published p = new Published(id, code, customerId, campaignName, now, false);
        outbox.add(tx, projectId, Outbox.CODE_PUBLISHED, p.view(), now);
        return p;
    }
}
