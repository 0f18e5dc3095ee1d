package io.tessera.redemption;

import io.tessera.db.Database;
import io.tessera.db.Sql;
import io.tessera.discount.CounterUse;
import io.tessera.discount.LimitCounters;
import io.tessera.discount.Limits;
import io.tessera.discount.Promotion;
import io.tessera.discount.Usage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * Limit counters: per-customer ones in {@code counters}, campaign-wide slot rows in {@code counter_slots}. Every take is one guarded statement ({@code used + n <= cap}), so no
 * interleaving of redemptions on any number of nodes can pass a limit.
 *
 * <p>Campaign-wide counters (total, budgets, per period) are what every checkout of a hot code touches, so each is
 * split into up to {@value #SLOTS} slot rows whose caps sum to the limit: concurrent redemptions start at a random
 * slot and rarely wait on the same row. When no single slot has room, the take locks all slots of the counter (in
 * name order) and takes across them, so a limit is reached exactly, never refused early.
 */
public final class CounterStore {
    static final int SLOTS = 8;
    private final Database db;

    public CounterStore(Database db) {
        this.db = db;
    }

    /** Campaign-wide counters are slotted; per-customer ones are not hot and keep one row. */
    public static boolean slotted(String counter) {
        return counter.equals(LimitCounters.TOTAL) || counter.startsWith("budget.") || counter.startsWith("period:");
    }

    static int slotCount(long limit) {
        return (int) Math.max(1, Math.min(SLOTS, limit));
    }

    static long cap(long limit, int slot, int slots) {
        return limit / slots + (slot < limit % slots ? 1 : 0);
    }

    static String slotName(String counter, int slot) {
        return counter + "#" + slot;
    }

    /** One campaign counter taken from by a redemption (a slot row for slotted counters). */
    public record Taken(String campaignId, String counter, long amount) {
    }

    /** A snapshot of the named (logical) counters of the given campaigns, slots summed, for validation. */
    public Usage usage(Map<String, List<String>> countersByCampaign) {
        return usage(countersByCampaign, true);
    }

    /**
     * Like {@link #usage(Map)}; without {@code slotted} the campaign-wide counters read as 0. A redemption uses that
     * first: its guarded takes are what decide, and not reading the hottest rows of the database on every checkout
     * is what lets a hot code scale. A refused redemption is evaluated again with everything, for the exact reason.
     */
    public Usage usage(Map<String, List<String>> countersByCampaign, boolean slotted) {
        var plain = DSL.noCondition();
        var slots = DSL.noCondition();
        boolean anyPlain = false, anySlots = false;
        for (var e : countersByCampaign.entrySet()) {
            List<String> rows = new ArrayList<>(), slotRows = new ArrayList<>();
            for (String c : e.getValue()) {
                if (!slotted(c)) rows.add(c);
                else if (slotted) for (int i = 0; i < SLOTS; i++) slotRows.add(slotName(c, i));
            }
            var campaign = DSL.field(DSL.name("campaign_id")).eq(e.getKey());
            if (!rows.isEmpty()) {
                anyPlain = true;
                plain = plain.or(campaign.and(DSL.field(DSL.name("name"), String.class).in(rows)));
            }
            if (!slotRows.isEmpty()) {
                anySlots = true;
                slots = slots.or(campaign.and(DSL.field(DSL.name("name"), String.class).in(slotRows)));
            }
        }
        if (!anyPlain && !anySlots) return Usage.NONE;
        var fields = List.of(DSL.field(DSL.name("campaign_id"), String.class), DSL.field(DSL.name("name"), String.class),
                DSL.field(DSL.name("used"), Long.class));
        var query = anyPlain ? db.dsl().select(fields).from(DSL.table(DSL.name("counters"))).where(plain) : null;
        var slotQuery = anySlots ? db.dsl().select(fields).from(DSL.table(DSL.name("counter_slots"))).where(slots) : null;
        var result = query == null ? slotQuery.fetch() : slotQuery == null ? query.fetch() : query.unionAll(slotQuery).fetch();
        Map<String, Long> used = new HashMap<>();
        result.forEach(r -> used.merge(r.get(0, String.class) + "\u0000" + logical(r.get(1, String.class)),
                r.get(2, Long.class), Long::sum));
        return (promotionId, counter) -> used.getOrDefault(promotionId + "\u0000" + counter, 0L);
    }

    /** The used amount of a logical counter (slots summed). */
    public long used(String campaignId, String counter) {
        if (!slotted(counter)) {
            return Sql.longValue(db.dsl().fetchValue("select used from counters where campaign_id = ? and name = ?",
                    campaignId, counter));
        }
        return Sql.longValue(db.dsl().fetchValue("select sum(used) from counter_slots where campaign_id = ? and name like ?",
                campaignId, counter + "#%"));
    }

    private static String logical(String row) {
        int hash = row.lastIndexOf('#');
        return hash > 0 && slotted(row.substring(0, hash)) ? row.substring(0, hash) : row;
    }

    /** Takes {@code use.amount} within {@code use.limit}; the rows taken from, or null when it does not fit. */
    public List<Taken> take(DSLContext tx, String campaignId, CounterUse use) {
        if (use.amount() > use.limit()) return null;
        if (use.amount() == 0) return List.of();
        if (!slotted(use.counter())) {
            return guarded(tx, campaignId, use.counter(), use.amount(), use.limit())
                    ? List.of(new Taken(campaignId, use.counter(), use.amount())) : null;
        }
        int slots = slotCount(use.limit());
        if (db.postgres()) {
            List<Taken> got = takeFreeSlot(tx, campaignId, use, slots);
            if (got != null) return got;
        }
        int start = ThreadLocalRandom.current().nextInt(slots);
        for (int j = 0; j < slots; j++) {
            int s = (start + j) % slots;
            String name = slotName(use.counter(), s);
            if (guarded(tx, campaignId, name, use.amount(), cap(use.limit(), s, slots))) {
                return List.of(new Taken(campaignId, name, use.amount()));
            }
        }
        return takeAcrossSlots(tx, campaignId, use, slots);
    }

    /**
     * PostgreSQL: one statement takes from any slot that has room and that no other transaction holds (SKIP LOCKED), so
     * concurrent checkouts of a hot code do not queue behind each other. Null when every slot with room is held right
     * now (or the slots do not exist yet): the caller then waits for a slot the ordinary way.
     */
    private static List<Taken> takeFreeSlot(DSLContext tx, String campaignId, CounterUse use, int slots) {
        Record r = tx.fetchOne("update counter_slots set used = used + ? where campaign_id = ? and name = ("
                + "select name from counter_slots where campaign_id = ? and name like ? and used + ? <= cap "
                + "limit 1 for update skip locked) and used + ? <= cap returning name",
                use.amount(), campaignId, campaignId, use.counter() + "#%", use.amount(), use.amount());
        if (r != null) return List.of(new Taken(campaignId, r.get(0, String.class), use.amount()));
        for (int s = 0; s < slots; s++) {
            tx.execute("insert into counter_slots (campaign_id, name, used, cap) values (?, ?, 0, ?) on conflict do nothing",
                    campaignId, slotName(use.counter(), s), cap(use.limit(), s, slots));
        }
        return null;
    }

    /** A single-row guarded add, creating the row on first use. */
    private static boolean guarded(DSLContext tx, String campaignId, String name, long amount, long cap) {
        if (amount > cap) return false;
        String table = table(name);
        String update = "update " + table + " set used = used + ? where campaign_id = ? and name = ? and used + ? <= ?";
        if (tx.execute(update, amount, campaignId, name, amount, cap) == 1) return true;
        int inserted = table.equals("counters")
                ? tx.execute("insert into counters (campaign_id, name, used) values (?, ?, ?) on conflict do nothing",
                campaignId, name, amount)
                : tx.execute("insert into counter_slots (campaign_id, name, used, cap) values (?, ?, ?, ?) on conflict do nothing",
                campaignId, name, amount, cap);
        if (inserted == 1) return true;
        return tx.execute(update, amount, campaignId, name, amount, cap) == 1;
    }

    /** Slot rows (named {@code counter#slot}) live in {@code counter_slots}, all others in {@code counters}. */
    private static String table(String row) {
        return row.indexOf('#') >= 0 ? "counter_slots" : "counters";
    }

    /** Near the limit: lock every slot of the counter (name order) and take what is left across them. */
    private static List<Taken> takeAcrossSlots(DSLContext tx, String campaignId, CounterUse use, int slots) {
        for (int s = 0; s < slots; s++) {
            tx.execute("insert into counter_slots (campaign_id, name, used, cap) values (?, ?, 0, ?) on conflict do nothing",
                    campaignId, slotName(use.counter(), s), cap(use.limit(), s, slots));
        }
        long[] used = new long[slots];
        for (Record r : tx.fetch("select name, used from counter_slots where campaign_id = ? and name like ? order by name for update",
                campaignId, use.counter() + "#%")) {
            String name = r.get("name", String.class);
            int s = Integer.parseInt(name.substring(name.lastIndexOf('#') + 1));
            if (s < slots) used[s] = Sql.longValue(r.get("used"));
        }
        long free = 0;
        for (int s = 0; s < slots; s++) free += Math.max(0, cap(use.limit(), s, slots) - used[s]);
        if (free < use.amount()) return null;
        List<Taken> taken = new ArrayList<>();
        long left = use.amount();
        for (int s = 0; s < slots && left > 0; s++) {
            long part = Math.min(left, Math.max(0, cap(use.limit(), s, slots) - used[s]));
            if (part == 0) continue;
            tx.execute("update counter_slots set used = used + ? where campaign_id = ? and name = ?", part, campaignId,
                    slotName(use.counter(), s));
            taken.add(new Taken(campaignId, slotName(use.counter(), s), part));
            left -= part;
        }
        return taken;
    }

    /** Gives back what a redemption took, row by row. */
    public void giveBack(DSLContext tx, String redemptionId) {
        for (Record r : tx.fetch("select campaign_id, name, amount from redemption_counters where redemption_id = ? "
                + "order by campaign_id, name", redemptionId)) {
            String name = r.get("name", String.class);
            tx.execute("update " + table(name) + " set used = used - ? where campaign_id = ? and name = ?",
                    Sql.longValue(r.get("amount")), r.get("campaign_id", String.class), name);
        }
    }

    /**
     * After a campaign's limits changed: re-spread each slotted counter over the slots of its new limit, keeping the
     * used amount (an amount already over a lowered limit stays, and nothing more is taken).
     */
    public void rebalance(DSLContext tx, String campaignId, Limits before, Limits after) {
        rebalance(tx, campaignId, LimitCounters.TOTAL, before.redemptions(), after.redemptions());
        rebalance(tx, campaignId, LimitCounters.BUDGET_DISCOUNT, before.budgetDiscount(), after.budgetDiscount());
        rebalance(tx, campaignId, LimitCounters.BUDGET_ORDERS, before.budgetOrders(), after.budgetOrders());
        Long pb = before.perPeriod() == null ? null : before.perPeriod().count();
        Long pa = after.perPeriod() == null ? null : after.perPeriod().count();
        if (pa != null && !pa.equals(pb)) {
            List<String> periods = tx.fetch("select distinct name from counter_slots where campaign_id = ? and name like 'period:%'",
                    campaignId).map(r -> logical(r.get(0, String.class)));
            for (String p : new java.util.LinkedHashSet<>(periods)) rebalance(tx, campaignId, p, pb, pa);
        }
    }

    /**
     * When a limit is introduced on a campaign that already has redemptions (or its period changes), its counters are
     * rebuilt from the standing redemptions, and each redemption is recorded as having taken its share, so the new
     * limit counts what was already given and a later rollback gives it back.
     */
    public void materialize(DSLContext tx, Promotion before, Promotion after, java.time.ZoneId zone) {
        Limits b = before.limits(), a = after.limits();
        List<String> prefixes = new ArrayList<>();
        Limits introduced = new Limits(
                pick(b.redemptions(), a.redemptions(), prefixes, LimitCounters.TOTAL + "#"),
                null,
                pick(b.perCustomer(), a.perCustomer(), prefixes, "customer:"),
                a.perCustomerPerPeriod() != null && !a.perCustomerPerPeriod().period().equals(
                        b.perCustomerPerPeriod() == null ? null : b.perCustomerPerPeriod().period())
                        ? add(prefixes, "customer-period:", a.perCustomerPerPeriod()) : null,
                a.perPeriod() != null && !a.perPeriod().period().equals(b.perPeriod() == null ? null : b.perPeriod().period())
                        ? add(prefixes, "period:", a.perPeriod()) : null,
                pick(b.budgetDiscount(), a.budgetDiscount(), prefixes, LimitCounters.BUDGET_DISCOUNT + "#"),
                pick(b.budgetOrders(), a.budgetOrders(), prefixes, LimitCounters.BUDGET_ORDERS + "#"));
        if (prefixes.isEmpty()) return;
        String id = after.id();
        for (String prefix : prefixes) {
            tx.execute("delete from redemption_counters where campaign_id = ? and name like ?", id, prefix + "%");
            tx.execute("delete from counters where campaign_id = ? and name like ?", id, prefix + "%");
            tx.execute("delete from counter_slots where campaign_id = ? and name like ?", id, prefix + "%");
        }
        Promotion only = new Promotion(id, after.name(), after.kind(), after.active(), after.startsAt(), after.endsAt(),
                after.condition(), after.discount(), after.stacking(), after.currency(), introduced, after.metadata(),
                after.sequence());
        Map<String, Long> used = new HashMap<>();
        Map<String, Long> logicalUsed = new HashMap<>();
        List<org.jooq.Query> rows = new ArrayList<>();
        for (Record r : tx.fetch("select r.id, r.customer_id, r.order_value, r.created_at, l.discount from redemption_lines l "
                + "join redemptions r on r.id = l.redemption_id where l.campaign_id = ? and r.status = 'REDEEMED' "
                + "order by r.created_at, r.id", id)) {
            String customer = r.get("customer_id", String.class);
            io.tessera.discount.Shopper shopper = customer == null ? io.tessera.discount.Shopper.ANONYMOUS
                    : new io.tessera.discount.Shopper(customer, Map.of(), List.of(), null, 0, 0);
            for (CounterUse use : LimitCounters.plan(only, shopper, Sql.instant(r, "created_at"), zone,
                    Sql.longValue(r.get("discount")), Sql.longValue(r.get("order_value")))) {
                // History goes into the slots in order, the way a quiet counter would have filled them.
                String row = use.counter();
                if (slotted(row)) {
                    int slots = slotCount(use.limit());
                    long sofar = logicalUsed.getOrDefault(use.counter(), 0L);
                    int s = 0;
                    while (s < slots - 1 && sofar >= cumulativeCap(use.limit(), s, slots)) s++;
                    row = slotName(use.counter(), s);
                }
                used.merge(row, use.amount(), Long::sum);
                logicalUsed.merge(use.counter(), use.amount(), Long::sum);
                rows.add(tx.query("insert into redemption_counters (redemption_id, campaign_id, name, amount) values (?, ?, ?, ?)",
                        r.get("id", String.class), id, row, use.amount()));
            }
        }
        used.forEach((name, amount) -> rows.add(table(name).equals("counters")
                ? tx.query("insert into counters (campaign_id, name, used) values (?, ?, ?)", id, name, amount)
                : tx.query("insert into counter_slots (campaign_id, name, used, cap) values (?, ?, ?, ?)", id, name, amount,
                capOf(name, introduced))));
        if (!rows.isEmpty()) tx.batch(rows).execute();
    }

    /** The cap of a slot row written by {@link #materialize}; null for per-customer rows (limit given per take). */
    private static Long capOf(String row, Limits l) {
        int hash = row.lastIndexOf('#');
        if (hash < 0) return null;
        String counter = row.substring(0, hash);
        Long limit = counter.equals(LimitCounters.TOTAL) ? l.redemptions()
                : counter.equals(LimitCounters.BUDGET_DISCOUNT) ? l.budgetDiscount()
                : counter.equals(LimitCounters.BUDGET_ORDERS) ? l.budgetOrders()
                : l.perPeriod() == null ? null : l.perPeriod().count();
        if (limit == null) return null;
        int slots = slotCount(limit);
        return cap(limit, Integer.parseInt(row.substring(hash + 1)), slots);
    }

    private static long cumulativeCap(long limit, int slot, int slots) {
        long c = 0;
        for (int i = 0; i <= slot; i++) c += cap(limit, i, slots);
        return c;
    }

    private static Long pick(Long before, Long after, List<String> prefixes, String prefix) {
        if (after == null || before != null) return null;
        prefixes.add(prefix);
        return after;
    }

    private static io.tessera.discount.PeriodLimit add(List<String> prefixes, String prefix,
                                                       io.tessera.discount.PeriodLimit limit) {
        prefixes.add(prefix);
        return limit;
    }

    private static void rebalance(DSLContext tx, String campaignId, String counter, Long before, Long after) {
        if (after == null || after.equals(before)) return;
        long total = 0;
        for (Record r : tx.fetch("select used from counter_slots where campaign_id = ? and name like ? order by name for update",
                campaignId, counter + "#%")) total += Sql.longValue(r.get("used"));
        tx.execute("delete from counter_slots where campaign_id = ? and name like ?", campaignId, counter + "#%");
        int slots = slotCount(after);
        long left = total;
        for (int s = 0; s < slots; s++) {
            long c = cap(after, s, slots);
            long put = s == slots - 1 ? left : Math.min(left, c);
            tx.execute("insert into counter_slots (campaign_id, name, used, cap) values (?, ?, ?, ?)", campaignId,
                    slotName(counter, s), put, c);
            left -= put;
        }
    }
}
