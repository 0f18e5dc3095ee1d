package io.tessera.customer;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Json;
import io.tessera.db.Database;
import io.tessera.db.Sql;
import java.time.Instant;
import java.util.List;

/**
 * Everything held about one customer besides the profile (GDPR export): orders, redemptions, codes, events, loyalty
 * ledger entries, static segments.
 */
public final class CustomerExport {
    private final Database db;

    public CustomerExport(Database db) {
        this.db = db;
    }

    public record Order(String id, String status, String currency, long subtotal, long total, String redemption,
                        JsonNode items, Instant createdAt) {
    }

    public record Redemption(String id, String status, long discount, Instant createdAt) {
    }

    public record Code(String code, Instant publishedAt) {
    }

    public record Event(String id, String type, JsonNode properties, Instant createdAt) {
    }

    /** One loyalty ledger entry of the customer, with its program's name. */
    public record PointsEntry(String program, String type, long points, long balanceAfter, String reason, Instant at) {
    }

    List<Order> orders(String projectId, String customerId) {
        return db.dsl().fetch("select id, status, currency, subtotal, total, redemption_id, items, created_at from orders "
                + "where project_id = ? and customer_id = ? order by created_at", projectId, customerId).map(r -> new Order(
                r.get("id", String.class), r.get("status", String.class), r.get("currency", String.class),
                Sql.longValue(r.get("subtotal")), Sql.longValue(r.get("total")), r.get("redemption_id", String.class),
                Json.parse(r.get("items", String.class)), Sql.instant(r, "created_at")));
    }

    List<Redemption> redemptions(String projectId, String customerId) {
        return db.dsl().fetch("select id, status, discount, created_at from redemptions where project_id = ? "
                + "and customer_id = ? order by created_at", projectId, customerId).map(r -> new Redemption(
                r.get("id", String.class), r.get("status", String.class), Sql.longValue(r.get("discount")),
                Sql.instant(r, "created_at")));
    }

    List<Code> codes(String projectId, String customerId) {
        return db.dsl().fetch("select code, published_at from codes where project_id = ? and customer_id = ? "
                + "order by published_at", projectId, customerId).map(r -> new Code(r.get("code", String.class),
                Sql.instant(r, "published_at")));
    }

    List<Event> events(String projectId, String customerId) {
        return db.dsl().fetch("select id, type, properties, created_at from customer_events where project_id = ? "
                + "and customer_id = ? order by created_at, seq", projectId, customerId).map(r -> new Event(
                r.get("id", String.class), r.get("type", String.class), Json.parse(r.get("properties", String.class)),
                Sql.instant(r, "created_at")));
    }

    List<PointsEntry> points(String projectId, String customerId) {
        return db.dsl().fetch("select c.name, e.type, e.points, e.balance_after, e.reason, e.at from loyalty_entries e "
                + "join campaigns c on c.project_id = e.project_id and c.id = e.program_id "
                + "where e.project_id = ? and e.customer_id = ? "
                + "order by e.seq", projectId, customerId).map(r -> new PointsEntry(r.get("name", String.class),
                r.get("type", String.class), Sql.longValue(r.get("points")), Sql.longValue(r.get("balance_after")),
                r.get("reason", String.class), Sql.instant(r, "at")));
    }

    List<String> staticSegments(String projectId, String customerId) {
        return db.dsl().fetch("select segment from segment_members where project_id = ? and customer_id = ? "
                + "order by segment", projectId, customerId).map(r -> r.get(0, String.class));
    }
}
