package io.tessera.automation;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Ids;
import io.tessera.core.Json;
import io.tessera.core.ProjectContext;
import io.tessera.customer.CustomerChanges;
import io.tessera.customer.CustomerRow;
import io.tessera.customer.CustomerStore;
import io.tessera.customer.Profiles;
import io.tessera.discount.Cart;
import io.tessera.discount.CartLine;
import io.tessera.event.CustomerEvent;
import io.tessera.event.EventListener;
import io.tessera.job.NewTask;
import io.tessera.job.Scheduler;
import io.tessera.loyalty.Entry;
import io.tessera.loyalty.LoyaltyService;
import io.tessera.order.Order;
import io.tessera.order.OrderChanges;
import io.tessera.outbox.Outbox;
import io.tessera.outbox.OutboxEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * Starts runs, inside the transaction of the change that fires them: a paid order ({@code order_paid}), a customer
 * event ({@code event:<type>}), a new customer ({@code customer_created}), a tier change and an earning with an expiry
 * (from the outbox: {@code tier_changed}, {@code points_expiring}), and a dynamic segment entered after any of those
 * changes ({@code segment_entered:<name>}). A run is a row plus a scheduler task due when its actions are, so both
 * exist exactly when the change committed. Also keeps {@code customers.birthday_md} for the birthday sweep.
 */
public final class AutomationTriggers implements OrderChanges, EventListener, CustomerChanges, Outbox.Subscriber {
    private final Automations automations;
    private final CustomerStore customers;
    private final Profiles profiles;
    private final LoyaltyService loyalty;
    private final Scheduler scheduler;

    public AutomationTriggers(Automations automations, CustomerStore customers, Profiles profiles,
                              LoyaltyService loyalty, Scheduler scheduler) {
        this.automations = automations;
        this.customers = customers;
        this.profiles = profiles;
        this.loyalty = loyalty;
        this.scheduler = scheduler;
    }

    // ---- order_paid ----

    @Override
    public void changed(DSLContext tx, ProjectContext p, Order order, String previousStatus, Cart cart, Instant at) {
        if (order.customer() == null || automations.of(tx, p.id()).isEmpty()) return;
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        boolean paid = "PAID".equals(order.status()) && !"PAID".equals(previousStatus);
        CustomerRow row = customers.find(tx, p.id(), order.customer()).orElse(null);
        if (paid) {
            Map<String, Object> data = Map.of("order", orderData(order, cart));
            for (Automation a : automations.on(tx, p.id(), Automation.Trigger.Type.ORDER_PAID)) {
                start(tx, p.id(), a, order.customer(), row, data, "order:" + order.id(), now.plus(a.delay()), now);
            }
        }
        if (row == null) return;
        // The statistics before this change, for a customer whose segment membership was never recorded.
        long sign = paid ? -1 : "PAID".equals(previousStatus) && !"PAID".equals(order.status()) ? 1 : 0;
        CustomerRow before = new CustomerRow(row.id(), row.attributes(), row.consents(),
                row.ordersCount() + sign, row.ordersTotal() + sign * order.total(), row.createdAt(), row.updatedAt(),
                row.erasedAt());
        segments(tx, p.id(), row, before, now);
    }

    private static Map<String, Object> orderData(Order order, Cart cart) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", order.id());
        m.put("currency", order.currency());
        m.put("subtotal", order.subtotal());
        m.put("shipping", order.shipping());
        m.put("discount", order.discount());
        m.put("shippingDiscount", order.shippingDiscount());
        m.put("total", order.total());
        List<Map<String, Object>> items = new java.util.ArrayList<>();
        for (CartLine l : cart.lines()) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("sku", l.sku());
            i.put("product", l.product());
            i.put("categories", l.categories());
            i.put("price", l.price());
            i.put("quantity", l.quantity());
            i.put("attributes", l.attributes());
            items.add(i);
        }
        m.put("items", items);
        return m;
    }

    // ---- event:<type> ----

    @Override
    public void received(DSLContext tx, ProjectContext p, CustomerEvent event, Instant at) {
        if (automations.of(tx, p.id()).isEmpty()) return;
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        CustomerRow row = customers.find(tx, p.id(), event.customer()).orElse(null);
        Map<String, Object> data = Map.of("event", Map.of("id", event.id(), "type", event.type(),
                "properties", event.properties()));
        for (Automation a : automations.on(tx, p.id(), Automation.Trigger.Type.EVENT)) {
            if (!a.on().argument().equals(event.type())) continue;
            start(tx, p.id(), a, event.customer(), row, data, "event:" + event.id(), now.plus(a.delay()), now);
        }
        if (row != null) segments(tx, p.id(), row, row, now);
    }

    // ---- customer_created, segment_entered, birthdays ----

    @Override
    public void changed(DSLContext tx, String projectId, CustomerRow before, CustomerRow after, Instant at) {
        String md = monthDay(after.attributes().get("birthday"));
        if (before == null ? md != null : !java.util.Objects.equals(md, monthDay(before.attributes().get("birthday")))) {
            store().setBirthday(tx, projectId, after.id(), md);
        }
        if (automations.of(tx, projectId).isEmpty()) return;
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        if (before == null) {
            for (Automation a : automations.on(tx, projectId, Automation.Trigger.Type.CUSTOMER_CREATED)) {
                start(tx, projectId, a, after.id(), after, Map.of(), null, now.plus(a.delay()), now);
            }
        }
        segments(tx, projectId, after, before, now);
    }

    /** MMDD of an ISO date like 1990-03-15; null when absent or not a date. */
    static String monthDay(Object birthday) {
        if (!(birthday instanceof String s)) return null;
        try {
            LocalDate d = LocalDate.parse(s);
            return String.format("%02d%02d", d.getMonthValue(), d.getDayOfMonth());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Fires the automations on {@code segment_entered:<name>} whose dynamic segment the customer is in now and was
     * not in at the last change recorded; with none recorded, membership {@code before} this change decides (null:
     * a new customer, in no segment).
     */
    private void segments(DSLContext tx, String projectId, CustomerRow after, CustomerRow before, Instant now) {
        List<Automation> listening = automations.on(tx, projectId, Automation.Trigger.Type.SEGMENT_ENTERED);
        if (listening.isEmpty()) return;
        List<String> inside = profiles.shopper(tx, projectId, after.id(), after, now).segments();
        List<String> wasInside = before == null ? List.of()
                : profiles.shopper(tx, projectId, before.id(), before, now).segments();
        for (Automation a : listening) {
            String segment = a.on().argument();
            if (store().entered(tx, projectId, a.id(), after.id(), inside.contains(segment),
                    wasInside.contains(segment))) {
                start(tx, projectId, a, after.id(), after, Map.of("segment", segment), null, now.plus(a.delay()), now);
            }
        }
    }

    // ---- tier_changed, points_expiring ----

    @Override
    public boolean added(DSLContext tx, OutboxEvent event) {
        boolean tier = LoyaltyService.TIER_CHANGED.equals(event.type());
        boolean earned = LoyaltyService.POINTS_EARNED.equals(event.type());
        if (!tier && !earned) return false;
        Automation.Trigger.Type type = tier ? Automation.Trigger.Type.TIER_CHANGED
                : Automation.Trigger.Type.POINTS_EXPIRING;
        List<Automation> listening = automations.on(tx, event.projectId(), type);
        if (listening.isEmpty()) return false;
        Instant now = event.createdAt().truncatedTo(ChronoUnit.MICROS);
        String customer = (String) event.data().get("customer");
        if (tier) {
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("from", event.data().get("from"));
            change.put("to", event.data().get("to"));
            change.put("program", event.data().get("program"));
            for (Automation a : listening) {
                start(tx, event.projectId(), a, customer, null, Map.of("tier", change), null, now.plus(a.delay()), now);
            }
            return false;
        }
        if (!(event.data().get("entry") instanceof Entry entry)) return false;
        LoyaltyService.EarnedBucket bucket = loyalty.earnedBucket(tx, event.projectId(), entry.id()).orElse(null);
        if (bucket == null || bucket.expiresAt() == null) return false;
        Map<String, Object> points = new LinkedHashMap<>();
        points.put("program", bucket.program());
        points.put("points", bucket.points());
        points.put("expiresAt", bucket.expiresAt());
        points.put("bucket", bucket.id());
        for (Automation a : listening) {
            Instant due = bucket.expiresAt().minus(Duration.ofDays(a.notifyDaysBefore()));
            start(tx, event.projectId(), a, customer, null, Map.of("points", points), "bucket:" + bucket.id(),
                    (due.isBefore(now) ? now : due).plus(a.delay()), now);
        }
        return false; // runs keep the event's data, not a reference to it
    }

    // ---- runs ----

    /**
     * Starts a run of {@code a} for {@code customer} due at {@code dueAt}, in {@code tx}: nothing when the condition
     * does not hold now, when {@code limit.perCustomer} is reached, or when the automation has a run of {@code runKey}
     * already. {@code row} is the customer as this transaction sees it (null: read it).
     */
    void start(DSLContext tx, String projectId, Automation a, String customer, CustomerRow row,
               Map<String, Object> data, String runKey, Instant dueAt, Instant now) {
        JsonNode trigger = Json.MAPPER.valueToTree(data);
        if (a.condition() != null) {
            CustomerRow current = row != null ? row : customers.find(tx, projectId, customer).orElse(null);
            if (!a.condition().test(Variables.of(profiles.shopper(tx, projectId, customer, current, now), trigger, now)))
                return;
        }
        if (a.perCustomer() != null && !store().takeRun(tx, projectId, a.id(), customer, a.perCustomer())) return;
        Instant due = dueAt.truncatedTo(ChronoUnit.MICROS);
        Run run = new Run(Ids.next("arun"), 0, projectId, a.id(), customer, a.on().text(), trigger, due,
                Run.SCHEDULED, null, null, now, null);
        if (!store().insertRun(tx, run, runKey)) {
            if (a.perCustomer() != null) store().giveBackRun(tx, projectId, a.id(), customer);
            return;
        }
        scheduler.enqueue(tx, NewTask.at(AutomationRuns.KIND, projectId, Map.of("run", run.id()), due)
                .withKey(run.id()), now);
        if (!due.isAfter(now)) scheduler.wake();
    }

    private AutomationStore store() {
        return automations.store;
    }
}
