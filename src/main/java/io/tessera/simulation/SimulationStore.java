package io.tessera.simulation;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tessera.core.Json;
import io.tessera.db.Database;
import io.tessera.db.Sql;
import io.tessera.discount.CartLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The paid orders a simulation replays, and their customers' history before the period: SQL only. */
final class SimulationStore {
    private static final TypeReference<List<CartLine>> LINES = new TypeReference<>() {
    };
    private final Database db;

    SimulationStore(Database db) {
        this.db = db;
    }

    /** A paid order as stored: its lines and shipping, its customer (null: a guest) and when it was placed. */
    record PaidOrder(String id, String customerId, String currency, List<CartLine> lines, long shipping, long total,
                     Instant at) {
    }

    /** A customer's paid orders before some instant: how many, what they were worth, and the last one's time. */
    record History(long count, long total, Instant lastAt) {
        static final History NONE = new History(0, 0, null);

        History and(long orderTotal, Instant at) {
            return new History(count + 1, total + orderTotal, at);
        }
    }

    /**
     * Up to {@code limit} orders PAID now and placed in [{@code from}, {@code to}), oldest first, after the order
     * ({@code afterAt}, {@code afterId}) — keyset paging, so a long period is read in bounded pages.
     */
    List<PaidOrder> paidOrders(String projectId, Instant from, Instant to, Instant afterAt, String afterId, int limit) {
        String after = afterAt == null ? "" : " and (created_at > ? or (created_at = ? and id > ?))";
        List<Object> args = new ArrayList<>(List.of(projectId, ts(from), ts(to)));
        if (afterAt != null) {
            args.add(ts(afterAt));
            args.add(ts(afterAt));
            args.add(afterId);
        }
        args.add(limit);
        return db.dsl().fetch("select id, customer_id, currency, items, shipping, total, created_at from orders "
                + "where project_id = ? and status = 'PAID' and created_at >= ? and created_at < ?" + after
                + " order by created_at, id limit ?", args.toArray()).map(r -> new PaidOrder(r.get("id", String.class),
                r.get("customer_id", String.class), r.get("currency", String.class),
                Json.MAPPER.convertValue(Json.parse(r.get("items", String.class)), LINES),
                Sql.longValue(r.get("shipping")), Sql.longValue(r.get("total")), instant(r, "created_at")));
    }

    /** The paid orders of {@code customers} placed before {@code before}, by customer (none: left out). */
    Map<String, History> historyBefore(String projectId, Collection<String> customers, Instant before) {
        if (customers.isEmpty()) return Map.of();
        List<Object> args = new ArrayList<>(List.of(projectId, ts(before)));
        args.addAll(customers);
        Map<String, History> out = new HashMap<>();
        db.dsl().fetch("select customer_id, count(*) as n, coalesce(sum(total), 0) as total, max(created_at) as last_at "
                        + "from orders "
                        + "where project_id = ? and status = 'PAID' and created_at < ? and customer_id in ("
                        + String.join(", ", Collections.nCopies(customers.size(), "?")) + ") group by customer_id",
                args.toArray()).forEach(r -> out.put(r.get("customer_id", String.class),
                new History(Sql.longValue(r.get("n")), Sql.longValue(r.get("total")), instant(r, "last_at"))));
        return out;
    }
}
