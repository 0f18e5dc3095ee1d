package io.tessera.audit;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.core.Actor;
import io.tessera.core.Ids;
import io.tessera.core.Json;
import io.tessera.core.Page;
import io.tessera.core.ProjectContext;
import io.tessera.db.Database;
import io.tessera.db.Sql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The audit log. Services call {@link #record} inside the transaction of the change they make, so an entry exists
 * exactly when its change does; nothing updates or deletes entries. Secrets never reach it: callers pass the resource
 * as the API shows it (which never holds a secret), and members named like secrets are dropped here as well.
 */
public final class AuditLog {
    /** Members that hold secrets anywhere in a resource; never recorded, at any depth. */
    private static final Set<String> SECRETS = Set.of("secret", "key", "apiKey", "password", "passwordHash",
            "keyHash", "token");
    /**
     * The requester of a change being applied on an owner's approval: entries recorded while it is set name them as
     * {@code requestedBy} besides the actor (the approver). A thread-local keeps every service's signature as it is;
     * only {@link #onBehalfOf} sets it, around one call.
     */
    private static final ThreadLocal<Actor> REQUESTED_BY = new ThreadLocal<>();
    private final Database db;

    public AuditLog(Database db) {
        this.db = db;
    }

    /**
     * Records {@code action} (e.g. {@code campaign.updated}) on {@code resource} (e.g. {@code campaign/bf26}) with
     * the resource's state before and after (either may be null), within {@code tx}.
     */
    public void record(DSLContext tx, ProjectContext project, Actor actor, String action, String resource,
                       Object before, Object after, Instant at) {
        Actor requester = REQUESTED_BY.get();
        tx.execute("insert into audit_log (seq, id, project_id, at, actor_type, actor_id, actor_name, action, resource, "
                        + "before_state, after_state, requested_by_type, requested_by_id, requested_by_name) "
                        + "values (nextval('audit_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Ids.next("aud"), project.id(), ts(at), actor.type(), actor.id(), actor.name(), action, resource,
                state(before), state(after), requester == null ? null : requester.type(),
                requester == null ? null : requester.id(), requester == null ? null : requester.name());
    }

    /** Runs {@code change}, recording {@code requester} as {@code requestedBy} on every entry it writes. */
    public static <T> T onBehalfOf(Actor requester, java.util.function.Supplier<T> change) {
        Actor previous = REQUESTED_BY.get();
        REQUESTED_BY.set(requester);
        try {
            return change.get();
        } finally {
            if (previous == null) REQUESTED_BY.remove();
            else REQUESTED_BY.set(previous);
        }
    }

    private static String state(Object value) {
        if (value == null) return null;
        JsonNode node = Json.MAPPER.valueToTree(value);
        if (node == null || node.isNull()) return null;
        return Json.text(withoutSecrets(node.deepCopy()));
    }

    private static JsonNode withoutSecrets(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                if (SECRETS.contains(it.next())) it.remove();
            }
            o.forEach(AuditLog::withoutSecrets);
        } else if (node.isArray()) {
            node.forEach(AuditLog::withoutSecrets);
        }
        return node;
    }

    /**
     * What a listing may be narrowed to; null members do not filter. {@code actor} is an actor's id or name (a user's
     * email); {@code type} the kind of resource (the part of {@code resource} before its first "/", e.g. campaign).
     */
    public record Filter(String resource, String actor, String action, Instant from, Instant to, String type) {
        public Filter(String resource, String actor, String action, Instant from, Instant to) {
            this(resource, actor, action, from, to, null);
        }
    }

    /** Newest first. */
    public Page<AuditEntry> list(String projectId, Filter f, Page.Request page) {
        StringBuilder sql = new StringBuilder("select * from audit_log where project_id = ?");
        List<Object> args = new ArrayList<>(List.of(projectId));
        if (f.resource() != null) {
            sql.append(" and resource = ?");
            args.add(f.resource());
        }
        if (f.actor() != null) {
            sql.append(" and (actor_id = ? or actor_name = ?)");
            args.add(f.actor());
            args.add(f.actor());
        }
        if (f.type() != null) {
            sql.append(" and resource like ?");
            args.add(f.type().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%");
        }
        if (f.action() != null) {
            sql.append(" and action = ?");
            args.add(f.action());
        }
        if (f.from() != null) {
            sql.append(" and at >= ?");
            args.add(ts(f.from()));
        }
        if (f.to() != null) {
            sql.append(" and at < ?");
            args.add(ts(f.to()));
        }
        Long after = page.cursor() == null ? null : page.longCursor();
        if (after != null) {
            sql.append(" and seq < ?");
            args.add(after);
        }
        sql.append(" order by seq desc limit ?");
        args.add(page.limit() + 1);
        List<Record> rows = db.dsl().fetch(sql.toString(), args.toArray());
        return Page.of(rows, page.limit(), AuditLog::entry, r -> Long.toString(Sql.longValue(r.get("seq"))));
    }

    private static AuditEntry entry(Record r) {
        String before = r.get("before_state", String.class), after = r.get("after_state", String.class);
        return new AuditEntry(r.get("id", String.class), instant(r, "at"),
                new AuditEntry.ActorView(r.get("actor_type", String.class), r.get("actor_id", String.class),
                        r.get("actor_name", String.class)), r.get("action", String.class),
                r.get("resource", String.class), before == null ? null : Json.parse(before),
                after == null ? null : Json.parse(after), r.get("requested_by_id", String.class) == null ? null
                : new AuditEntry.ActorView(r.get("requested_by_type", String.class),
                r.get("requested_by_id", String.class), r.get("requested_by_name", String.class)));
    }
}
