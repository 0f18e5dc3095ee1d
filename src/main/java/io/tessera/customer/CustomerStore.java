package io.tessera.customer;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import io.tessera.db.Database;
import io.tessera.db.Sql;
import io.tessera.core.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** Customers of a project. Attributes and consents merge on upsert: a key set to null is removed. */
public final class CustomerStore {
    private final Database db;

    public CustomerStore(Database db) {
        this.db = db;
    }

    public Optional<CustomerRow> find(String projectId, String id) {
        return find(db.dsl(), projectId, id);
    }

    public Optional<CustomerRow> find(DSLContext tx, String projectId, String id) {
        return tx.fetchOptional("select * from customers where project_id = ? and id = ?", projectId, id)
                .map(CustomerStore::row);
    }

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
            if (inserted == 1) return new CustomerRow(id, attrs, cons, 0, 0, now, now, null);
            return upsert(tx, projectId, id, attributes, consents, now);
        }
        CustomerRow c = current.get();
        if ((attributes == null || attributes.isEmpty()) && (consents == null || consents.isEmpty())) return c;
        Map<String, Object> attrs = merge(c.attributes(), attributes);
        Map<String, Object> cons = merge(c.consents(), consents);
        if (attrs.equals(c.attributes()) && cons.equals(c.consents())) return c;
        tx.execute("update customers set attributes = ?, consents = ?, updated_at = ?, erased_at = null "
                + "where project_id = ? and id = ?", Json.text(attrs), Json.text(cons), ts(now), projectId, id);
        return new CustomerRow(id, attrs, cons, c.ordersCount(), c.ordersTotal(), c.createdAt(), now, null);
    }

    /** Ensures the customer exists, changing nothing when it does. */
    public void ensure(DSLContext tx, String projectId, String id, Instant now) {
        tx.execute("insert into customers (project_id, id, attributes, consents, created_at, updated_at) "
                + "values (?, ?, ?, ?, ?, ?) on conflict do nothing", projectId, id, "{}", "{}", ts(now), ts(now));
    }

    public void addPaidOrder(DSLContext tx, String projectId, String id, long count, long total) {
        tx.execute("update customers set orders_count = orders_count + ?, orders_total = orders_total + ? "
                + "where project_id = ? and id = ?", count, total, projectId, id);
    }

    /** Erases personal data (attributes, consents); counts, orders and redemptions stay for limits and budgets. */
    public boolean erase(DSLContext tx, String projectId, String id, Instant now) {
        return tx.execute("update customers set attributes = ?, consents = ?, erased_at = ?, updated_at = ? "
                + "where project_id = ? and id = ?", "{}", "{}", ts(now), ts(now), projectId, id) == 1;
    }

    public List<CustomerRow> list(String projectId, String afterId, int limit) {
        return db.dsl().fetch("select * from customers where project_id = ? and id > ? order by id limit ?",
                projectId, afterId == null ? "" : afterId, limit).map(CustomerStore::row);
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
        return new CustomerRow(r.get("id", String.class),
                Json.MAPPER.convertValue(Json.parse(r.get("attributes", String.class)), Map.class),
                Json.MAPPER.convertValue(Json.parse(r.get("consents", String.class)), Map.class),
                Sql.longValue(r.get("orders_count")), Sql.longValue(r.get("orders_total")),
                instant(r, "created_at"), instant(r, "updated_at"), instant(r, "erased_at"));
    }
}
