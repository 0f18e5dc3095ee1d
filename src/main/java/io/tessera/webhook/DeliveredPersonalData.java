package io.tessera.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.core.Json;
import io.tessera.customer.PersonalData;
import io.tessera.db.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The customer in webhook deliveries: the bodies that name the customer (as any string value) join the GDPR export
 * ({@code webhookDeliveries}), and the erasure replaces the id by the pseudonym in them, as it does in the outbox.
 */
final class DeliveredPersonalData implements PersonalData {
    private final Database db;

    DeliveredPersonalData(Database db) {
        this.db = db;
    }

    @Override
    public String section() {
        return "webhookDeliveries";
    }

    @Override
    public Object export(String projectId, String customerId) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Record r : naming(db.dsl(), projectId, customerId, "d.id, d.event_type, d.status, d.created_at, "
                + "w.name as webhook, d.body")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.get("id", String.class));
            m.put("webhook", r.get("webhook", String.class));
            m.put("type", r.get("event_type", String.class));
            m.put("status", r.get("status", String.class));
            m.put("createdAt", io.tessera.db.Sql.instant(r, "created_at"));
            m.put("body", Json.parse(r.get("body", String.class)));
            out.add(m);
        }
        return out;
    }

    @Override
    public void erase(DSLContext tx, String projectId, String customerId, String pseudonym, Instant now) {
        for (Record r : naming(tx, projectId, customerId, "d.id, d.body")) {
            JsonNode body = Json.parse(r.get("body", String.class));
            replace(body, customerId, pseudonym);
            tx.execute("update webhook_deliveries set body = ? where project_id = ? and id = ?", Json.text(body),
                    projectId, r.get("id", String.class));
        }
    }

    /** The deliveries whose body holds {@code customerId} as a string value, oldest first. */
    private static List<Record> naming(DSLContext dsl, String projectId, String customerId, String columns) {
        String quoted = Json.text(customerId);
        List<Record> out = new ArrayList<>();
        for (Record r : dsl.fetch("select " + columns + " from webhook_deliveries d "
                + "join webhooks w on w.project_id = d.project_id and w.id = d.webhook_id "
                + "where d.project_id = ? and d.body like ? escape '\\' order by d.seq", projectId,
                "%" + quoted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")) {
            if (holds(Json.parse(r.get("body", String.class)), customerId)) out.add(r);
        }
        return out;
    }

    private static boolean holds(JsonNode node, String value) {
        if (node.isTextual()) return node.textValue().equals(value);
        for (JsonNode child : node) if (holds(child, value)) return true;
        return false;
    }

    private static void replace(JsonNode node, String from, String to) {
        if (node instanceof ObjectNode o) {
            for (var it = o.fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getValue().isTextual() && e.getValue().textValue().equals(from)) o.put(e.getKey(), to);
                else replace(e.getValue(), from, to);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual() && a.get(i).textValue().equals(from)) a.set(i, to);
                else replace(a.get(i), from, to);
            }
        }
    }
}
