package io.tessera.outbox;

import static io.tessera.db.Sql.ts;

import io.tessera.core.Ids;
import io.tessera.core.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jooq.DSLContext;

/**
 * The event outbox: an event is a row written inside the transaction of the change it reports, so it exists if and
 * only if that change was committed. Subscribers (webhook fan-out, automation triggers) are told inside that same
 * transaction, so what they schedule (deliveries, runs) is committed with the change or not at all.
 */
public final class Outbox {
    /** A personal code was handed to a customer; data is the publication. */
    public static final String CODE_PUBLISHED = "code.published";

    /** Told of every event added, inside the transaction that adds it; a failure rolls the change back. */
    public interface Subscriber {
        /** Acts on {@code event}; true when what it wrote refers to the event, whose row must then be stored. */
        boolean added(DSLContext tx, OutboxEvent event);
    }

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    /** Adds a subscriber; call while wiring the server, before it serves requests. */
    public void subscribe(Subscriber s) {
        subscribers.add(s);
    }

    /**
     * Adds an event of {@code type} with {@code data} (the resource, as the API shows it); returns its id, or null when
     * no subscriber took it up (no webhook wants the type): such an event is not stored, so a checkout in a project
     * without webhooks writes no event rows.
     */
    public String add(DSLContext tx, String projectId, String type, Map<String, Object> data, Instant now) {
        return addFor(tx, projectId, type, data, now, null);
    }

    /** As {@link #add}, with {@code data} built only if a subscriber takes the event up. */
    public String add(DSLContext tx, String projectId, String type, Supplier<Map<String, Object>> data, Instant now) {
        return add(tx, projectId, type, data, now, null, false);
    }

    /** As {@link #add}, for one named webhook only ({@code null}: for every webhook subscribed to the type). */
    public String addFor(DSLContext tx, String projectId, String type, Map<String, Object> data, Instant now,
                         String webhook) {
        return add(tx, projectId, type, () -> data, now, webhook, false);
    }

    /** As {@link #add}, but stored whoever takes it up: for an event that is itself the record of something sent. */
    public String record(DSLContext tx, String projectId, String type, Map<String, Object> data, Instant now) {
        return add(tx, projectId, type, () -> data, now, null, true);
    }

    private String add(DSLContext tx, String projectId, String type, Supplier<Map<String, Object>> data, Instant now,
                       String webhook, boolean keep) {
        String id = Ids.next("evt");
        OutboxEvent event = new OutboxEvent(id, projectId, type, once(data), now, webhook);
        boolean referred = keep;
        for (Subscriber s : subscribers) referred |= s.added(tx, event);
        if (!referred) return null;
        tx.execute("insert into events (id, project_id, type, payload, created_at) values (?, ?, ?, ?, ?)",
                id, projectId, type, Json.text(event.data()), ts(now));
        return id;
    }

    /** {@code data}, built at most once (several subscribers may read it). */
    private static Supplier<Map<String, Object>> once(Supplier<Map<String, Object>> data) {
        return new Supplier<>() {
            private Map<String, Object> built;

            @Override
            public Map<String, Object> get() {
                if (built == null) built = data.get();
                return built;
            }
        };
    }
}
