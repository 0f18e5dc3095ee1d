package io.tessera.redemption;

import io.tessera.db.Database;
import io.tessera.db.Pipeline;
import io.tessera.db.Sql;
import io.tessera.discount.CounterUse;
import io.tessera.discount.LimitCounters;
import io.tessera.discount.Limits;
import io.tessera.discount.Period;
import io.tessera.discount.PeriodLimit;
import io.tessera.discount.Promotion;
import io.tessera.discount.Usage;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
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
 *
 * <p>Limits changed under load. Each node plans a redemption's takes from its cached copy of the campaign, which may be
 * outdated. So a redemption first holds its campaigns' limits ({@link #holdLimits}: a shared lock, then the limits as
 * the database has them) and commits only if it planned with those; a change of limits ({@link #limitsChanged}) takes
 * the same lock exclusively, so it waits for the redemptions in flight and keeps new ones out until it commits. Every
 * redemption is therefore wholly before a change (and counted by it) or wholly after it (and planned with it). The caps
 * a take compares with are the database's: slot rows carry theirs, and the limits of the other counters were just
 * checked against the database under that lock.
 */
public final class CounterStore {
    static final int SLOTS = 8;
    /** First key of the PostgreSQL advisory locks that order redemptions and limit changes of a campaign. */
    private static final int LOCK_SPACE = 0x7e55_0001;
    /** Records what a redemption took from one counter row, for a rollback to give back. */
    private static final String RECORD_TAKEN = "insert into redemption_counters (project_id, redemption_id, campaign_id, "
            + "name, amount) values (?, ?, ?, ?, ?)";
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
    public Usage usage(String projectId, Map<String, List<String>> countersByCampaign) {
        return usage(projectId, countersByCampaign, true);
    }

    /**
     * Like {@link #usage(String, Map)}; without {@code slotted} the campaign-wide counters read as 0. A redemption uses that
     * first: its guarded takes are what decide, and not reading the hottest rows of the database on every checkout
     * is what lets a hot code scale. A refused redemption is evaluated again with everything, for the exact reason.
     */
    public Usage usage(String projectId, Map<String, List<String>> countersByCampaign, boolean slotted) {
        var plain = DSL.noCondition();
        var slots = DSL.noCondition();
        boolean anyPlain = false, anySlots = false;
        for (var e : countersByCampaign.entrySet()) {
            List<String> rows = new ArrayList<>(), slotRows = new ArrayList<>();
            for (String c : e.getValue()) {
                if (!slotted(c)) rows.add(c);
                else if (slotted) for (int i = 0; i < SLOTS; i++) slotRows.add(slotName(c, i));
            }
            if (rows.isEmpty() && slotRows.isEmpty()) continue; // most campaigns: no counter to read
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
        var project = DSL.field(DSL.name("project_id")).eq(projectId);
        var query = anyPlain ? db.dsl().select(fields).from(DSL.table(DSL.name("counters"))).where(project.and(plain)) : null;
        var slotQuery = anySlots ? db.dsl().select(fields).from(DSL.table(DSL.name("counter_slots")))
                .where(project.and(slots)) : null;
        var result = query == null ? slotQuery.fetch() : slotQuery == null ? query.fetch() : query.unionAll(slotQuery).fetch();
        Map<String, Long> used = new HashMap<>();
        result.forEach(r -> used.merge(r.get(0, String.class) + "\u0000" + logical(r.get(1, String.class)),
                r.get(2, Long.class), Long::sum));
        return (promotionId, counter) -> used.getOrDefault(promotionId + "\u0000" + counter, 0L);
    }

    /** The used amount of a logical counter (slots summed). */
    public long used(String projectId, String campaignId, String counter) {
        if (!slotted(counter)) {
            return Sql.longValue(db.dsl().fetchValue("select used from counters where project_id = ? and campaign_id = ? "
                    + "and name = ?", projectId, campaignId, counter));
        }
        return Sql.longValue(db.dsl().fetchValue("select sum(used) from counter_slots where project_id = ? "
                + "and campaign_id = ? and name like ?", projectId, campaignId, counter + "#%"));
    }

    private static String logical(String row) {
        int hash = row.lastIndexOf('#');
        return hash > 0 && slotted(row.substring(0, hash)) ? row.substring(0, hash) : row;
    }

    /**
     * Takes {@code use.amount} within {@code use.limit} for redemption {@code redemptionId}; false when it does not fit.
     * The caller holds the campaign's limits ({@link #holdLimits}) and planned {@code use} with them: its limit is the
     * database's. A per-customer counter is known before the take, so the caller records it with the redemption; a slot
     * row is known only once taken, so this records it (in {@code redemption_counters}, for a rollback to give back).
     * Slot rows compare with the cap they carry; a missing one is created with its share of that limit.
     */
    public boolean take(DSLContext tx, String projectId, String redemptionId, String campaignId, CounterUse use) {
        return take(tx, projectId, redemptionId, campaignId, use, false);
    }

    /**
     * As {@link #take(DSLContext, String, String, String, CounterUse)}; with {@code freeSlotOnly}, a slotted counter is
     * taken only from a slot row no other transaction holds (PostgreSQL; this transaction's own are free to it), never
     * waiting, and false means only that there was none: a group commit's member must not wait for a slot while the
     * group holds its other members' rows (GroupCommit), so the group runs again one redemption at a time.
     */
    boolean take(DSLContext tx, String projectId, String redemptionId, String campaignId, CounterUse use,
                 boolean freeSlotOnly) {
        if (use.amount() > use.limit()) return false;
        if (use.amount() == 0) return true;
        if (!slotted(use.counter())) return guarded(tx, projectId, campaignId, use.counter(), use.amount(), use.limit());
        int slots = slotCount(use.limit());
        if (db.postgres()) {
            if (takeFreeSlot(tx, projectId, redemptionId, campaignId, use)) return true;
            if (freeSlotOnly) return false;
            addSlots(tx, projectId, campaignId, use, slots);
        }
        List<Taken> got = null;
        int start = ThreadLocalRandom.current().nextInt(slots);
        for (int j = 0; j < slots && got == null; j++) {
            int s = (start + j) % slots;
            String name = slotName(use.counter(), s);
            if (guardedSlot(tx, projectId, campaignId, name, use.amount(), cap(use.limit(), s, slots))) {
                got = List.of(new Taken(campaignId, name, use.amount()));
            }
        }
        if (got == null) got = takeAcrossSlots(tx, projectId, campaignId, use, slots);
        if (got == null) return false;
        for (Taken t : got) {
            tx.execute(RECORD_TAKEN, projectId, redemptionId, t.campaignId(), t.counter(), t.amount());
        }
        return true;
    }

    /** A take planned for one campaign's counter. */
    public record Use(String campaignId, CounterUse use) {
    }

    /**
     * Per-customer counters of a customer this redemption creates: their rows almost surely do not exist yet, so their
     * inserts go in {@code batch}. {@code refused}: the index in {@code uses} of one whose amount exceeds its limit
     * outright (nothing was added then), else -1.
     */
    public record NewTakes(String projectId, List<Use> uses, int[] inserts, int refused) {
    }

    /** New counter rows in a pipeline: one insert for all (a group commit's members'), telling which it inserted. */
    private static final Pipeline.Insert NEW_COUNTERS = new Pipeline.Insert("counters", "project_id, campaign_id, name, "
            + "used", "on conflict do nothing", 3);

    public NewTakes addNew(Pipeline batch, String projectId, List<Use> uses) {
        int[] inserts = new int[uses.size()];
        for (int i = 0; i < uses.size(); i++) {
            if (uses.get(i).use().amount() > uses.get(i).use().limit()) return new NewTakes(projectId, uses, inserts, i);
        }
        for (int i = 0; i < uses.size(); i++) {
            CounterUse u = uses.get(i).use();
            inserts[i] = u.amount() == 0 ? -1 : batch.row(NEW_COUNTERS, projectId, uses.get(i).campaignId(), u.counter(),
                    u.amount());
        }
        return new NewTakes(projectId, uses, inserts, -1);
    }

    /**
     * Once {@code batch} ran: takes with a guarded update from each row that existed after all (left by an erased
     * customer of the same id). The index of the first the limit refuses, or -1 when all were taken.
     */
    public int settleNew(DSLContext tx, Pipeline batch, NewTakes t) {
        for (int i = 0; i < t.uses().size(); i++) {
            if (t.inserts()[i] < 0 || batch.inserted(t.inserts()[i])) continue;
            CounterUse u = t.uses().get(i).use();
            if (!guarded(tx, t.projectId(), t.uses().get(i).campaignId(), u.counter(), u.amount(), u.limit())) return i;
        }
        return -1;
    }

    /**
     * PostgreSQL: one statement takes from any slot that has room and that no other transaction holds (SKIP LOCKED), so
     * concurrent checkouts of a hot code do not queue behind each other, and records the take: the slot row stays
     * locked from here to the commit, so this is the redemption's last round trip before it. False when every slot
     * with room is held right now (or the slots do not exist yet): {@link #take} makes every slot then, before it waits
     * for one the ordinary way. (Made one at a time as the waits found them missing, they deadlocked with takes that
     * lock all the slots, in LimitConcurrencyTest.)
     */
    private static boolean takeFreeSlot(DSLContext tx, String projectId, String redemptionId, String campaignId,
                                        CounterUse use) {
        int recorded = tx.execute("with taken as (update counter_slots set used = used + ? where project_id = ? "
                + "and campaign_id = ? and name = (select name from counter_slots where project_id = ? "
                + "and campaign_id = ? and name like ? and used + ? <= cap limit 1 for update skip locked) "
                + "and used + ? <= cap returning name) "
                + "insert into redemption_counters (project_id, redemption_id, campaign_id, name, amount) "
                + "select ?, ?, ?, name, ? from taken",
                use.amount(), projectId, campaignId, projectId, campaignId, use.counter() + "#%", use.amount(),
                use.amount(), projectId, redemptionId, campaignId, use.amount());
        return recorded == 1;
    }

    /** The counter's slot rows that do not exist yet, each with its share of the limit. */
    private static void addSlots(DSLContext tx, String projectId, String campaignId, CounterUse use, int slots) {
        for (int s = 0; s < slots; s++) {
            tx.execute("insert into counter_slots (project_id, campaign_id, name, used, cap) values (?, ?, ?, 0, ?) "
                    + "on conflict do nothing", projectId, campaignId, slotName(use.counter(), s), cap(use.limit(), s, slots));
        }
    }

    /** A guarded add to a per-customer row (its limit given), creating the row on first use. */
    private static boolean guarded(DSLContext tx, String projectId, String campaignId, String name, long amount,
                                   long limit) {
        String update = "update counters set used = used + ? where project_id = ? and campaign_id = ? and name = ? "
                + "and used + ? <= ?";
        if (tx.execute(update, amount, projectId, campaignId, name, amount, limit) == 1) return true;
        if (tx.execute("insert into counters (project_id, campaign_id, name, used) values (?, ?, ?, ?) "
                + "on conflict do nothing", projectId, campaignId, name, amount) == 1) return true;
        return tx.execute(update, amount, projectId, campaignId, name, amount, limit) == 1;
    }

    /** A guarded add to a slot row, within the cap the row carries; a missing row is created with {@code cap}. */
    private static boolean guardedSlot(DSLContext tx, String projectId, String campaignId, String name, long amount,
                                       long cap) {
        String update = "update counter_slots set used = used + ? where project_id = ? and campaign_id = ? and name = ? "
                + "and used + ? <= cap";
        if (tx.execute(update, amount, projectId, campaignId, name, amount) == 1) return true;
        if (amount <= cap && tx.execute("insert into counter_slots (project_id, campaign_id, name, used, cap) "
                + "values (?, ?, ?, ?, ?) on conflict do nothing", projectId, campaignId, name, amount, cap) == 1) {
            return true;
        }
        return tx.execute(update, amount, projectId, campaignId, name, amount) == 1;
    }

    /** Slot rows (named {@code counter#slot}) live in {@code counter_slots}, all others in {@code counters}. */
    private static String table(String row) {
        return row.indexOf('#') >= 0 ? "counter_slots" : "counters";
    }

    /** Near the limit: lock every slot of the counter (name order) and take what is left across them. */
    private static List<Taken> takeAcrossSlots(DSLContext tx, String projectId, String campaignId, CounterUse use,
                                               int slots) {
        addSlots(tx, projectId, campaignId, use, slots);
        long[] room = new long[slots];
        for (Record r : tx.fetch("select name, used, cap from counter_slots where project_id = ? and campaign_id = ? "
                + "and name like ? order by name for update", projectId, campaignId, use.counter() + "#%")) {
            String name = r.get("name", String.class);
            int s = Integer.parseInt(name.substring(name.lastIndexOf('#') + 1));
            if (s < slots) room[s] = Math.max(0, Sql.longValue(r.get("cap")) - Sql.longValue(r.get("used")));
        }
        long free = 0;
        for (int s = 0; s < slots; s++) free += room[s];
        if (free < use.amount()) return null;
        List<Taken> taken = new ArrayList<>();
        long left = use.amount();
        for (int s = 0; s < slots && left > 0; s++) {
            long part = Math.min(left, room[s]);
            if (part == 0) continue;
            tx.execute("update counter_slots set used = used + ? where project_id = ? and campaign_id = ? and name = ?",
                    part, projectId, campaignId, slotName(use.counter(), s));
            taken.add(new Taken(campaignId, slotName(use.counter(), s), part));
            left -= part;
        }
        return taken;
    }

    /**
     * Gives back what a redemption took, row by row. Holds its campaigns' limits first, so that a limit being added
     * either counts the redemption as rolled back or has recorded its share before this reads what to give back.
     */
    public void giveBack(DSLContext tx, String projectId, String redemptionId) {
        hold(tx, projectId, tx.fetch("select distinct campaign_id from redemption_lines where project_id = ? "
                + "and redemption_id = ? order by campaign_id", projectId, redemptionId).map(r -> r.get(0, String.class)));
        for (Record r : tx.fetch("select campaign_id, name, amount from redemption_counters where project_id = ? "
                + "and redemption_id = ? order by campaign_id, name", projectId, redemptionId)) {
            String name = r.get("name", String.class);
            tx.execute("update " + table(name) + " set used = used - ? where project_id = ? and campaign_id = ? "
                    + "and name = ?", Sql.longValue(r.get("amount")), projectId, r.get("campaign_id", String.class), name);
        }
    }

    /**
     * Holds the limits of the campaigns a transaction's redemptions take from until {@code tx} ends; what the
     * {@link HeldLimits} tells (once {@code batch} has run: on PostgreSQL the hold is its first statements) is whether
     * a redemption planned its takes with the limits the database has. Shared with other redemptions; a change of
     * limits waits for it and it waits for a change in progress. Called before anything else in the transaction, so no
     * counter row is held while waiting. A group commit holds the union of its members' campaigns once, so each member
     * costs no statement of its own here.
     */
    public HeldLimits holdLimits(DSLContext tx, Pipeline batch, String projectId, Collection<String> campaignIds) {
        List<String> ids = List.copyOf(new TreeSet<>(campaignIds));
        return new HeldLimits(Set.copyOf(ids), hold(tx, batch, projectId, ids));
    }

    /** The limits of campaigns held by {@link #holdLimits}, as the database had them once held. */
    public static final class HeldLimits {
        private final Set<String> held;
        private final Supplier<Map<String, Limits>> stored;

        private HeldLimits(Set<String> held, Supplier<Map<String, Limits>> stored) {
            this.held = held;
            this.stored = stored;
        }

        /**
         * Whether {@code planned} were planned with the limits held (false when any campaign's changed since the node
         * cached it: the caller reloads the campaigns and plans again). Each must be one of the campaigns held.
         */
        public boolean plannedWith(Collection<Promotion> planned) {
            for (Promotion p : planned) {
                if (!held.contains(p.id())) throw new IllegalStateException("campaign " + p.id() + " is not held");
                Limits current = stored.get().get(p.id());
                if (current != null && !current.equals(p.limits())) return false;
            }
            return true;
        }
    }

    /** True when any of these promotions' limits differ from the database's (a plain read, for refusals). */
    public boolean outdated(String projectId, Collection<Promotion> promotions) {
        List<String> ids = promotions.stream().map(Promotion::id).distinct().toList();
        if (ids.isEmpty()) return false;
        Map<String, Limits> stored = limits(db.dsl().fetch(SELECT_LIMITS + in(ids.size()), args(projectId, ids)));
        for (Promotion p : promotions) {
            Limits current = stored.get(p.id());
            if (current != null && !current.equals(p.limits())) return true;
        }
        return false;
    }

    /**
     * Locks the campaigns' limits shared, in id order, and reads them after the lock is granted (so a change that
     * committed meanwhile is seen). PostgreSQL: advisory locks, which never write and queue fairly behind a waiting
     * change. H2 (one process): the campaigns' rows in {@code campaign_limits}, locked for update, made if missing.
     * The map holds the changed limits by campaign id; absent or null: never changed since creation.
     */
    private Supplier<Map<String, Limits>> hold(DSLContext tx, Pipeline batch, String projectId, List<String> ids) {
        if (ids.isEmpty()) return Map::of;
        if (!db.postgres()) {
            Map<String, Limits> held = hold(tx, projectId, ids);
            return () -> held;
        }
        // The read comes after the locks in the same round trip: it takes its snapshot once they were granted.
        batch.query(lockShared(ids.size()), rs -> { }, lockKeys(ids));
        Map<String, Limits> held = new HashMap<>();
        batch.query(SELECT_LIMITS + in(ids.size()), rs -> held.putAll(limits(tx.fetch(rs))), args(projectId, ids));
        return () -> held;
    }

    private static String lockShared(int n) {
        return "select " + String.join(", ", Collections.nCopies(n, "pg_advisory_xact_lock_shared(?, ?)"));
    }

    private static Object[] lockKeys(List<String> ids) {
        List<Object> args = new ArrayList<>(ids.size() * 2);
        for (String id : ids) {
            args.add(LOCK_SPACE);
            args.add(id.hashCode());
        }
        return args.toArray();
    }

    private Map<String, Limits> hold(DSLContext tx, String projectId, List<String> ids) {
        if (ids.isEmpty()) return Map.of();
        if (db.postgres()) {
            Pipeline batch = new Pipeline(db);
            Supplier<Map<String, Limits>> held = hold(tx, batch, projectId, ids);
            batch.run(tx);
            return held.get();
        }
        Map<String, Limits> rows = limits(tx.fetch(SELECT_LIMITS + in(ids.size()) + " order by campaign_id for update",
                args(projectId, ids)));
        if (rows.size() == ids.size()) return rows;
        for (String id : ids) {
            if (!rows.containsKey(id)) addLimits(tx, projectId, id);
        }
        return limits(tx.fetch(SELECT_LIMITS + in(ids.size()) + " order by campaign_id for update", args(projectId, ids)));
    }

    /** The campaign's row of limits, if missing: version 0, never changed since creation. */
    private static void addLimits(DSLContext tx, String projectId, String campaignId) {
        tx.execute("insert into campaign_limits (project_id, campaign_id, version) values (?, ?, 0) on conflict do nothing",
                projectId, campaignId);
    }

    private static final String SELECT_LIMITS = "select * from campaign_limits where project_id = ? and campaign_id in ";

    /** The project, then the campaign ids: the arguments of {@link #SELECT_LIMITS}. */
    private static Object[] args(String projectId, List<String> ids) {
        List<Object> args = new ArrayList<>(ids.size() + 1);
        args.add(projectId);
        args.addAll(ids);
        return args.toArray();
    }

    private static String in(int n) {
        return "(" + Sql.marks(n) + ")";
    }

    /** Rows of {@code campaign_limits} by campaign id: the limits of a changed campaign, null for a row of version 0. */
    private static Map<String, Limits> limits(Iterable<? extends Record> result) {
        Map<String, Limits> rows = new HashMap<>();
        for (Record r : result) {
            rows.put(r.get("campaign_id", String.class), Sql.longValue(r.get("version")) == 0 ? null : new Limits(
                    r.get("redemptions", Long.class), r.get("per_code", Long.class), r.get("per_customer", Long.class),
                    period(r.get("per_customer_period_count", Long.class), r.get("per_customer_period", String.class)),
                    period(r.get("per_period_count", Long.class), r.get("per_period", String.class)),
                    r.get("budget_discount", Long.class), r.get("budget_orders", Long.class)));
        }
        return rows;
    }

    private static PeriodLimit period(Long count, String period) {
        return count == null ? null : new PeriodLimit(count, Period.valueOf(period));
    }

    /**
     * A campaign's limits change from {@code before} to {@code after}, in the transaction that saves the change (which
     * holds the campaign's row, so changes apply one after another). Takes the campaign's limits exclusively — waiting
     * for every redemption in flight to commit or roll back, and keeping new ones out until this transaction ends —
     * then records the new limits, re-spreads the slots of changed campaign-wide limits and rebuilds the counters of new
     * limits from every standing redemption. From its commit on, no redemption planned with the old limits can commit.
     */
    public void limitsChanged(DSLContext tx, String projectId, Promotion before, Promotion after, ZoneId zone) {
        Limits b = before.limits(), a = after.limits();
        if (b.equals(a)) return;
        String id = after.id();
        if (db.postgres()) {
            tx.execute("select pg_advisory_xact_lock(?, ?)", LOCK_SPACE, id.hashCode());
        } else {
            addLimits(tx, projectId, id);
            tx.execute("select campaign_id from campaign_limits where project_id = ? and campaign_id = ? for update",
                    projectId, id);
        }
        Object[] values = {a.redemptions(), a.perCode(), a.perCustomer(),
                a.perCustomerPerPeriod() == null ? null : a.perCustomerPerPeriod().count(),
                a.perCustomerPerPeriod() == null ? null : a.perCustomerPerPeriod().period().name(),
                a.perPeriod() == null ? null : a.perPeriod().count(),
                a.perPeriod() == null ? null : a.perPeriod().period().name(), a.budgetDiscount(), a.budgetOrders(),
                projectId, id};
        String columns = "redemptions = ?, per_code = ?, per_customer = ?, per_customer_period_count = ?, "
                + "per_customer_period = ?, per_period_count = ?, per_period = ?, budget_discount = ?, budget_orders = ?";
        if (tx.execute("update campaign_limits set version = version + 1, " + columns + " where project_id = ? "
                + "and campaign_id = ?", values) == 0) {
            tx.execute("insert into campaign_limits (redemptions, per_code, per_customer, per_customer_period_count, "
                    + "per_customer_period, per_period_count, per_period, budget_discount, budget_orders, project_id, "
                    + "campaign_id, version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", values);
        }
        rebalance(tx, projectId, id, b, a);
        materialize(tx, projectId, before, after, zone);
    }

    /**
     * After a campaign's limits changed: re-spread each slotted counter over the slots of its new limit, keeping the
     * used amount (an amount already over a lowered limit stays, and nothing more is taken).
     */
    private void rebalance(DSLContext tx, String projectId, String campaignId, Limits before, Limits after) {
        rebalance(tx, projectId, campaignId, LimitCounters.TOTAL, before.redemptions(), after.redemptions());
        rebalance(tx, projectId, campaignId, LimitCounters.BUDGET_DISCOUNT, before.budgetDiscount(),
                after.budgetDiscount());
        rebalance(tx, projectId, campaignId, LimitCounters.BUDGET_ORDERS, before.budgetOrders(), after.budgetOrders());
        Long pb = before.perPeriod() == null ? null : before.perPeriod().count();
        Long pa = after.perPeriod() == null ? null : after.perPeriod().count();
        if (pa != null && !pa.equals(pb)) {
            List<String> periods = tx.fetch("select distinct name from counter_slots where project_id = ? "
                    + "and campaign_id = ? and name like 'period:%'", projectId, campaignId)
                    .map(r -> logical(r.get(0, String.class)));
            for (String p : new java.util.LinkedHashSet<>(periods)) rebalance(tx, projectId, campaignId, p, pb, pa);
        }
    }

    /**
     * When a limit is introduced on a campaign that already has redemptions (or its period changes), its counters are
     * rebuilt from the standing redemptions, and each redemption is recorded as having taken its share, so the new
     * limit counts what was already given and a later rollback gives it back.
     */
    private void materialize(DSLContext tx, String projectId, Promotion before, Promotion after, ZoneId zone) {
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
            for (String table : List.of("redemption_counters", "counters", "counter_slots")) {
                tx.execute("delete from " + table + " where project_id = ? and campaign_id = ? and name like ?",
                        projectId, id, prefix + "%");
            }
        }
        Promotion only = new Promotion(id, after.name(), after.kind(), after.active(), after.startsAt(), after.endsAt(),
                after.condition(), after.discount(), after.stacking(), after.currency(), introduced, after.metadata(),
                after.sequence());
        Map<String, Long> used = new HashMap<>();
        Map<String, Long> logicalUsed = new HashMap<>();
        List<org.jooq.Query> rows = new ArrayList<>();
        for (Record r : tx.fetch("select r.id, r.customer_id, r.order_value, r.created_at, l.discount from redemption_lines l "
                + "join redemptions r on r.project_id = l.project_id and r.id = l.redemption_id where l.project_id = ? "
                + "and l.campaign_id = ? and r.status = 'REDEEMED' order by r.created_at, r.id", projectId, id)) {
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
                rows.add(tx.query(RECORD_TAKEN, projectId, r.get("id", String.class), id, row, use.amount()));
            }
        }
        used.forEach((name, amount) -> rows.add(table(name).equals("counters")
                ? tx.query("insert into counters (project_id, campaign_id, name, used) values (?, ?, ?, ?)", projectId, id,
                name, amount)
                : tx.query("insert into counter_slots (project_id, campaign_id, name, used, cap) values (?, ?, ?, ?, ?)",
                projectId, id, name, amount, capOf(name, introduced))));
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

    private static PeriodLimit add(List<String> prefixes, String prefix, PeriodLimit limit) {
        prefixes.add(prefix);
        return limit;
    }

    private static void rebalance(DSLContext tx, String projectId, String campaignId, String counter, Long before,
                                  Long after) {
        if (after == null || after.equals(before)) return;
        long total = 0;
        for (Record r : tx.fetch("select used from counter_slots where project_id = ? and campaign_id = ? and name like ? "
                + "order by name for update", projectId, campaignId, counter + "#%")) total += Sql.longValue(r.get("used"));
        tx.execute("delete from counter_slots where project_id = ? and campaign_id = ? and name like ?", projectId,
                campaignId, counter + "#%");
        int slots = slotCount(after);
        long left = total;
        for (int s = 0; s < slots; s++) {
            long c = cap(after, s, slots);
            long put = s == slots - 1 ? left : Math.min(left, c);
            tx.execute("insert into counter_slots (project_id, campaign_id, name, used, cap) values (?, ?, ?, ?, ?)",
                    projectId, campaignId, slotName(counter, s), put, c);
            left -= put;
        }
    }
}
