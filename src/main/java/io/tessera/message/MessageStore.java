package io.tessera.message;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.core.Json;
import io.tessera.db.Database;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** The {@code messages} table. */
final class MessageStore {
    private final Database db;

    MessageStore(Database db) {
        this.db = db;
    }

    /** A message with what sending needs besides it: its project and its send slot (null before its first attempt). */
    record Stored(String projectId, Message message, Instant slotAt) {
    }

    void insert(DSLContext tx, String projectId, Message m) {
        tx.execute("insert into messages (id, project_id, customer_id, channel, recipient, subject, body, status, "
                        + "created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", m.id(), projectId, m.customer(),
                m.channel(), m.to(), m.subject(), m.text(), m.status().name(), ts(m.createdAt()));
    }

    /** The message, locked for the rest of {@code tx}. */
    Optional<Stored> lock(DSLContext tx, String projectId, String id) {
        return tx.fetchOptional("select * from messages where project_id = ? and id = ? for update", projectId, id)
                .map(MessageStore::stored);
    }

    void slot(DSLContext tx, String projectId, String id, Instant slot) {
        tx.execute("update messages set slot_at = ? where project_id = ? and id = ?", ts(slot), projectId, id);
    }

    /** Marks a QUEUED message SENT ({@code eventId}: the message.rendered event that carried it, if any). */
    void sent(DSLContext tx, String projectId, String id, String eventId, Instant now) {
        tx.execute("update messages set status = 'SENT', sent_at = ?, event_id = ?, error = null, "
                + "attempts = attempts + 1 where project_id = ? and id = ? and status = 'QUEUED'", ts(now), eventId,
                projectId, id);
    }

    /** Records a failed attempt; the message stays QUEUED for the next one. */
    void attemptFailed(String projectId, String id, String error) {
        db.dsl().execute("update messages set attempts = attempts + 1, error = ? where project_id = ? and id = ? "
                + "and status = 'QUEUED'", truncated(error), projectId, id);
    }

    /** Marks a QUEUED message FAILED with {@code error}: it will not be sent. */
    void failed(DSLContext tx, String projectId, String id, String error) {
        tx.execute("update messages set status = 'FAILED', error = ? where project_id = ? and id = ? "
                + "and status = 'QUEUED'", truncated(error), projectId, id);
    }

    /** The customer's messages, oldest first. */
    List<Message> forCustomer(String projectId, String customerId) {
        return db.dsl().fetch("select * from messages where project_id = ? and customer_id = ? order by created_at, id",
                projectId, customerId).map(r -> stored(r).message());
    }

    /**
     * Erasure: the customer's messages lose recipient, subject and body and are named by {@code pseudonym}; those
     * still QUEUED are FAILED ({@code erased}), and the message.rendered events that carried them lose the same fields.
     */
    void erase(DSLContext tx, String projectId, String customerId, String pseudonym) {
        for (Record r : tx.fetch("select e.id, e.payload from events e "
                + "join messages m on m.project_id = e.project_id and m.event_id = e.id "
                + "where m.project_id = ? and m.customer_id = ?", projectId, customerId)) {
            ObjectNode payload = (ObjectNode) Json.parse(r.get("payload", String.class));
            for (String field : List.of("to", "subject", "text")) if (payload.hasNonNull(field)) payload.put(field, "");
            payload.put("customer", pseudonym);
            tx.execute("update events set payload = ? where project_id = ? and id = ?", Json.text(payload), projectId,
                    r.get("id", String.class));
        }
        tx.execute("update messages set status = 'FAILED', error = 'erased' where project_id = ? and customer_id = ? "
                + "and status = 'QUEUED'", projectId, customerId);
        tx.execute("update messages set customer_id = ?, recipient = '', subject = '', body = '' "
                + "where project_id = ? and customer_id = ?", pseudonym, projectId, customerId);
    }

    private static String truncated(String error) {
        return error == null || error.length() <= 1000 ? error : error.substring(0, 1000);
    }

    private static Stored stored(Record r) {
        Message m = new Message(r.get("id", String.class), r.get("customer_id", String.class),
                r.get("channel", String.class), r.get("recipient", String.class), r.get("subject", String.class),
                r.get("body", String.class), Message.Status.valueOf(r.get("status", String.class)),
                r.get("error", String.class), instant(r, "created_at"), instant(r, "sent_at"));
        return new Stored(r.get("project_id", String.class), m, instant(r, "slot_at"));
    }
}
