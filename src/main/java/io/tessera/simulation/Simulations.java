package io.tessera.simulation;

import io.tessera.campaign.CampaignParser;
import io.tessera.core.Input;
import io.tessera.core.ProjectContext;
import io.tessera.customer.CustomerRow;
import io.tessera.customer.CustomerStore;
import io.tessera.customer.Profiles;
import io.tessera.db.Database;
import io.tessera.discount.Applied;
import io.tessera.discount.Cart;
import io.tessera.discount.CounterUse;
import io.tessera.discount.Engine;
import io.tessera.discount.EvaluationRequest;
import io.tessera.discount.Promotion;
import io.tessera.discount.Reason;
import io.tessera.discount.Shopper;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * "What would this campaign have cost last month?": a draft campaign (never saved) replayed through the engine, alone,
 * over the project's paid orders of a period, oldest first. Each order is seen with its items as stored, and its
 * customer with the stored attributes (as they are now) and the paid-order history as of that order; the draft's own
 * limits and budget are counted as the replay goes, so a budget that would have run out shows the day it did.
 * Read-only: nothing is written.
 */
public final class Simulations {
    /** The longest period one request replays: a year (and a day, for leap years). */
    static final Duration MAX_PERIOD = Duration.ofDays(366);
    /** Orders read per query: memory stays bounded whatever the period holds. */
    static final int PAGE = 500;

    private final SimulationStore store;
    private final CampaignParser parser;
    private final CustomerStore customers;
    private final Profiles profiles;

    public Simulations(Database db, CampaignParser parser, CustomerStore customers, Profiles profiles) {
        this.store = new SimulationStore(db);
        this.parser = parser;
        this.customers = customers;
        this.profiles = profiles;
    }

    /** One day of the period (in the project's timezone) with orders: how many the draft matched, what it gave. */
    public record Day(LocalDate day, long matched, long discount) {
    }

    /**
     * {@code orders} paid orders replayed, {@code matched} where the draft applied, {@code discount} what it gave in
     * all, per day, and the day its budget ran out (null: it did not, or it has none).
     */
    public record Result(long orders, long matched, long discount, List<Day> byDay, LocalDate budgetExhaustedOn) {
    }

    /**
     * Replays the orders placed in [{@code from}, {@code to}) through the draft in {@code campaign} (validated as a
     * campaign is; problems are reported in {@code in}, under {@code campaign.…}). The draft counts as active, and as if
     * every order had used its code when it is a code campaign: the answer is what it would have cost at most.
     */
    public Result simulate(ProjectContext p, Input in, Input campaign, Instant from, Instant to) {
        if (from != null && to != null) {
            if (!from.isBefore(to)) in.fail("to", "must be after from");
            else if (Duration.between(from, to).compareTo(MAX_PERIOD) > 0)
                in.fail("to", "the period must be at most " + MAX_PERIOD.toDays() + " days");
        }
        CampaignParser.Parsed parsed = campaign == null ? null : parser.parse(campaign, "draft", 0);
        in.check();
        Promotion d = parsed.promotion();
        Promotion draft = new Promotion(d.id(), d.name(), d.kind(), true, d.startsAt(), d.endsAt(), d.condition(),
                d.discount(), d.stacking(), d.currency(), d.limits(), d.metadata(), d.sequence());
        return replay(p, draft, from, to);
    }

    private Result replay(ProjectContext p, Promotion draft, Instant from, Instant to) {
        // Paid-order history of each customer seen so far, as of the order being replayed.
        Map<String, SimulationStore.History> history = new HashMap<>();
        Map<String, Long> used = new HashMap<>();
        TreeMap<LocalDate, long[]> days = new TreeMap<>();
        long orders = 0, matched = 0, discount = 0;
        LocalDate exhausted = null;
        Instant afterAt = null;
        String afterId = null;
        while (true) {
            List<SimulationStore.PaidOrder> page = store.paidOrders(p.id(), from, to, afterAt, afterId, PAGE);
            if (page.isEmpty()) break;
            Set<String> ids = new LinkedHashSet<>();
            for (SimulationStore.PaidOrder o : page) if (o.customerId() != null) ids.add(o.customerId());
            Map<String, CustomerRow> rows = customers.findAll(p.id(), ids);
            List<String> unseen = new ArrayList<>();
            for (String id : ids) if (!history.containsKey(id)) unseen.add(id);
            Map<String, SimulationStore.History> before = store.historyBefore(p.id(), unseen, from);
            for (String id : unseen) history.put(id, before.getOrDefault(id, SimulationStore.History.NONE));
            for (SimulationStore.PaidOrder o : page) {
                orders++;
                LocalDate day = o.at().atZone(p.zone()).toLocalDate();
                long[] today = days.computeIfAbsent(day, k -> new long[2]);
                Outcome outcome = evaluate(p, draft, o, shopper(p, o, rows, history), used);
                Applied a = outcome.applied();
                // The budget ran out on the day it was spent to the minor unit, or the first order it could not pay.
                if (outcome.budgetRefused() && exhausted == null) exhausted = day;
                if (a != null) {
                    matched++;
                    discount += a.discount();
                    today[0]++;
                    today[1] += a.discount();
                    for (CounterUse u : a.counters()) {
                        long now = used.merge(u.counter(), u.amount(), Long::sum);
                        if (u.reason() == Reason.BUDGET_EXHAUSTED && now >= u.limit() && exhausted == null)
                            exhausted = day;
                    }
                }
                if (o.customerId() != null) {
                    history.put(o.customerId(), history.get(o.customerId()).and(o.total(), o.at()));
                }
            }
            SimulationStore.PaidOrder last = page.getLast();
            afterAt = last.at();
            afterId = last.id();
        }
        List<Day> byDay = new ArrayList<>(days.size());
        days.forEach((day, v) -> byDay.add(new Day(day, v[0], v[1])));
        return new Result(orders, matched, discount, byDay, exhausted);
    }

    /**
     * The order's customer as of the order: stored attributes, segments, events and redemptions as now; paid orders
     * (count, total, last) as placed before it.
     */
    private Shopper shopper(ProjectContext p, SimulationStore.PaidOrder o, Map<String, CustomerRow> rows,
                            Map<String, SimulationStore.History> history) {
        if (o.customerId() == null) return Shopper.ANONYMOUS;
        SimulationStore.History h = history.get(o.customerId());
        CustomerRow row = rows.getOrDefault(o.customerId(), CustomerRow.blank(o.customerId(), o.at()));
        return profiles.shopper(p.id(), o.customerId(), row.withOrders(h.count(), h.total(), h.lastAt()), o.at());
    }

    /** What the draft alone did on one order: applied (null: not), or refused because its budget was spent. */
    private record Outcome(Applied applied, boolean budgetRefused) {
    }

    /** The draft alone on the order, with its limit counters as used so far. */
    private static Outcome evaluate(ProjectContext p, Promotion draft, SimulationStore.PaidOrder o, Shopper shopper,
                                    Map<String, Long> used) {
        // Rejections of an automatic promotion are reported only when explained; needed only to see a spent budget.
        boolean budgeted = draft.limits() != null
                && (draft.limits().budgetDiscount() != null || draft.limits().budgetOrders() != null);
        var ev = Engine.evaluate(new EvaluationRequest(new Cart(o.currency(), o.lines(), o.shipping()), shopper,
                Map.of(), o.at(), p.zone(), p.maxDiscountsPerOrder(), List.of(), List.of(draft),
                (promotion, counter) -> used.getOrDefault(counter, 0L), budgeted));
        if (!ev.applied().isEmpty()) return new Outcome(ev.applied().getFirst(), false);
        boolean refused = ev.notApplied().stream().anyMatch(r -> r.reason() == Reason.BUDGET_EXHAUSTED);
        return new Outcome(null, refused);
    }
}
