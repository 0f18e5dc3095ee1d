package io.tessera.customer;

import io.tessera.db.Database;
import io.tessera.db.Sql;
import io.tessera.core.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything held about one customer besides the profile: orders, redemptions, codes, static segments (GDPR export). */
public final class CustomerExport {
    private final Database db;

    public CustomerExport(Database db) {
        this.db = db;
    }

    public Map<String, Object> data(String projectId, String customerId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("orders", db.dsl().fetch("select id, status, currency, subtotal, shipping, discount, shipping_discount, "
                + "total, redemption_id, items, created_at, updated_at from orders where project_id = ? and customer_id = ? "
                + "order by created_at", projectId, customerId).map(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", r.get("id", String.class));
                    m.put("status", r.get("status", String.class));
                    m.put("currency", r.get("currency", String.class));
                    m.put("subtotal", Sql.longValue(r.get("subtotal")));
                    m.put("total", Sql.longValue(r.get("total")));
                    m.put("redemption", r.get("redemption_id", String.class));
                    m.put("items", Json.parse(r.get("items", String.class)));
                    m.put("createdAt", Sql.instant(r, "created_at"));
                    return m;
                }));
        out.put("redemptions", db.dsl().fetch("select id, status, discount, created_at from redemptions "
                + "where project_id = ? and customer_id = ? order by created_at", projectId, customerId).map(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", r.get("id", String.class));
                    m.put("status", r.get("status", String.class));
                    m.put("discount", Sql.longValue(r.get("discount")));
                    m.put("createdAt", Sql.instant(r, "created_at"));
                    return m;
                }));
        out.put("codes", db.dsl().fetch("select code, campaign_id, published_at from codes where project_id = ? "
                + "and customer_id = ? order by published_at", projectId, customerId).map(r -> Map.of(
                        "code", r.get("code", String.class), "publishedAt", String.valueOf(Sql.instant(r, "published_at")))));
        List<String> segs = db.dsl().fetch("select segment from segment_members where project_id = ? and customer_id = ?",
                projectId, customerId).map(r -> r.get(0, String.class));
        out.put("staticSegments", segs);
        return out;
    }
}
