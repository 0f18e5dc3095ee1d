package io.tessera.customer;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import io.tessera.db.Database;
import io.tessera.db.Pipeline;
import io.tessera.db.Sql;
import io.tessera.core.Json;
import io.tessera.rule.Activation;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.Record;

/** Customers of a project. Attributes and consents merge on upsert: a key set to null is removed. */
public final class CustomerStore {
    private final Database db;
    private final List<CustomerChanges> listeners = new CopyOnWriteArrayList<>();

    public CustomerStore(Database db) {
        this.db = db;
    }

    /** Adds a listener told of every creation and change (see {@link CustomerChanges}); call while wiring the server. */
    public void onChange(CustomerChanges listener) {
        listeners.add(listener);
    }

    private void changed(DSLContext tx, String projectId, CustomerRow before, CustomerRow after, Instant now) {
        for (CustomerChanges l : listeners) l.changed(tx, projectId, before, after, now);
    }

    public Optional<CustomerRow> find(String projectId, String id) {
        return find(db.dsl(), projectId, id);
    }

    public Optional<CustomerRow> find(DSLContext tx, String projectId, String id) {
        Pipeline reads = new Pipeline(db);
        Pipeline.Read<CustomerRow> found = reads.read("select * from customers where project_id = ? and id = ?",
                rs -> row(Sql.Columns.of(rs)), projectId, id);
        reads.run(tx);
        return Optional.ofNullable(found.first());
    }

    /**
     * Adds the customer's read to {@code reads}, beside other reads a checkout needs before it writes; the supplier
     * gives the row (null: none) once they ran. The text columns come as bounded slices: the PostgreSQL driver cannot
     * bound the size of a text column's rows, so it ends a pipeline's round trip before and after such a statement
     * (a deadlock guard), and the customer's read would cost one round trip of its own. A customer with a longer text
     * (rare: the slice holds {@value #SLICE} characters) is read again whole, the first time the supplier is asked.
     */
    public Supplier<CustomerRow> find(Pipeline reads, String projectId, String id) {
        // empty: a text was cut
        Pipeline.Read<Optional<CustomerRow>> read = reads.read(SLICED, rs -> {
            Sql.Columns c = Sql.Columns.of(rs);
            return Boolean.TRUE.equals(c.bool("cut")) ? Optional.empty() : Optional.of(row(c));
        }, projectId, id);
        return new Supplier<>() {
            private Optional<CustomerRow> row;

            @Override
            public CustomerRow get() {
                if (row == null) {
                    Optional<CustomerRow> sliced = read.first();
                    row = sliced == null ? Optional.empty() : sliced.isPresent() ? sliced : find(projectId, id);
                }
                return row.orElse(null);
            }
        };
    }

    static final int SLICE = 8000;
    private static final List<String> TEXTS = List.of("attributes", "consents", "redeemed", "events");
    private static final String SLICED = "select id, orders_count, orders_total, created_at, updated_at, erased_at, "
            + "last_order_at, " + TEXTS.stream().map(t -> "cast(substr(" + t + ", 1, " + SLICE + ") as varchar(" + SLICE
            + ")) as " + t + ", ").reduce("", String::concat)
            + TEXTS.stream().map(t -> "length(" + t + ") > " + SLICE).reduce((a, b) -> a + " or " + b).orElseThrow()
            + " as cut from customers where project_id = ? and id = ?";

    /** Creates the customer or merges into it; returns whether anything changed, with the row as it now is. */
    public CustomerRow upsert(DSLContext tx, String projectId, String id, Map<String, Object> attributes,
                              Map<String, Object> consents, Instant now) {
        Optional<CustomerRow> current = tx.fetchOptional(
                "select * from customers where project_id = ? and id = ? for update", projectId, id).map(CustomerStore::row);
        if (current.isEmpty()) {
            Map<String, Object> attrs = merge(Map.of(), attributes);
            Map<String, Object> cons = merge(Map.of(), consents);
            int inserted = tx.execute("insert into customers (project_id, id, attributes, consents, created_at, updated_at) "
                    + "values (?, ?, ?, ?, ?, ?) on conflict do nothing",
                    projectId, id, Json.text(attrs), Json.text(cons), ts(now), ts(now));
            if (inserted == 1) {
                CustomerRow created = new CustomerRow(id, attrs, cons, 0, 0, now, now, null);
                changed(tx, projectId, null, created, now);
                return created;
            }
            return upsert(tx, projectId, id, attributes, consents, now);
        }
        CustomerRow c = current.get();
        if ((attributes == null || attributes.isEmpty()) && (consents == null || consents.isEmpty())) return c;
        Map<String, Object> attrs = merge(c.attributes(), attributes);
        Map<String, Object> cons = merge(c.consents(), consents);
        if (attrs.equals(c.attributes()) && cons.equals(c.consents())) return c;
        tx.execute("update customers set attributes = ?, consents = ?, updated_at = ?, erased_at = null "
                + "where project_id = ? and id = ?", Json.text(attrs), Json.text(cons), ts(now), projectId, id);
        CustomerRow after = c.changed(attrs, cons, now);
        changed(tx, projectId, c, after, now);
        return after;
    }

    /**
     * A redemption's whole write to its customer, in as few statements as the case allows: creates the customer or
     * merges the request's {@code attributes} and {@code consents} into it, and counts the redemption of
     * {@code campaigns} in {@code customer.redeemed}, under the customer's row lock. {@code probablyNew}: the caller
     * found no row before its transaction, so one insert is tried first (a concurrent creation falls back to the
     * locked read and update: two statements).
     */
    /**
     * The insert of a customer a redemption probably creates, carrying {@code customer.redeemed}, added to
     * {@code batch}; once the batch has run, {@link #inserted} tells whether it made the customer and {@link #created} completes it.
     */
    public NewCustomer create(Pipeline batch, String projectId, String id, Map<String, Object> attributes,
                              Map<String, Object> consents, Collection<String> campaigns, Instant now) {
        Map<String, Object> attrs = merge(Map.of(), attributes);
        Map<String, Object> cons = merge(Map.of(), consents);
        Map<String, Long> redeemed = CustomerData.withRedeemed(Map.of(), campaigns, 1);
        int index = batch.row(NEW, projectId, id, Json.text(attrs), Json.text(cons), CustomerData.redeemedText(redeemed),
                ts(now), ts(now));
        return new NewCustomer(index, projectId, new CustomerRow(id, attrs, cons, 0, 0, now, now, null, null, redeemed,
                Map.of()), attributes, consents, campaigns);
    }

    /** New customers in a pipeline: one insert for all (a group commit's members'), telling which it inserted. */
    private static final Pipeline.Insert NEW = new Pipeline.Insert("customers", "project_id, id, attributes, consents, "
            + "redeemed, created_at, updated_at", "on conflict do nothing", 2);

    /** A customer's insert waiting in a pipeline, with what to do instead if the customer turned out to exist. */
    public record NewCustomer(int handle, String projectId, CustomerRow row, Map<String, Object> attributes,
                              Map<String, Object> consents, Collection<String> campaigns) {
    }

    /** Whether the insert {@link #create} added made the customer (false: it existed, and nothing was written). */
    public boolean inserted(Pipeline batch, NewCustomer c) {
        return batch.inserted(c.handle());
    }

    /** Completes {@link #create} once the customer was {@link #inserted}: tells the listeners of the new customer. */
    public void created(DSLContext tx, NewCustomer c) {
        changed(tx, c.projectId(), null, c.row(), c.row().createdAt());
    }

    /**
     * A redemption by a stored customer: under the customer's row lock, merges the request's attributes and consents
     * and counts the campaigns in {@code customer.redeemed}; creates the customer if it was erased meanwhile.
     */
    public void redeemed(DSLContext tx, String projectId, String id, Map<String, Object> attributes,
                         Map<String, Object> consents, Collection<String> campaigns, Instant now) {
        CustomerRow c = tx.fetchOptional("select * from customers where project_id = ? and id = ? for update",
                projectId, id).map(CustomerStore::row).orElse(null);
        if (c == null) { // removed since it was read (erased under another id): create it
            Pipeline batch = new Pipeline(db);
            NewCustomer created = create(batch, projectId, id, attributes, consents, campaigns, now);
            batch.run(tx);
            if (inserted(batch, created)) created(tx, created);
            else redeemed(tx, projectId, id, attributes, consents, campaigns, now);
            return;
        }
        Map<String, Object> attrs = merge(c.attributes(), attributes);
        Map<String, Object> cons = merge(c.consents(), consents);
        String redeemed = CustomerData.redeemedText(CustomerData.withRedeemed(c.redeemed(), campaigns, 1));
        if (attrs.equals(c.attributes()) && cons.equals(c.consents())) {
            tx.execute("update customers set redeemed = ? where project_id = ? and id = ?", redeemed, projectId, id);
            return;
        }
        tx.execute("update customers set attributes = ?, consents = ?, updated_at = ?, erased_at = null, redeemed = ? "
                + "where project_id = ? and id = ?", Json.text(attrs), Json.text(cons), ts(now), redeemed, projectId, id);
        changed(tx, projectId, c, c.changed(attrs, cons, now), now);
    }

    /** Ensures the customer exists, changing nothing when it does. */
    public void ensure(DSLContext tx, String projectId, String id, Instant now) {
        int inserted = tx.execute("insert into customers (project_id, id, attributes, consents, created_at, updated_at) "
                + "values (?, ?, ?, ?, ?, ?) on conflict do nothing", projectId, id, "{}", "{}", ts(now), ts(now));
        if (inserted == 1) changed(tx, projectId, null, CustomerRow.blank(id, now), now);
    }

    public void addPaidOrder(DSLContext tx, String projectId, String id, long count, long total) {
        tx.execute("update customers set orders_count = orders_count + ?, orders_total = orders_total + ? "
                + "where project_id = ? and id = ?", count, total, projectId, id);
    }

    /**
     * Counts one more event of {@code type} in the customer's {@code customer.events} summary ({@code events}: the
     * summary as read under the row lock the caller holds, e.g. by {@link #upsert}).
     */
    public void addEvent(DSLContext tx, String projectId, String id, Map<String, Activation.EventSummary> events,
                         String type, Map<String, Object> properties, Instant at) {
        tx.execute("update customers set events = ? where project_id = ? and id = ?",
                CustomerData.eventsText(CustomerData.withEvent(events, type, properties, at)), projectId, id);
    }

    /** A paid order placed at {@code placedAt}: {@code customer.orders.lastAt} moves to it if it is newer. */
    public void paidOrderAt(DSLContext tx, String projectId, String id, Instant placedAt) {
        tx.execute("update customers set last_order_at = ? where project_id = ? and id = ? "
                + "and (last_order_at is null or last_order_at < ?)", ts(placedAt), projectId, id, ts(placedAt));
    }

    /** {@code customer.orders.lastAt} taken again from the paid orders left (after one stopped being paid). */
    public void recomputeLastOrder(DSLContext tx, String projectId, String id) {
        tx.execute("update customers set last_order_at = (select max(o.created_at) from orders o where o.project_id = ? "
                + "and o.customer_id = ? and o.status = 'PAID') where project_id = ? and id = ?", projectId, id,
                projectId, id);
    }

    /**
     * Adds {@code delta} to {@code customer.redeemed} for each campaign (a redemption: +1, its rollback: −1), under the
     * customer's row lock so that concurrent redemptions of one customer all count.
     */
    public void addRedeemed(DSLContext tx, String projectId, String id, Collection<String> campaigns, long delta) {
        if (campaigns.isEmpty()) return;
        String current = tx.fetchOptional("select redeemed from customers where project_id = ? and id = ? for update",
                projectId, id).map(r -> r.get(0, String.class)).orElse(null);
        if (current == null) return;
        tx.execute("update customers set redeemed = ? where project_id = ? and id = ?", CustomerData.redeemedText(
                CustomerData.withRedeemed(CustomerData.redeemed(current), campaigns, delta)), projectId, id);
    }

    /**
     * Erases the customer: attributes and consents are emptied, static segment memberships dropped, and the id is
     * replaced by {@code pseudonym} wherever it is stored — the customer row, orders, redemptions (with their stored
     * answers), codes, publications, events, customer events (their properties emptied), loyalty members, buckets and
     * ledger entries, referral conversions, and the names of per-customer limit counters — so counts, limits and budgets
     * stay right while the raw id is gone. Of the customer data, {@code customer.events} keeps its counts and times but
     * loses the {@code last} properties; {@code redeemed} and {@code orders.lastAt} stay. False when there is no such
     * customer.
     */
    public boolean erase(DSLContext tx, String projectId, String id, String pseudonym, Instant now) {
        Optional<CustomerRow> current = tx.fetchOptional("select * from customers where project_id = ? and id = ? "
                + "for update", projectId, id).map(CustomerStore::row);
        if (current.isEmpty()) return false;
        Map<String, Activation.EventSummary> events = CustomerData.forgotten(current.get().events());
        Optional<CustomerRow> earlier = find(tx, projectId, pseudonym);
        if (earlier.isPresent()) {
            // The same id was erased before and came back: one pseudonymous row keeps both histories' counts.
            CustomerRow e = earlier.get();
            Instant lastOrder = CustomerData.latest(e.lastOrderAt(), current.get().lastOrderAt());
            tx.execute("update customers set orders_count = orders_count + (select orders_count from customers "
                    + "where project_id = ? and id = ?), orders_total = orders_total + (select orders_total from customers "
                    + "where project_id = ? and id = ?), last_order_at = ?, redeemed = ?, events = ?, updated_at = ? "
                    + "where project_id = ? and id = ?",
                    projectId, id, projectId, id, lastOrder == null ? null : ts(lastOrder),
                    CustomerData.redeemedText(CustomerData.summed(e.redeemed(), current.get().redeemed())),
                    CustomerData.eventsText(CustomerData.merged(e.events(), events)), ts(now), projectId, pseudonym);
            tx.execute("delete from customers where project_id = ? and id = ?", projectId, id);
        } else {
            tx.execute("update customers set id = ?, attributes = ?, consents = ?, events = ?, erased_at = ?, "
                    + "updated_at = ? where project_id = ? and id = ?", pseudonym, "{}", "{}",
                    CustomerData.eventsText(events), ts(now), ts(now), projectId, id);
        }
        for (String table : List.of("orders", "codes", "publications", "loyalty_members", "loyalty_buckets",
                "loyalty_entries")) {
            tx.execute("update " + table + " set customer_id = ? where project_id = ? and customer_id = ?", pseudonym,
                    projectId, id);
        }
        // Erasure is the one change the loyalty ledger allows: the other side of a transfer is named by pseudonym too.
        tx.execute("update loyalty_entries set counterparty = ? where project_id = ? and counterparty = ?", pseudonym,
                projectId, id);
        for (String column : List.of("referee_id", "referrer_id")) {
            tx.execute("update referral_conversions set " + column + " = ? where project_id = ? and " + column + " = ?",
                    pseudonym, projectId, id);
        }
        // Customer events keep their ids (so a re-sent id still acts once) but lose what they said about the person.
        tx.execute("update customer_events set customer_id = ?, properties = ? where project_id = ? and customer_id = ?",
                pseudonym, "{}", projectId, id);
        tx.execute("delete from segment_members where project_id = ? and customer_id = ?", projectId, id);
        for (var r : tx.fetch("select id, response from redemptions where project_id = ? and customer_id = ?",
                projectId, id)) {
            tx.execute("update redemptions set customer_id = ?, response = ? where project_id = ? and id = ?", pseudonym,
                    renamed(r.get("response", String.class), id, pseudonym), projectId, r.get("id", String.class));
        }
        for (var r : tx.fetch("select id, payload from events where project_id = ? and payload like ?", projectId,
                "%" + id + "%")) {
            tx.execute("update events set payload = ? where project_id = ? and id = ?",
                    renamed(r.get("payload", String.class), id, pseudonym), projectId, r.get("id", String.class));
        }
        // Per-customer counters are named customer:<id> and customer-period:<id>:<DAY|WEEK|MONTH>:<yyyy-mm-dd>.
        for (String table : List.of("counters", "redemption_counters")) {
            tx.execute("update " + table + " set name = ? where project_id = ? and name = ?",
                    "customer:" + pseudonym, projectId, "customer:" + id);
            String periods = "customer-period:" + id;
            tx.execute("update " + table + " set name = cast(? as varchar(300)) || substr(name, ?) where (name like ? "
                            + "or name like ? or name like ?) and project_id = ?", "customer-period:" + pseudonym,
                    periods.length() + 1, likeEscaped(periods) + ":DAY:__________",
                    likeEscaped(periods) + ":WEEK:__________", likeEscaped(periods) + ":MONTH:__________", projectId);
        }
        return true;
    }

    /** {@code json} with every string value equal to {@code from} replaced by {@code to} (ids in stored answers). */
    private static String renamed(String json, String from, String to) {
        com.fasterxml.jackson.databind.JsonNode node = Json.parse(json);
        replace(node, from, to);
        return Json.text(node);
    }

    private static void replace(com.fasterxml.jackson.databind.JsonNode node, String from, String to) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            for (var it = o.fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getValue().isTextual() && e.getValue().textValue().equals(from)) o.put(e.getKey(), to);
                else replace(e.getValue(), from, to);
            }
        } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual() && a.get(i).textValue().equals(from)) a.set(i, to);
                else replace(a.get(i), from, to);
            }
        }
    }

    private static String likeEscaped(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    public List<CustomerRow> list(String projectId, String afterId, int limit) {
        return db.dsl().fetch("select * from customers where project_id = ? and id > ? order by id limit ?",
                projectId, afterId == null ? "" : afterId, limit).map(CustomerStore::row);
    }

    /** The stored customers among {@code ids}, by id (one query; unknown ids are left out). */
    public Map<String, CustomerRow> findAll(String projectId, java.util.Collection<String> ids) {
        if (ids.isEmpty()) return Map.of();
        List<Object> args = new java.util.ArrayList<>(ids.size() + 1);
        args.add(projectId);
        args.addAll(ids);
        Map<String, CustomerRow> out = new LinkedHashMap<>();
        db.dsl().fetch("select * from customers where project_id = ? and id in ("
                        + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ")", args.toArray())
                .forEach(r -> {
                    CustomerRow row = row(r);
                    out.put(row.id(), row);
                });
        return out;
    }

    /** {@code base} with {@code patch} applied: a null value removes its key. */
    public static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> patch) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        if (patch != null) {
            patch.forEach((k, v) -> {
                if (v == null) out.remove(k);
                else out.put(k, v);
            });
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static CustomerRow row(Record r) {
        return row(Sql.Columns.of(r));
    }

    private static CustomerRow row(Sql.Columns c) {
        return new CustomerRow(c.string("id"),
                Json.MAPPER.convertValue(Json.parse(c.string("attributes")), Map.class),
                Json.MAPPER.convertValue(Json.parse(c.string("consents")), Map.class),
                c.longValue("orders_count"), c.longValue("orders_total"),
                c.instant("created_at"), c.instant("updated_at"), c.instant("erased_at"), c.instant("last_order_at"),
                CustomerData.redeemed(c.string("redeemed")), CustomerData.events(c.string("events")));
    }
}
