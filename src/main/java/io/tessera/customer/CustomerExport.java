package io.tessera.customer;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Json;
import io.tessera.db.Database;
import io.tessera.db.Sql;
import java.time.Instant;
import java.util.List;

/** Everything held about one customer besides the profile: orders, redemptions, codes, static segments (GDPR export). */
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

    List<String> staticSegments(String projectId, String customerId) {
        return db.dsl().fetch("select segment from segment_members where project_id = ? and customer_id = ? "
                + "order by segment", projectId, customerId).map(r -> r.get(0, String.class));
    }
}
