package io.tessera.event;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import io.tessera.core.Json;
import io.tessera.db.Database;
import io.tessera.db.Sql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** Customer events: SQL only. */
final class EventStore {
    private final Database db;

    EventStore(Database db) {
        this.db = db;
    }

    /** A stored event with its sequence number (the cursor of listings). */
    record Stored(CustomerEvent event, long seq) {
    }

    /** Inserts the event unless its id is already stored in the project; true when this call stored it. */
    boolean insert(DSLContext tx, String projectId, CustomerEvent e) {
        long seq = Sql.longValue(tx.fetchValue("select nextval('customer_event_seq')"));
        return tx.execute("insert into customer_events (project_id, id, seq, customer_id, type, properties, created_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing", projectId, e.id(), seq, e.customer(),
                e.type(), Json.text(e.properties()), ts(e.createdAt())) == 1;
    }

    Optional<CustomerEvent> find(DSLContext tx, String projectId, String id) {
        return tx.fetchOptional("select * from customer_events where project_id = ? and id = ?", projectId, id)
                .map(r -> row(r).event());
    }

    /**
     * Up to {@code limit} events of the customer, newest first ({@code created_at}, then arrival), after the event whose
     * seq is {@code afterSeq} (null: from the newest); {@code type} null for every type. Empty when the cursor names no
     * event of this customer.
     */
    List<Stored> list(String projectId, String customerId, String type, Long afterSeq, int limit) {
        StringBuilder sql = new StringBuilder("select * from customer_events e where e.project_id = ? and e.customer_id = ?");
        List<Object> args = new ArrayList<>(List.of(projectId, customerId));
        if (type != null) {
            sql.append(" and e.type = ?");
            args.add(type);
        }
        if (afterSeq != null) {
            Record c = db.dsl().fetchOptional("select created_at, seq from customer_events where project_id = ? "
                    + "and customer_id = ? and seq = ?", projectId, customerId, afterSeq).orElse(null);
            if (c == null) return List.of();
            sql.append(" and (e.created_at < ? or (e.created_at = ? and e.seq < ?))");
            args.add(ts(instant(c, "created_at")));
            args.add(ts(instant(c, "created_at")));
            args.add(afterSeq);
        }
        sql.append(" order by e.created_at desc, e.seq desc limit ?");
        args.add(limit);
        return db.dsl().fetch(sql.toString(), args.toArray()).map(EventStore::row);
    }

    @SuppressWarnings("unchecked")
    private static Stored row(Record r) {
        return new Stored(new CustomerEvent(r.get("id", String.class), r.get("customer_id", String.class),
                r.get("type", String.class),
                Json.MAPPER.convertValue(Json.parse(r.get("properties", String.class)), Map.class),
                instant(r, "created_at")), Sql.longValue(r.get("seq")));
    }
}
