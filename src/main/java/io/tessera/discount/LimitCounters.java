package io.tessera.discount;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/**
 * Names the counters a promotion's limits are kept in, so that validation (reading a snapshot) and redemption
 * (guarded increments) agree. Calendar periods are computed in the project's time zone.
 */
public final class LimitCounters {
    public static final String TOTAL = "total";
    public static final String BUDGET_DISCOUNT = "budget.discount";
    public static final String BUDGET_ORDERS = "budget.orders";

    private LimitCounters() {
    }

    /** Counter names whose usage validation needs to read for this promotion and customer. */
    public static List<String> names(Promotion p, Shopper shopper, Instant now, ZoneId zone) {
        List<CounterUse> uses = plan(p, shopper, now, zone, 0, 0);
        if (uses.isEmpty()) return List.of();
        List<String> names = new ArrayList<>(uses.size());
        for (CounterUse use : uses) names.add(use.counter());
        return names;
    }

    /**
     * The counters a redemption of {@code p} takes from, in reason order (total, customer, period, customer-period,
     * budgets). {@code discount} is the discount given, {@code orderValue} the order subtotal counted in
     * {@code budget.orders}. Per-customer counters are skipped for anonymous shoppers.
     */
    public static List<CounterUse> plan(Promotion p, Shopper shopper, Instant now, ZoneId zone, long discount,
                                        long orderValue) {
        Limits l = p.limits();
        // Most promotions count nothing: checked for each of them on every checkout, twice.
        if (!l.counted()) return List.of();
        List<CounterUse> uses = new ArrayList<>(6);
        if (l.redemptions() != null) uses.add(new CounterUse(TOTAL, l.redemptions(), 1, Reason.REDEMPTION_LIMIT));
        if (l.perCustomer() != null && !shopper.anonymous())
            uses.add(new CounterUse("customer:" + shopper.id(), l.perCustomer(), 1, Reason.CUSTOMER_LIMIT));
        if (l.perPeriod() != null)
            uses.add(new CounterUse("period:" + periodKey(l.perPeriod().period(), now, zone), l.perPeriod().count(), 1,
                    Reason.PERIOD_LIMIT));
        if (l.perCustomerPerPeriod() != null && !shopper.anonymous())
            uses.add(new CounterUse("customer-period:" + shopper.id() + ":"
                    + periodKey(l.perCustomerPerPeriod().period(), now, zone), l.perCustomerPerPeriod().count(), 1,
                    Reason.CUSTOMER_PERIOD_LIMIT));
        if (l.budgetDiscount() != null)
            uses.add(new CounterUse(BUDGET_DISCOUNT, l.budgetDiscount(), discount, Reason.BUDGET_EXHAUSTED));
        if (l.budgetOrders() != null)
            uses.add(new CounterUse(BUDGET_ORDERS, l.budgetOrders(), orderValue, Reason.BUDGET_EXHAUSTED));
        return uses;
    }

    /** e.g. {@code DAY:2026-11-24}, {@code WEEK:2026-11-23} (the Monday), {@code MONTH:2026-11-01}. */
    public static String periodKey(Period period, Instant now, ZoneId zone) {
        LocalDate day = LocalDate.ofInstant(now, zone);
        LocalDate start = switch (period) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
        return period.name() + ":" + start;
    }
}
