package io.tessera.loyalty;

import static io.tessera.db.Sql.ts;

import io.tessera.campaign.CampaignParser;
import io.tessera.campaign.LoyaltySettings;
import io.tessera.customer.LoyaltyAccounts;
import io.tessera.db.Database;
import io.tessera.db.Sql;
import io.tessera.rule.Activation;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * {@code customer.loyalty}: the balance and tier of a customer in every program it is a member of, at one instant, in
 * one query (the balance and "earned" summed per program by the database, as {@link Account} computes them).
 */
public final class MemberAccounts implements LoyaltyAccounts {
    private final Database db;
    private final Programs programs;

    public MemberAccounts(Database db, CampaignParser parser) {
        this.db = db;
        this.programs = new Programs(db, parser);
    }

    @Override
    public Map<String, Activation.LoyaltyAccount> of(DSLContext dsl, String projectId, String customerId, Instant at) {
        if (customerId == null) return Map.of();
        if (dsl == null) dsl = db.dsl();
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        Map<String, Activation.LoyaltyAccount> out = new HashMap<>();
        for (Record r : dsl.fetch("select c.id, c.seq, c.name, c.archived, c.definition, "
                        + "coalesce(sum(case when b.available_at <= ? and (b.expires_at is null or b.expires_at > ?) "
                        + "then b.remaining else 0 end), 0) as balance, "
                        + "coalesce(sum(case when b.available_at <= ? then b.earned - b.reversed else 0 end), 0) as lifetime, "
                        + "coalesce(sum(case when b.available_at <= ? and b.available_at > ? then b.earned - b.reversed "
                        + "else 0 end), 0) as recent "
                        + "from loyalty_members m "
                        + "join campaigns c on c.project_id = m.project_id and c.id = m.program_id "
                        + "left join loyalty_buckets b on b.project_id = m.project_id and b.program_id = m.program_id "
                        + "and b.customer_id = m.customer_id and b.dropped = false "
                        + "where m.project_id = ? and m.customer_id = ? "
                        + "group by c.id, c.seq, c.name, c.archived, c.definition",
                ts(now), ts(now), ts(now), ts(now), ts(now.minus(Account.YEAR)), projectId, customerId)) {
            Program program = programs.program(r);
            Account.Earned earned = new Account.Earned(Sql.longValue(r.get("lifetime")), Sql.longValue(r.get("recent")));
            LoyaltySettings.Tier tier = new Account(List.of(), earned, now).tier(program.settings());
            out.put(program.name(), new Activation.LoyaltyAccount(Math.max(0, Sql.longValue(r.get("balance"))),
                    tier == null ? null : tier.name()));
        }
        return Map.copyOf(out);
    }
}
