package io.tessera.redemption;

import io.tessera.campaign.ActiveCampaigns;
import io.tessera.code.CodeRow;
import io.tessera.code.CodeStore;
import io.tessera.customer.CustomerRow;
import io.tessera.customer.CustomerStore;
import io.tessera.customer.Profiles;
import io.tessera.db.Database;
import io.tessera.db.Pipeline;
import io.tessera.outbox.Outbox;
import io.tessera.discount.Applied;
import io.tessera.discount.CodeRef;
import io.tessera.discount.CounterUse;
import io.tessera.discount.Engine;
import io.tessera.discount.Evaluation;
import io.tessera.discount.EvaluationRequest;
import io.tessera.discount.LimitCounters;
import io.tessera.discount.PointsPayment;
import io.tessera.discount.Promotion;
import io.tessera.discount.PromotionKind;
import io.tessera.discount.Reason;
import io.tessera.discount.Rejection;
import io.tessera.discount.Shopper;
import io.tessera.discount.Usage;
import io.tessera.core.Failure;
import io.tessera.core.Ids;
import io.tessera.core.Json;
import io.tessera.core.ProjectContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jooq.DSLContext;

/**
 * Validation and redemption. Both evaluate with the pure engine over a snapshot (campaigns from memory, codes,
 * customer and counters from the database); a redemption then takes every counter with guarded updates in one
 * transaction, and if any take fails the whole redemption rolls back.
 */
public final class Checkout {
    private static final int ATTEMPTS = 5;
    private final Outbox outbox;
    private final Database db;
    private final ActiveCampaigns campaigns;
    private final CodeStore codes;
    private final CustomerStore customers;
    private final Profiles profiles;
    private final RedemptionStore store;
    private final CounterStore counters;
    private final LoyaltyPoints loyalty;
    private final GroupCommit group;
    /** Where redemptions and refusals are counted; no meters until {@link #bindTo} (an empty composite counts nothing). */
    private volatile MeterRegistry meters = new CompositeMeterRegistry();

    public Checkout(Database db, ActiveCampaigns campaigns, CodeStore codes, CustomerStore customers, Profiles profiles,
                    RedemptionStore store, CounterStore counters, LoyaltyPoints loyalty, Outbox outbox, int groupCommit) {
        this.outbox = outbox;
        // Two groups of a project in flight per node: one commits while the next forms, and a long one (a member
        // waiting on a lock) does not stop the project's other redemptions.
        this.group = new GroupCommit(db, counters, groupCommit, 2);
        this.counters = counters;
        this.loyalty = loyalty;
        this.db = db;
        this.campaigns = campaigns;
        this.codes = codes;
        this.customers = customers;
        this.profiles = profiles;
        this.store = store;
    }

    /**
     * What a checkout reads before it writes, gathered so that they go in one round trip with the code-guessing
     * guard's ({@code GuessGuard.admit} runs the {@link #pipeline}): the customer, and the named codes that exist
     * ({@link #with} them once read; null when not read).
     */
    public record Reads(Pipeline pipeline, Supplier<CustomerRow> customer, Map<String, CodeRow> codes) {
        public Reads with(Map<String, CodeRow> found) {
            return new Reads(pipeline, customer, found);
        }
    }

    /** The reads of {@code req}'s checkout, to be run (see {@link Reads}). */
    public Reads reads(ProjectContext p, CheckoutRequest req) {
        Pipeline pipeline = new Pipeline(db);
        return new Reads(pipeline, req.customerId() == null ? null : customers.find(pipeline, p.id(), req.customerId()),
                null);
    }

    /** The stored customer the request names, as {@code reads} found them, or read now (null: none, or not named). */
    private CustomerRow stored(ProjectContext p, CheckoutRequest req, Reads reads) {
        if (req.customerId() == null) return null;
        if (reads != null && reads.customer() != null) return reads.customer().get();
        return customers.find(p.id(), req.customerId()).orElse(null);
    }

    /**
     * A dry run with what was read before ({@code reads}), or null to read it. Nothing is consumed and nothing is
     * written; points asked for are checked against the balance, not spent.
     */
    public Checked validate(ProjectContext p, CheckoutRequest req, Reads reads, Instant now) {
        LoyaltyPoints.PointsProgram program = program(p, req);
        Evaluation ev = evaluate(p, req, shopper(p, req, stored(p, req, reads), now), now, Counters.ALL,
                reads == null ? null : reads.codes()).evaluation();
        Checked checked = new Checked(ev, points(p, req, program, ev, now));
        for (Rejection r : ev.rejected()) refusal("validate", r.reason().code());
        if (checked.points() != null && checked.points().paid() == null) refusal("validate", checked.points().refusal().code());
        return checked;
    }

    /**
     * Publishes {@code tessera_redemptions_total{result}} (redeemed, replayed) and
     * {@code tessera_checkout_rejections_total{operation, reason}} (one per rejected code or refused points, by the
     * API's reason; {@code nothing_to_redeem} and {@code contention} for the refusals that name no code).
     */
    public void bindTo(MeterRegistry registry) {
        for (String result : List.of("redeemed", "replayed")) redeemed(registry, result);
        group.bindTo(registry);
        this.meters = registry;
    }

    private static Counter redeemed(MeterRegistry registry, String result) {
        return Counter.builder("tessera.redemptions").tag("result", result)
                .description("redemptions answered 201: committed now (redeemed) or an idempotent retry (replayed)")
                .register(registry);
    }

    private void refusal(String operation, String reason) {
        Counter.builder("tessera.checkout.rejections").tag("operation", operation).tag("reason", reason)
                .description("codes or points refused by a validation or a redemption, by reason").register(meters)
                .increment();
    }

    /** The program the request pays points with (a 422 naming {@code loyalty.program} when it cannot), or null. */
    private LoyaltyPoints.PointsProgram program(ProjectContext p, CheckoutRequest req) {
        return req.loyalty() == null ? null : loyalty.program(p, req.loyalty().program());
    }

    /**
     * The points step, after every other discount: what the points asked for pay of the items left, refused with
     * {@code no_effect} when that is nothing and with {@code insufficient_points} when the member holds fewer than
     * were asked for. Null when the request pays no points.
     */
    private Checked.Points points(ProjectContext p, CheckoutRequest req, LoyaltyPoints.PointsProgram program, Evaluation ev,
                                  Instant now) {
        if (program == null) return null;
        long requested = req.loyalty().points();
        PointsPayment paid = PointsPayment.of(ev.order(), requested, program.points(), program.amount());
        if (paid.discount() == 0) {
            return Checked.Points.refused(program, requested, Reason.NO_EFFECT,
                    requested + " points of " + program.name() + " pay nothing on what is left of this order");
        }
        long balance = loyalty.balance(p, program, req.customerId(), now);
        if (balance < requested) return insufficient(program, requested, balance);
        return Checked.Points.paid(program, requested, paid);
    }

    private static Checked.Points insufficient(LoyaltyPoints.PointsProgram program, long requested, long balance) {
        return Checked.Points.refused(program, requested, Reason.INSUFFICIENT_POINTS, "the balance in "
                + program.name() + " is " + balance + " points; " + requested + " were asked for");
    }

    /**
     * The shopper a dry run (validation, qualification) sees: the stored customer with the request's attributes
     * merged over it for this request only. Dry runs never write — a browser holding a {@code validate} key must not
     * be able to change (or create) anyone. The customer is as {@code reads} found them, once they ran.
     */
    public Shopper shopper(ProjectContext p, CheckoutRequest req, Reads reads, Instant now) {
        return shopper(p, req, stored(p, req, reads), now);
    }

    private Shopper shopper(ProjectContext p, CheckoutRequest req, CustomerRow stored, Instant now) {
        CustomerRow row = null;
        if (req.customerId() != null) {
            row = req.attributes() == null ? stored
                    : (stored != null ? stored : CustomerRow.blank(req.customerId(), now)).withAttributes(req.attributes());
        }
        return profiles.shopper(p.id(), req.customerId(), row, now);
    }

    /** The engine's answer with the codes as found, by code. */
    record Evaluated(Evaluation evaluation, Map<String, CodeRef> codes) {
    }

    Evaluated evaluate(ProjectContext p, CheckoutRequest req, Shopper shopper, Instant now, boolean allCounters) {
        return evaluate(p, req, shopper, now, allCounters ? Counters.ALL : Counters.PER_CUSTOMER, null);
    }

    /**
     * Which counters an evaluation reads: all of them; the per-customer ones only (a redemption's first pass, whose
     * guarded takes decide on the campaign-wide ones); or none (that pass for a customer not stored yet, who has no
     * per-customer counter either).
     */
    private enum Counters { ALL, PER_CUSTOMER, NONE }

    private Evaluated evaluate(ProjectContext p, CheckoutRequest req, Shopper shopper, Instant now, Counters read,
                               Map<String, CodeRow> known) {
        ActiveCampaigns.Snapshot snap = campaigns.get(p.id());
        Map<String, CodeRow> rows = known != null ? known : codes.find(p.id(), req.codes());
        List<CodeRef> refs = new ArrayList<>(req.codes().size());
        Map<String, List<String>> names = new HashMap<>();
        for (String code : req.codes()) {
            CodeRow row = rows.get(code);
            Promotion promo = row == null ? null : snap.byId().get(row.campaignId());
            if (promo == null) {
                refs.add(CodeRef.notFound(code));
                continue;
            }
            refs.add(new CodeRef(code, promo, row.active(), row.customerId(), row.redemptions(), row.unique()));
            counted(names, promo, shopper, now, p.zone());
        }
        for (Promotion a : snap.automatic()) counted(names, a, shopper, now, p.zone());
        Usage usage = read == Counters.NONE ? Usage.NONE : counters.usage(p.id(), names, read == Counters.ALL);
        Evaluation ev = Engine.evaluate(new EvaluationRequest(req.cart(), shopper, req.context(), now, p.zone(),
                p.maxDiscountsPerOrder(), refs, snap.automatic(), usage, req.explain()));
        Map<String, CodeRef> byCode = new HashMap<>();
        for (CodeRef r : refs) byCode.put(r.code(), r);
        return new Evaluated(ev, byCode);
    }

    /** Adds the counters of {@code promo}'s limits to {@code names}, if it has any (most promotions have none). */
    private static void counted(Map<String, List<String>> names, Promotion promo, Shopper shopper, Instant now,
                                ZoneId zone) {
        List<String> counters = LimitCounters.names(promo, shopper, now, zone);
        if (!counters.isEmpty()) names.put(promo.id(), counters);
    }

    /** A redemption's answer: the status and the JSON body (stored, so a retried request gets it again). */
    public record Result(int status, String body) {
    }

    public Result redeem(ProjectContext p, CheckoutRequest req, String idempotencyKey, Instant now) {
        return redeem(p, req, null, idempotencyKey, now);
    }

    /** A redemption with what was read before ({@code reads}), used by its first attempt; or null. */
    public Result redeem(ProjectContext p, CheckoutRequest req, Reads reads, String idempotencyKey,
                         Instant now) {
        try {
            return keyed(p, req, reads, idempotencyKey, now);
        } catch (RedemptionRejected e) {
            for (String reason : e.reasons()) refusal("redeem", reason);
            throw e;
        } catch (Failure.Busy e) {
            refusal("redeem", "contention");
            throw e;
        } catch (Failure.Refused e) {
            if (e.code().equals("nothing_to_redeem")) refusal("redeem", e.code());
            throw e;
        }
    }

    private Result keyed(ProjectContext p, CheckoutRequest req, Reads reads, String idempotencyKey,
                         Instant now) {
        String hash = RequestHash.of(req);
        if (idempotencyKey == null) return attempt(p, req, reads, null, hash, now);
        // A retried request is found by its key only when it cannot simply go through: its insert meets the stored
        // one (a unique violation, answered with the stored response) or it is refused (e.g. by the per-customer
        // limit its first attempt used up). A first attempt, the usual case, reads nothing for its key.
        try {
            return attempt(p, req, reads, idempotencyKey, hash, now);
        } catch (Failure refused) {
            var replay = replay(p, idempotencyKey, hash);
            if (replay != null) return replay;
            throw refused;
        }
    }

    private Result attempt(ProjectContext p, CheckoutRequest req, Reads reads, String idempotencyKey,
                           String hash, Instant now) {
        LoyaltyPoints.PointsProgram program = program(p, req);
        // The first pass does not read campaign-wide counters (their guarded takes decide); once an automatic
        // promotion turns out to be used up, later passes read everything so that they leave it out.
        boolean allCounters = false;
        for (int attempt = 0; ; attempt++) {
            // The first attempt plans with what was read before it; a later one reads again.
            CustomerRow stored = stored(p, req, attempt == 0 ? reads : null);
            CustomerRow seen = stored;
            if (req.customerId() != null && req.attributes() != null) {
                seen = (stored != null ? stored : CustomerRow.blank(req.customerId(), now)).withAttributes(req.attributes());
            }
            Shopper shopper = profiles.shopper(p.id(), req.customerId(), seen, now);
            Counters read = allCounters ? Counters.ALL : stored == null ? Counters.NONE : Counters.PER_CUSTOMER;
            Evaluated evaluated = evaluate(p, req, shopper, now, read, attempt == 0 && reads != null ? reads.codes() : null);
            Evaluation ev = evaluated.evaluation();
            if (!ev.valid()) {
                List<Rejection> rejections = evaluate(p, req, shopper, now, true).evaluation().rejected();
                if (refreshed(p, rejections) && attempt < ATTEMPTS) continue;
                throw rejected(rejections);
            }
            Checked.Points points = points(p, req, program, ev, now);
            if (points != null && points.paid() == null) throw new RedemptionRejected(points);
            if (ev.applied().isEmpty() && points == null) {
                throw Failure.refused("nothing_to_redeem", "no code was given and no automatic promotion applies");
            }
            try {
                Result created = new Result(201, commit(p, req, idempotencyKey, hash, shopper, evaluated, points,
                        stored == null, now));
                redeemed(meters, "redeemed").increment();
                return created;
            } catch (PointsShort ps) {
                // Spent by a concurrent request since the balance was read: refused whole, nothing was written.
                // The balance is read now, the transaction's connection given back: read inside it, every request of
                // a burst would hold one connection while waiting for a second.
                throw new RedemptionRejected(insufficient(program, req.loyalty().points(),
                        loyalty.balance(p, points.program(), req.customerId(), now)));
            } catch (LimitReached lr) {
                if (lr.code != null) {
                    // Report the first reason that holds now, which the full snapshot knows best.
                    Evaluation full = evaluate(p, req, shopper, now, true).evaluation();
                    if (!full.valid() && refreshed(p, full.rejected()) && attempt < ATTEMPTS) continue;
                    if (!full.valid()) throw rejected(full.rejected());
                    throw rejected(List.of(new Rejection(lr.promotion, lr.code, lr.reason,
                            "the " + lr.reason.code().replace('_', ' ') + " of campaign " + lr.promotion.name()
                                    + " was reached by a concurrent redemption")));
                }
                // An automatic promotion ran out between snapshot and commit: evaluate again without it.
                allCounters = true;
            } catch (CustomerExists c) {
                // The next attempt reads the customer and plans as theirs.
            } catch (OutdatedLimits o) {
                // Planned with limits this node had cached before they changed: reload the campaigns and plan again.
                campaigns.invalidate(p.id());
            } catch (RuntimeException e) {
                if (idempotencyKey != null && Database.isUniqueViolation(e)) {
                    var replay = replay(p, idempotencyKey, hash);
                    if (replay != null) return replay;
                } else if (!Database.isRetryable(e)) {
                    throw e;
                }
            }
            if (attempt >= ATTEMPTS) throw Failure.busy("too much contention; retry the request");
        }
    }

    /**
     * A refusal by a campaign whose limits this node had cached before they changed (e.g. raised on another node) is
     * not final: true when so, after reloading the project's campaigns so that the next attempt plans with the new ones.
     */
    private boolean refreshed(ProjectContext p, List<Rejection> rejections) {
        List<Promotion> refusing = rejections.stream().map(Rejection::promotion).filter(java.util.Objects::nonNull).toList();
        if (!counters.outdated(p.id(), refusing)) return false;
        campaigns.invalidate(p.id());
        return true;
    }

    private Result replay(ProjectContext p, String key, String hash) {
        var existing = store.byKey(p.id(), key);
        if (existing.isEmpty()) return null;
        if (!existing.get().requestHash().equals(hash)) {
            throw Failure.refused("idempotency_conflict",
                    "Idempotency-Key " + key + " was already used with a different request body");
        }
        redeemed(meters, "replayed").increment();
        return new Result(201, existing.get().response());
    }

    private String commit(ProjectContext p, CheckoutRequest req, String key, String hash, Shopper shopper,
                          Evaluated evaluated, Checked.Points points, boolean newCustomer, Instant now) {
        Evaluation ev = evaluated.evaluation();
        Checked checked = new Checked(ev, points);
        String id = Ids.next("red");
        String response = EvaluationView.redemption(id, checked, req.explain(), req.customerId(), now);
        String day = LocalDate.ofInstant(now, p.zone()).toString();
        long orderValue = req.cart().subtotal();
        // Lines and per-customer counters are known before the takes; slot rows of campaign-wide counters are not.
        List<RedemptionStore.Line> lines = new ArrayList<>();
        for (Applied a : ev.applied()) lines.add(new RedemptionStore.Line(a.promotion().id(), a.code(), a.discount(), day));
        if (points != null) lines.add(new RedemptionStore.Line(points.program().id(), null, points.paid().discount(), day));
        List<Take> takes = new ArrayList<>();
        for (Applied a : ev.applied()) for (CounterUse u : a.counters()) takes.add(new Take(a, u));
        // Campaign-wide (slotted) counters last: their rows are the contended ones, so they are held the shortest.
        takes.sort(Comparator.comparing((Take t) -> CounterStore.slotted(t.use.counter()))
                .thenComparing(t -> t.applied.promotion().id()).thenComparing(t -> t.use.counter()));
        List<CounterStore.Taken> known = new ArrayList<>();
        for (Take t : takes) {
            if (!CounterStore.slotted(t.use.counter()) && t.use.amount() > 0) {
                known.add(new CounterStore.Taken(t.applied.promotion().id(), t.use.counter(), t.use.amount()));
            }
        }
        // A new customer's per-customer counters are taken with their insert; only the campaign-wide ones are left.
        boolean creating = newCustomer && req.customerId() != null;
        List<Take> fresh = creating ? takes.stream().filter(t -> !CounterStore.slotted(t.use.counter())).toList() : List.of();
        List<Take> left = takes.subList(fresh.size(), takes.size());
        List<Promotion> planned = ev.applied().stream().map(Applied::promotion).toList();
        GroupCommit.Work work = (tx, batch, limits) -> {
            // One round trip for everything that needs no answer first, after the hold on the limits (taken before
            // any row is held: the limits this redemption planned with must be the database's, and stay so until it
            // commits; a change of limits waits for it): the redemption with its lines, and a new customer with its
            // counters. In a group commit, the group's members' go in that one round trip together.
            store.insert(batch, new RedemptionStore.NewRedemption(id, p.id(), req.customerId(), req.orderId(), key,
                    hash, checked.order().discount(), checked.order().shippingDiscount(), orderValue, response, now),
                    lines, known);
            CustomerStore.NewCustomer created = creating ? customers.create(batch, p.id(), req.customerId(),
                    req.attributes(), req.consents(), redeemedCampaigns(ev, points), now) : null;
            CounterStore.NewTakes freshTakes = creating ? counters.addNew(batch, p.id(), fresh.stream()
                    .map(t -> new CounterStore.Use(t.applied.promotion().id(), t.use)).toList()) : null;
            if (freshTakes != null && freshTakes.refused() >= 0) throw limitReached(fresh.get(freshTakes.refused()));
            // The rest, once that round trip ran (the group's, in a group commit).
            return new GroupCommit.Rest() {
                @Override
                public void beforeTakes() {
                    if (!limits.plannedWith(planned)) throw new OutdatedLimits();
                    if (created != null && !customers.inserted(batch, created)) {
                        // Created meanwhile by a concurrent request: roll back before waiting for any lock of that
                        // customer (holding counters of theirs while waiting could deadlock) and plan again as their
                        // redemption.
                        throw new CustomerExists();
                    }
                    if (req.customerId() != null) {
                        // The customer (created or updated) and customer.redeemed, under the customer's row lock,
                        // taken here (before any counter) in every redemption and rollback alike.
                        if (created != null) customers.created(tx, created);
                        else customers.redeemed(tx, p.id(), req.customerId(), req.attributes(), req.consents(),
                                redeemedCampaigns(ev, points), now);
                    }
                    if (freshTakes != null) {
                        int refused = counters.settleNew(tx, batch, freshTakes);
                        if (refused >= 0) throw limitReached(fresh.get(refused));
                    }
                    if (points != null) {
                        // Under the member's lock, so concurrent redemptions of one member never spend the same points.
                        if (!loyalty.spend(tx, p, points.program(), req.customerId(), points.requested(),
                                points.paid().points(), id, now)) {
                            throw new PointsShort();
                        }
                    }
                    // The redemption.created event, as GET /v1/redemptions shows the redemption (built only if wanted), before
                    // the counters are taken: their slot rows are what concurrent checkouts of a hot code wait on until
                    // the commit.
                    outbox.add(tx, p.id(), RedemptionService.CREATED, () -> RedemptionService.data(RedemptionView.of(
                            new RedemptionStore.Stored(id, req.customerId(), req.orderId(), "REDEEMED", hash, response,
                                    checked.order().discount(), checked.order().shippingDiscount(), orderValue, now, null, null,
                                    null))), now);
                }

                @Override
                public List<GroupCommit.Take> takes() {
                    List<GroupCommit.Take> all = new ArrayList<>();
                    for (Applied a : ev.applied()) {
                        if (a.code() != null && evaluated.codes().get(a.code()).unique())
                            all.add(codeTake(tx, p.id(), a, shopper.id()));
                    }
                    for (Take t : left) all.add(take(tx, p.id(), id, t));
                    // Alone, in this order; in a group, merged with the other members' in the same order.
                    all.sort(Comparator.comparing(GroupCommit.Take::order));
                    return all;
                }

                @Override
                public String answer() {
                    return response;
                }
            };
        };
        // A redemption that pays with points commits alone (see GroupCommit): the member's rows are locked between the
        // customer's and the codes', an order a group's members one after another would cross.
        GroupCommit.Member member = new GroupCommit.Member(p.id(), req.customerId(),
                planned.stream().map(Promotion::id).toList(), work);
        return points != null ? group.alone(member) : group.commit(member);
    }

    /**
     * One more redemption of the unique code {@code a} applied, in the one order of takes: codes first (by code), then
     * counters. A rollback gives them back in that order too.
     */
    private GroupCommit.Take codeTake(DSLContext tx, String projectId, Applied a, String customerId) {
        Promotion promo = a.promotion();
        return GroupCommit.Take.of("-" + a.code(), freeSlotOnly -> {
            if (!store.takeCode(tx, projectId, a.code(), promo.limits().codeLimit(), customerId,
                    promo.kind() == PromotionKind.REFERRAL)) {
                throw new LimitReached(promo, a.code(), Reason.CODE_LIMIT);
            }
        });
    }

    /**
     * A counter take of redemption {@code redemptionId}, in the one order of takes: per-customer counters before
     * campaign-wide (slotted) ones, then by campaign and counter.
     */
    private GroupCommit.Take take(DSLContext tx, String projectId, String redemptionId, Take t) {
        String order = (CounterStore.slotted(t.use.counter()) ? "1" : "0") + t.applied.promotion().id() + '\u0000'
                + t.use.counter();
        return GroupCommit.Take.of(order, freeSlotOnly -> {
            if (!counters.take(tx, projectId, redemptionId, t.applied.promotion().id(), t.use, freeSlotOnly)) {
                throw limitReached(t);
            }
        });
    }

    /** The campaigns a redemption counts in {@code customer.redeemed}: each one it applied, and the program it paid with. */
    private static java.util.Set<String> redeemedCampaigns(Evaluation ev, Checked.Points points) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Applied a : ev.applied()) names.add(a.promotion().name());
        if (points != null) names.add(points.program().name());
        return names;
    }

    private record Take(Applied applied, CounterUse use) {
    }

    /** The member no longer holds the points asked for (a concurrent spend): nothing was written. */
    private static final class PointsShort extends RuntimeException {
        PointsShort() {
            super(null, null, false, false);
        }
    }

    /** The customer taken for new was created by a concurrent request: nothing was written. */
    private static final class CustomerExists extends RuntimeException {
        CustomerExists() {
            super(null, null, false, false);
        }
    }

    private static LimitReached limitReached(Take t) {
        return new LimitReached(t.applied.promotion(), t.applied.code(), t.use.reason());
    }

    /** The redemption was planned with limits that have changed since: nothing was written. */
    private static final class OutdatedLimits extends RuntimeException {
        OutdatedLimits() {
            super(null, null, false, false);
        }
    }

    /** A guarded take failed: the limit was reached by a concurrent redemption since the snapshot. */
    private static final class LimitReached extends RuntimeException {
        final Promotion promotion;
        final String code;
        final Reason reason;

        LimitReached(Promotion promotion, String code, Reason reason) {
            super(null, null, false, false);
            this.promotion = promotion;
            this.code = code;
            this.reason = reason;
        }
    }

    static RedemptionRejected rejected(List<Rejection> rejected) {
        return new RedemptionRejected(rejected);
    }
}
