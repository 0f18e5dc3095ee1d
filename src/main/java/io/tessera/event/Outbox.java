package io.tessera.event;

import static io.tessera.db.Sql.ts;

import io.tessera.core.Ids;
import io.tessera.core.Json;
import java.time.Instant;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * The event outbox: an event is a row written inside the transaction of the change it reports, so it exists if and
 * only if that change was committed. Webhook delivery reads the rows later (at least once).
 */
public final class Outbox {
    /** A personal code was handed to a customer; data is the publication. */
    public static final String CODE_PUBLISHED = "code.published";

    /** Adds an event of {@code type} with {@code data} (the resource, as the API shows it); returns its id. */
    public String add(DSLContext tx, String projectId, String type, Map<String, Object> data, Instant now) {
        String id = Ids.next("evt");
        tx.execute("insert into events (id, project_id, type, payload, created_at) values (?, ?, ?, ?, ?)",
                id, projectId, type, Json.text(data), ts(now));
        return id;
    }
}
