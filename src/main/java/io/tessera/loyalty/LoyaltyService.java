package io.tessera.loyalty;

import io.tessera.audit.AuditLog;
import io.tessera.campaign.LoyaltySettings;
import io.tessera.core.Actor;
import io.tessera.core.Failure;
import io.tessera.core.Ids;
import io.tessera.core.Page;
import io.tessera.core.ProjectContext;
import io.tessera.customer.CustomerStore;
import io.tessera.customer.Profiles;
import io.tessera.customer.Pseudonyms;
import io.tessera.db.Database;
import io.tessera.discount.Cart;
import io.tessera.discount.CartLine;
import io.tessera.discount.Period;
import io.tessera.discount.Activations;
import io.tessera.discount.Shopper;
import io.tessera.event.CustomerEvent;
import io.tessera.event.EventListener;
import io.tessera.outbox.Outbox;
import io.tessera.job.NewTask;
import io.tessera.job.Scheduler;
import io.tessera.order.Order;
import io.tessera.order.OrderChanges;
import io.tessera.redemption.LoyaltyPoints;
import io.tessera.rule.Activation;
import io.tessera.rule.RuleException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loyalty members and their points: earning on paid orders and customer events, reversal on cancelled and refunded ones, manual
 * adjustments and transfers, and reads exact at the request's instant. Every write of a member locks its member row
 * first and takes from its buckets in that same transaction, so concurrent spends of one member apply one after
 * another and never take the balance below zero.
 */
public final class LoyaltyService implements OrderChanges, EventListener, LoyaltyPoints {
    /** The scheduler task that writes a bucket's expiry to the ledger, due at the bucket's expiry. */
    public static final String EXPIRE_KIND = "loyalty.expire";
    public static final String POINTS_EARNED = "points.earned";
    public static final String POINTS_SPENT = "points.spent";
    public static final String POINTS_EXPIRED = "points.expired";
    public static final String TIER_CHANGED = "tier.changed";
    public static final long MAX_POINTS = 1_000_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(LoyaltyService.class);

    private final Database db;
    private final LoyaltyStore store;
    private final Programs programs;
    private final MemberAccounts accounts;
    private final CustomerStore customers;
    private final Profiles profiles;
    private final Scheduler scheduler;
    private final Outbox outbox;
    private final AuditLog audit;

    public LoyaltyService(Database db, io.tessera.campaign.CampaignParser parser, CustomerStore customers,
                          Profiles profiles, Scheduler scheduler, Outbox outbox, AuditLog audit) {
        this.db = db;
        this.store = new LoyaltyStore(db);
        this.programs = new Programs(db, parser);
        this.accounts = new MemberAccounts(db, parser);
        this.customers = customers;
        this.profiles = profiles;
        this.scheduler = scheduler;
        this.outbox = outbox;
        this.audit = audit;
    }

    /** A member read at one instant. */
    public record MemberView(String program, String customer, long balance, String tier, long earnedLifetime,
                             List<Account.Amount> expiring, List<Account.Amount> pending) {
    }

    /** One row of the members list. */
    public record MemberSummary(String customer, String tier, long balance, long earnedLifetime) {
    }

    /** A manual adjustment: its ledger entry and the member after it. */
    public record Adjusted(Entry entry, MemberView member) {
    }

    /** A transfer: the entries written on both sides. */
    public record Transferred(Entry out, Entry in) {
    }

    // ---- reads ----

    /** The member at {@code now}; a customer who never had points reads as an empty member. */
    public MemberView member(ProjectContext p, String programName, String customer, Instant at) {
        Instant now = stored(at);
        Program program = programs.get(p.id(), programName);
        return view(program, customer, account(db.dsl(), p.id(), program.id(), customer, now));
    }

    /** The member's ledger, newest first. */
    public Page<Entry> transactions(ProjectContext p, String programName, String customer, Page.Request page) {
        Program program = programs.get(p.id(), programName);
        long before = page.cursor() == null ? Long.MAX_VALUE : page.longCursor();
        return Page.of(store.entries(p.id(), program.id(), customer, before, page.limit() + 1), page.limit(), e -> e,
                e -> Long.toString(e.seq()));
    }

    /**
     * Members in customer-id order; {@code tier} filters on the tier at each member's last change (balances and tiers
     * shown are at {@code now}).
     */
    public Page<MemberSummary> members(ProjectContext p, String programName, String tier, Page.Request page,
                                       Instant at) {
        Instant now = stored(at);
        Program program = programs.get(p.id(), programName);
        if (tier != null && program.settings().tiers().stream().noneMatch(t -> t.name().equals(tier)))
            throw Failure.invalid("tier", "program " + programName + " has no tier " + tier);
        String after = page.cursor() == null ? "" : page.cursor();
        return Page.of(store.members(p.id(), program.id(), tier, after, page.limit() + 1), page.limit(), m -> {
            Account a = account(db.dsl(), p.id(), program.id(), m.customerId(), now);
            LoyaltySettings.Tier t = a.tier(program.settings());
            return new MemberSummary(m.customerId(), t == null ? null : t.name(), a.balance(), a.earnedLifetime());
        }, LoyaltyStore.Member::customerId);
    }

    // ---- manual changes ----

    /**
     * A manual adjustment (audited): positive points are a new bucket counted as earned, negative ones are taken from
     * the earliest-expiring points; more than the balance is refused with {@code insufficient_points}, nothing written.
     */
    public Adjusted adjust(ProjectContext p, Actor actor, String programName, String customer, long points,
                           String reason, Instant at) {
        return retrying(() -> db.transaction(tx -> adjust(tx, p, actor, programName, customer, points, reason, at)));
    }

    /** {@link #adjust} within the caller's transaction {@code tx} (an approval applying it). */
    public Adjusted adjust(DSLContext tx, ProjectContext p, Actor actor, String programName, String customer,
                           long points, String reason, Instant at) {
        Instant now = stored(at);
        // Read in tx: a transaction waiting for a second connection starves the pool under concurrent adjustments.
        Program program = programs.get(tx, p.id(), programName);
        if (points > 0) store.lockMember(tx, p.id(), program.id(), customer, now);
        else if (!store.lockExisting(tx, p.id(), program.id(), customer)) throw insufficient(0, -points);
        Account before = account(tx, p.id(), program.id(), customer, now);
        Entry e;
        if (points > 0) {
            Bucket b = credit(tx, p, program, customer, points, points, now, now, expiryOf(program, now), null);
            e = store.append(tx, p.id(), program.id(), customer, Entry.Draft.of(Entry.Type.ADJUST, points,
                    before.balance() + points, now).reason(reason).bucket(b.id(), now));
        } else {
            take(tx, p.id(), before, -points);
            e = store.append(tx, p.id(), program.id(), customer, Entry.Draft.of(Entry.Type.ADJUST, points,
                    before.balance() + points, now).reason(reason));
        }
        Account after = account(tx, p.id(), program.id(), customer, now);
        String member = Pseudonyms.of(tx, p.id(), customer);
        audit.record(tx, p, actor, "loyalty-member.adjusted", "loyalty-member/" + program.name() + "/" + member,
                auditState(program, member, before, null), auditState(program, member, after, e), now);
        retier(tx, p, program, customer, before, after, now);
        return new Adjusted(e, view(program, customer, after));
    }

    /**
     * Gives {@code points} of {@code from} to {@code to}. The points keep the expiry of the buckets they came from; they
     * are not "earned" by the receiver (no tier from gifts).
     */
    public Transferred transfer(ProjectContext p, String programName, String from, String to, long points,
                                Instant at) {
        Instant now = stored(at);
        if (from.equals(to)) throw Failure.invalid("to", "must be another customer");
        Program program = programs.get(p.id(), programName);
        return retrying(() -> db.transaction(tx -> {
            // Both member rows locked in one order (by id): two opposite transfers cannot deadlock.
            for (String c : from.compareTo(to) < 0 ? List.of(from, to) : List.of(to, from)) {
                if (c.equals(to)) store.lockMember(tx, p.id(), program.id(), to, now);
                else if (!store.lockExisting(tx, p.id(), program.id(), from)) throw insufficient(0, points);
            }
            Account giver = account(tx, p.id(), program.id(), from, now);
            Account receiver = account(tx, p.id(), program.id(), to, now);
            List<Slice> slices = take(tx, p.id(), giver, points);
            Entry out = store.append(tx, p.id(), program.id(), from, Entry.Draft.of(Entry.Type.TRANSFER_OUT, -points,
                    giver.balance() - points, now).counterparty(to));
            for (Slice s : slices) {
                credit(tx, p, program, to, s.points(), 0, now, now, s.bucket().expiresAt(), null);
            }
            Entry in = store.append(tx, p.id(), program.id(), to, Entry.Draft.of(Entry.Type.TRANSFER_IN, points,
                    receiver.balance() + points, now).counterparty(from));
            event(tx, p, POINTS_SPENT, program, from, out, now);
            return new Transferred(out, in);
        }));
    }

    // ---- points paid at checkout (the redemption's transaction) ----

    @Override
    public LoyaltyPoints.PointsProgram program(ProjectContext p, String name) {
        String type = db.dsl().fetchOptional("select type from campaigns where project_id = ? and name = ?", p.id(), name)
                .map(r -> r.get(0, String.class)).orElse(null);
        if (type == null) throw Failure.invalid("loyalty.program", "no loyalty program is named " + name);
        if (!"LOYALTY".equals(type)) throw Failure.invalid("loyalty.program", name + " is not a LOYALTY campaign");
        Program program = programs.get(p.id(), name);
        if (program.archived()) throw Failure.invalid("loyalty.program", "program " + name + " is archived");
        LoyaltySettings.PointValue value = program.settings().pointValue();
        if (value == null) throw Failure.invalid("loyalty.program", "program " + name + " has no pointValue");
        return new LoyaltyPoints.PointsProgram(program.id(), program.name(), value.points(), value.amount());
    }

    @Override
    public long balance(ProjectContext p, LoyaltyPoints.PointsProgram program, String customer, Instant at) {
        return account(db.dsl(), p.id(), program.id(), customer, stored(at)).balance();
    }

    @Override
    public boolean spend(DSLContext tx, ProjectContext p, LoyaltyPoints.PointsProgram program, String customer,
                         long required, long points, String redemptionId, Instant at) {
        Instant now = stored(at);
        if (!store.lockExisting(tx, p.id(), program.id(), customer)) return false;
        Account before = account(tx, p.id(), program.id(), customer, now);
        long available = 0;
        for (Bucket b : before.spendable()) available += b.remaining();
        if (available < required) return false;
        for (Slice s : take(tx, p.id(), before, points)) {
            store.recordRedemptionSpend(tx, p.id(), redemptionId, s.bucket().id(), s.points());
        }
        Entry e = store.append(tx, p.id(), program.id(), customer, Entry.Draft.of(Entry.Type.SPEND, -points,
                before.balance() - points, now).redemption(redemptionId));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("program", program.name());
        data.put("customer", customer);
        data.put("entry", e);
        outbox.add(tx, p.id(), POINTS_SPENT, data, now);
        return true;
    }

    /**
     * Gives each bucket back what the redemption took from it, so the points keep their original expiry. Points whose
     * bucket has expired meanwhile come back and expire at once (a {@code REVERSE} then an {@code EXPIRE}): the ledger
     * still says they were returned, and the breakage counts them.
     */
    @Override
    public void giveBack(DSLContext tx, ProjectContext p, String redemptionId, Instant at) {
        Instant now = stored(at);
        List<LoyaltyStore.RedemptionSpend> spent = store.redemptionSpends(tx, p.id(), redemptionId);
        if (spent.isEmpty()) return;
        String programId = spent.getFirst().programId(), customer = spent.getFirst().customerId();
        store.lockMember(tx, p.id(), programId, customer, now);
        long total = 0, lapsed = 0;
        for (LoyaltyStore.RedemptionSpend s : spent) {
            Bucket b = store.bucket(tx, p.id(), s.bucketId()).orElseThrow().bucket();
            total += s.points();
            if (b.expired() || (b.expiresAt() != null && !b.expiresAt().isAfter(now))) lapsed += s.points();
            else store.giveBack(tx, p.id(), b.id(), s.points());
        }
        long balance = account(tx, p.id(), programId, customer, now).balance();
        store.append(tx, p.id(), programId, customer, Entry.Draft.of(Entry.Type.REVERSE, total, balance + lapsed, now)
                .redemption(redemptionId));
        if (lapsed > 0) store.append(tx, p.id(), programId, customer,
                Entry.Draft.of(Entry.Type.EXPIRE, -lapsed, balance, now).redemption(redemptionId));
    }

    // ---- rewards (called by Rewards, within its claim's transaction) ----

    /** The program named {@code name}; 404 when the project has none. */
    Program program(String projectId, String name) {
        return programs.get(projectId, name);
    }

    /**
     * Spends {@code points} of the member on {@code reward} within {@code tx}: locks the member, takes the
     * earliest-expiring points and writes the {@code SPEND} and its {@code points.spent} event; more than the balance
     * is refused with {@code insufficient_points} (the caller's transaction then rolls back whole).
     */
    Entry spendOnReward(DSLContext tx, ProjectContext p, Program program, String customer, long points, String reward,
                        Instant at) {
        Instant now = stored(at);
        if (!store.lockExisting(tx, p.id(), program.id(), customer)) throw insufficient(0, points);
        Account before = account(tx, p.id(), program.id(), customer, now);
        take(tx, p.id(), before, points);
        Entry e = store.append(tx, p.id(), program.id(), customer, Entry.Draft.of(Entry.Type.SPEND, -points,
                before.balance() - points, now).reward(reward));
        event(tx, p, POINTS_SPENT, program, customer, e, now);
        return e;
    }

    /**
     * Credits a referrer's reward within {@code tx} (the referee's order's transaction): a bucket of {@code points}
     * counted as earned (for tiers, like an earning rule), expiring like other earnings, and an {@code EARN} entry whose
     * counterparty is the referee and whose reason names the referral campaign. 404 when the program is gone.
     */
    public Entry creditReferral(DSLContext tx, ProjectContext p, String programName, String customer, long points,
                                String referee, String referralCampaign, Instant at) {
        return creditEarned(tx, p, programName, customer, points, referee, "referral " + referralCampaign, at);
    }

    /**
     * Credits an automation's {@code ADD_POINTS} within {@code tx} (the run's transaction): earned points like a
     * referral reward, with an {@code EARN} entry whose reason names the automation. 404 when the program is gone.
     */
    public Entry creditAutomation(DSLContext tx, ProjectContext p, String programName, String customer, long points,
                                  String automation, Instant at) {
        return creditEarned(tx, p, programName, customer, points, null, "automation " + automation, at);
    }

    /** The bucket an {@code EARN} entry credited, with its points and expiry (automations on points_expiring). */
    public record EarnedBucket(String id, String program, long points, Instant expiresAt) {
    }

    public Optional<EarnedBucket> earnedBucket(DSLContext tx, String projectId, String entryId) {
        return tx.fetchOptional("select b.id, b.points, b.expires_at, c.name from loyalty_entries e "
                        + "join loyalty_buckets b on b.project_id = e.project_id and b.id = e.bucket_id "
                        + "join campaigns c on c.project_id = b.project_id and c.id = b.program_id "
                        + "where e.project_id = ? and e.id = ?", projectId, entryId)
                .map(r -> new EarnedBucket(r.get("id", String.class), r.get("name", String.class),
                        io.tessera.db.Sql.longValue(r.get("points")), io.tessera.db.Sql.instant(r, "expires_at")));
    }

    /** What is left of a bucket that is still held at {@code at} (0 when spent, dropped or expired by then). */
    public long heldPoints(DSLContext tx, String projectId, String bucketId, Instant at) {
        return store.bucket(tx, projectId, bucketId).map(LoyaltyStore.BucketOwner::bucket)
                .filter(b -> b.liveAt(stored(at)) || b.pendingAt(stored(at))).map(Bucket::remaining).orElse(0L);
    }

    private Entry creditEarned(DSLContext tx, ProjectContext p, String programName, String customer, long points,
                               String counterparty, String reason, Instant at) {
        Instant now = stored(at);
        Program program = programs.get(tx, p.id(), programName);
        customers.ensure(tx, p.id(), customer, now);
        store.lockMember(tx, p.id(), program.id(), customer, now);
        Account before = account(tx, p.id(), program.id(), customer, now);
        Bucket b = credit(tx, p, program, customer, points, points, now, now, expiryOf(program, now), null);
        Entry e = store.append(tx, p.id(), program.id(), customer, Entry.Draft.of(Entry.Type.EARN, points,
                before.balance() + points, now).counterparty(counterparty).reason(reason)
                .bucket(b.id(), now));
        event(tx, p, POINTS_EARNED, program, customer, e, now);
        retier(tx, p, program, customer, before, account(tx, p.id(), program.id(), customer, now), now);
        return e;
    }

    /**
     * Runs a spending transaction again (at most 3 times) when a bucket's guarded take found it changed meanwhile: the
     * member lock orders spends, so this is rare, and a new attempt reads the buckets afresh.
     */
    private static <T> T retrying(java.util.function.Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (Failure.Busy e) {
                if (attempt >= 3) throw e;
            }
        }
    }

    // ---- orders ----

    /** {@code PAID} earns once; {@code CANCELLED}/{@code REFUNDED} after {@code PAID} reverses what the order earned. */
    @Override
    public void changed(DSLContext tx, ProjectContext p, Order order, String previousStatus, Cart cart, Instant at) {
        Instant now = stored(at);
        boolean wasPaid = "PAID".equals(previousStatus);
        if ("PAID".equals(order.status()) && !wasPaid && order.customer() != null) {
            earnOrder(tx, p, order, cart, now);
        } else if (wasPaid && ("CANCELLED".equals(order.status()) || "REFUNDED".equals(order.status()))) {
            reverseOrder(tx, p, order.id(), now);
        }
    }

    private void earnOrder(DSLContext tx, ProjectContext p, Order order, Cart cart, Instant now) {
        earnOn(tx, p, order.customer(), LoyaltySettings.EarningRule::onOrderPaid, b -> {
            b.order(order.id(), cart.currency(), cart.shipping()).paid(order.discount(), order.shippingDiscount());
            for (CartLine l : cart.lines())
                b.item(l.sku(), l.product(), l.categories(), l.price(), l.quantity(), l.attributes());
        }, order.id(), now);
    }

    // ---- customer events ----

    /** A new event earns on every active program's rules {@code on: event:<its type>}, in the event's transaction. */
    @Override
    public void received(DSLContext tx, ProjectContext p, CustomerEvent event, Instant at) {
        earnOn(tx, p, event.customer(), r -> event.type().equals(r.eventType()),
                b -> b.event(event.type(), event.properties()), null, stored(at));
    }

    /**
     * Earning on an order or an event: for every program earning at {@code now} with rules that {@code listen}, the
     * rules earn for {@code customer}, evaluated over the customer, {@code now} and what {@code facts} adds (the order,
     * or the event). An order ({@code orderId} set) earns once per program, whatever is re-sent.
     */
    private void earnOn(DSLContext tx, ProjectContext p, String customer,
                        Predicate<LoyaltySettings.EarningRule> listen, Consumer<Activation.Builder> facts,
                        String orderId, Instant now) {
        Activation activation = null;
        List<Program> earning = programs.earning(tx, p.id(), now);
        // customer.loyalty before this earning, read (one query) only when a listening rule may read it.
        boolean readsLoyalty = earning.stream().flatMap(program -> program.settings().earning().stream())
                .filter(listen).anyMatch(r -> (r.condition() != null && r.condition().readsCustomerLoyalty())
                        || r.points().readsCustomerLoyalty());
        for (Program program : earning) {
            List<LoyaltySettings.EarningRule> rules = program.settings().earning().stream().filter(listen).toList();
            if (rules.isEmpty()) continue;
            // Earns once: an order that earned in this program before (re-sent PAID after a cancel) earns no more.
            if (orderId != null && !store.orderBuckets(tx, p.id(), program.id(), orderId).isEmpty()) continue;
            if (activation == null) {
                // Built only when some rule listens: most events earn nothing, and the profile read has a cost.
                Shopper s = profiles.shopper(tx, p.id(), customer, customers.find(tx, p.id(), customer).orElse(null), now);
                Activation.Builder b = Activations.builder(readsLoyalty
                        ? s.withLoyalty(accounts.of(tx, p.id(), customer, now)) : s).now(now);
                facts.accept(b);
                activation = b.build();
            }
            earn(tx, p, program, customer, rules, activation, orderId, now);
        }
    }

    /** Applies each rule whose condition holds, at the tier the member had before this earning. */
    private void earn(DSLContext tx, ProjectContext p, Program program, String customer,
                      List<LoyaltySettings.EarningRule> rules, Activation activation, String orderId, Instant now) {
        store.lockMember(tx, p.id(), program.id(), customer, now);
        Account before = account(tx, p.id(), program.id(), customer, now);
        LoyaltySettings.Tier tier = before.tier(program.settings());
        BigDecimal multiplier = tier == null ? BigDecimal.ONE : tier.multiplier();
        long balance = before.balance();
        for (LoyaltySettings.EarningRule rule : rules) {
            long points;
            try {
                if (rule.condition() != null && !rule.condition().holds(activation)) continue;
                points = rule.points().eval(activation).setScale(0, RoundingMode.FLOOR).longValueExact();
            } catch (RuleException | ArithmeticException e) {
                LOG.info("loyalty rule {}/{} did not earn: {}", program.name(), rule.name(), e.getMessage());
                continue;
            }
            points = BigDecimal.valueOf(points).multiply(multiplier).setScale(0, RoundingMode.FLOOR).longValue();
            if (points <= 0) continue;
            points = Math.min(points, MAX_POINTS);
            if (rule.limit() != null && store.earnings(tx, p.id(), program.id(), customer, rule.name(),
                    periodStart(rule.limit().period(), now, p.zone())) >= rule.limit().count()) continue;
            Instant available = now.plus(Duration.ofDays(rule.pendingDays()));
            Bucket bucket = credit(tx, p, program, customer, points, points, available, now,
                    expiryOf(program, available), orderId);
            if (!available.isAfter(now)) balance += points;
            Entry e = store.append(tx, p.id(), program.id(), customer, Entry.Draft.of(Entry.Type.EARN, points, balance,
                    now).rule(rule.name()).order(orderId).bucket(bucket.id(), available));
            event(tx, p, POINTS_EARNED, program, customer, e, now);
        }
        retier(tx, p, program, customer, before, account(tx, p.id(), program.id(), customer, now), now);
    }

    /**
     * Takes back what an order earned, per bucket: pending points are dropped (never spendable); available ones are
     * taken from the order's bucket first, then from the earliest-expiring others, never below zero. Points of the
     * order that already expired are not taken twice. Its earnings no longer count for tiers.
     */
    private void reverseOrder(DSLContext tx, ProjectContext p, String orderId, Instant now) {
        for (Program program : programs.all(tx, p.id())) {
            List<LoyaltyStore.OrderBucket> earned = store.orderBuckets(tx, p.id(), program.id(), orderId);
            if (earned.isEmpty()) continue;
            String customer = earned.get(0).customerId();
            store.lockMember(tx, p.id(), program.id(), customer, now);
            Account before = account(tx, p.id(), program.id(), customer, now);
            for (LoyaltyStore.OrderBucket ob : store.orderBuckets(tx, p.id(), program.id(), orderId)) {
                Bucket b = ob.bucket();
                long open = b.earned() - b.reversed();
                if (open <= 0) continue;
                Account current = account(tx, p.id(), program.id(), customer, now);
                if (b.pendingAt(now)) {
                    // Pending points leave without touching the balance: the entry's balanceAfter stays as it was.
                    store.drop(tx, p.id(), b.id());
                    store.append(tx, p.id(), program.id(), customer, Entry.Draft.of(Entry.Type.REVERSE, -b.remaining(),
                            current.balance(), now).order(orderId).bucket(b.id(), b.availableAt()));
                    continue;
                }
                long toTake = open;
                boolean gone = b.expired() || (b.expiresAt() != null && !b.expiresAt().isAfter(now));
                if (gone) toTake = Math.max(0, toTake - b.remaining());
                List<Bucket> from = new ArrayList<>();
                if (!gone && b.remaining() > 0) from.add(b);
                for (Bucket other : current.spendable()) if (!other.id().equals(b.id())) from.add(other);
                long taken = 0;
                for (Bucket f : from) {
                    if (taken == toTake) break;
                    long n = Math.min(f.remaining(), toTake - taken);
                    store.take(tx, p.id(), f.id(), n);
                    taken += n;
                }
                store.reverse(tx, p.id(), b.id(), open);
                store.append(tx, p.id(), program.id(), customer, Entry.Draft.of(Entry.Type.REVERSE, -taken,
                        current.balance() - taken, now).order(orderId).bucket(b.id(), b.availableAt()));
            }
            retier(tx, p, program, customer, before, account(tx, p.id(), program.id(), customer, now), now);
        }
    }

    // ---- expiry ----

    /**
     * Writes the expiry of one bucket to the ledger (the scheduler task, due at its expiry): what is left of it is
     * EXPIREd with the balance at that instant. Nothing for a bucket spent, dropped or already expired.
     */
    void expire(DSLContext tx, String projectId, String bucketId, Instant now) {
        LoyaltyStore.BucketOwner owner = store.bucket(tx, projectId, bucketId).orElse(null);
        if (owner == null) return;
        if (!store.lockExisting(tx, owner.projectId(), owner.programId(), owner.customerId())) return;
        // Read again under the member's lock: a spend that ran meanwhile took what it took.
        Bucket b = store.bucket(tx, projectId, bucketId).orElseThrow().bucket();
        if (b.dropped() || b.expired() || b.expiresAt() == null) return;
        store.markExpired(tx, projectId, b.id());
        if (b.remaining() <= 0) return;
        Account at = account(tx, owner.projectId(), owner.programId(), owner.customerId(), b.expiresAt());
        Entry e = store.append(tx, owner.projectId(), owner.programId(), owner.customerId(),
                Entry.Draft.of(Entry.Type.EXPIRE, -b.remaining(), at.balance(), b.expiresAt()).bucket(b.id(),
                        b.availableAt()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("program", programName(tx, projectId, owner.programId()));
        data.put("customer", owner.customerId());
        data.put("entry", e);
        outbox.add(tx, owner.projectId(), POINTS_EXPIRED, data, now);
    }

    // ---- helpers ----

    /**
     * The instant as the database stores it (microseconds, rounded down): an instant with nanoseconds would otherwise
     * be stored rounded up, and a bucket written "now" would read back as pending until the next microsecond.
     */
    private static Instant stored(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    private Account account(DSLContext dsl, String projectId, String programId, String customer, Instant at) {
        return new Account(store.heldBuckets(dsl, projectId, programId, customer),
                store.earned(dsl, projectId, programId, customer, at), at);
    }

    private static MemberView view(Program program, String customer, Account a) {
        LoyaltySettings.Tier t = a.tier(program.settings());
        return new MemberView(program.name(), customer, a.balance(), t == null ? null : t.name(), a.earnedLifetime(),
                a.expiring(), a.pending());
    }

    private record Slice(Bucket bucket, long points) {
    }

    /** Takes {@code points} from the earliest-expiring spendable buckets, or refuses with {@code insufficient_points}. */
    private List<Slice> take(DSLContext tx, String projectId, Account account, long points) {
        List<Bucket> spendable = account.spendable();
        long available = 0;
        for (Bucket b : spendable) available += b.remaining();
        if (available < points) throw insufficient(available, points);
        List<Slice> slices = new ArrayList<>();
        long left = points;
        for (Bucket b : spendable) {
            if (left == 0) break;
            long n = Math.min(b.remaining(), left);
            store.take(tx, projectId, b.id(), n);
            slices.add(new Slice(b, n));
            left -= n;
        }
        return slices;
    }

    /** A new bucket, with its expiry task (due when it expires) enqueued in the same transaction. */
    private Bucket credit(DSLContext tx, ProjectContext p, Program program, String customer, long points, long earned,
                          Instant available, Instant now, Instant expires, String orderId) {
        Bucket b = new Bucket(Ids.next("lbk"), points, points, earned, 0, available, expires, orderId, false, false);
        store.insertBucket(tx, p.id(), program.id(), customer, b, now);
        if (expires != null) {
            scheduler.enqueue(tx, NewTask.at(EXPIRE_KIND, p.id(), Map.of("bucket", b.id()), expires).withKey(b.id()), now);
        }
        return b;
    }

    private static Instant expiryOf(Program program, Instant available) {
        Integer days = program.settings().expiryDays();
        return days == null ? null : available.plus(Duration.ofDays(days));
    }

    /** Records the member's tier after a change, and a {@code tier.changed} event when it moved (up or down). */
    private void retier(DSLContext tx, ProjectContext p, Program program, String customer, Account before,
                        Account after, Instant now) {
        LoyaltySettings.Tier from = before.tier(program.settings()), to = after.tier(program.settings());
        String fromName = from == null ? null : from.name(), toName = to == null ? null : to.name();
        String stored = store.member(tx, p.id(), program.id(), customer).map(LoyaltyStore.Member::tier).orElse(null);
        if (!Objects.equals(stored, toName)) store.setTier(tx, p.id(), program.id(), customer, toName, now);
        if (Objects.equals(fromName, toName)) return;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("program", program.name());
        data.put("customer", customer);
        data.put("from", fromName);
        data.put("to", toName);
        data.put("earned", after.earned(program.settings().tierBasis()));
        outbox.add(tx, p.id(), TIER_CHANGED, data, now);
    }

    private void event(DSLContext tx, ProjectContext p, String type, Program program, String customer, Entry e,
                       Instant now) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("program", program.name());
        data.put("customer", customer);
        data.put("entry", e);
        outbox.add(tx, p.id(), type, data, now);
    }

    private static Map<String, Object> auditState(Program program, String member, Account a, Entry adjustment) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("program", program.name());
        m.put("member", member);
        m.put("balance", a.balance());
        LoyaltySettings.Tier t = a.tier(program.settings());
        m.put("tier", t == null ? null : t.name());
        m.put("earnedLifetime", a.earnedLifetime());
        if (adjustment != null) m.put("adjustment", Map.of("points", adjustment.points(),
                "reason", adjustment.reason() == null ? "" : adjustment.reason()));
        return m;
    }

    private String programName(DSLContext tx, String projectId, String programId) {
        return Objects.toString(tx.fetchValue("select name from campaigns where project_id = ? and id = ?", projectId,
                programId), programId);
    }

    private static Failure insufficient(long available, long wanted) {
        return Failure.refused("insufficient_points", "the balance is " + available + " points; " + wanted
                + " are needed", Map.of("balance", available));
    }

    /** The start of the calendar period holding {@code now} in the project's time zone. */
    static Instant periodStart(Period period, Instant now, ZoneId zone) {
        LocalDate day = LocalDate.ofInstant(now, zone);
        LocalDate start = switch (period) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
        return start.atStartOfDay(zone).toInstant();
    }
}
