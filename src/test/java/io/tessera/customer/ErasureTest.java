package io.tessera.customer;

import static io.tessera.testing.Bodies.item;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The export shows what is held about a customer; erasure drops the personal data. */
class ErasureTest extends ServerPerDatabase {

    @BeforeEach
    void customerWithAnOrder() {
        api().put("/v1/customers/c-1", Map.of("attributes", Map.of("country", "DE", "firstName", "Ana")));
        api().post("/v1/orders", Map.of("id", "o-1", "customer", "c-1", "status", "PAID", "currency", "USD",
                "items", List.of(item("A", 6000, 1))));
    }

    @Test
    void theExportListsTheCustomersOrders() {
        JsonNode export = api().get("/v1/customers/c-1/export").json();
        assertThat(export.get("orders").findValuesAsText("id")).containsExactly("o-1");
    }

    @Test
    void theExportListsTheCustomersEventsAndPoints() {
        api().post("/v1/campaigns", Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of("earning",
                List.of(Map.of("name", "buy", "on", "order_paid", "points", "order.total / 100")))));
        api().post("/v1/orders", Map.of("id", "o-9", "customer", "c-1", "status", "PAID", "currency", "USD",
                "items", List.of(item("A", 5000, 1))));
        api().post("/v1/events", Map.of("customer", "c-1", "type", "product_reviewed", "properties",
                Map.of("stars", 5)));
        JsonNode export = api().get("/v1/customers/c-1/export").json();
        assertThat(export.get("events").findValuesAsText("type")).containsExactly("product_reviewed");
        assertThat(export.get("loyalty").findValuesAsText("program")).containsExactly("stars");
        assertThat(export.at("/loyalty/0/points").asLong()).isEqualTo(50);
    }

    @Test
    void anErasedCustomerIsNoLongerKnownByItsId() {
        assertThat(api().delete("/v1/customers/c-1").status()).isEqualTo(200);
        assertThat(api().get("/v1/customers/c-1").status()).isEqualTo(404);
        assertThat(api().get("/v1/customers/c-1/export").status()).isEqualTo(404);
    }

    @Test
    void anErasedCustomerKeepsNoAttributesOrConsents() throws Exception {
        api().put("/v1/customers/c-1", Map.of("consents", Map.of("email", true)));
        api().delete("/v1/customers/c-1");
        String project = api().get("/v1/project").json().get("id").asText();
        try (var c = server.connect(); var st = c.prepareStatement(
                "select id, attributes, consents, erased_at from customers where project_id = ? and id like 'anon-%'")) {
            st.setString(1, project);
            var rs = st.executeQuery();
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("attributes")).isEqualTo("{}");
            assertThat(rs.getString("consents")).isEqualTo("{}");
            assertThat(rs.getTimestamp("erased_at")).isNotNull();
        }
    }

    @Test
    void theRawIdIsLeftNowhereInTheLedger() throws Exception {
        api().post("/v1/campaigns", Map.of("name", "once", "type", "CODES", "codes", Map.of("mode", "UNIVERSAL",
                "code", "ONCE"), "discount", Map.of("type", "AMOUNT", "amount", 100), "limits", Map.of("perCustomer", 1,
                "perCustomerPerPeriod", Map.of("count", 1, "period", "DAY"))));
        api().post("/v1/segments", Map.of("name", "beta", "customers", List.of("c-1")));
        api().post("/v1/campaigns", Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of("earning",
                List.of(Map.of("name", "buy", "on", "order_paid", "points", "order.total / 100")))));
        api().post("/v1/orders", Map.of("id", "o-3", "customer", "c-1", "status", "PAID", "currency", "USD",
                "items", List.of(item("A", 5000, 1))));
        assertThat(api().get("/v1/loyalty/stars/members/c-1").json().get("balance").asLong()).isEqualTo(50);
        assertThat(api().post("/v1/redemptions", Map.of("customer", "c-1", "codes", List.of("ONCE"), "order",
                Map.of("id", "o-2", "currency", "USD", "items", List.of(item("A", 1000, 1))))).status()).isEqualTo(201);
        api().delete("/v1/customers/c-1");
        String project = api().get("/v1/project").json().get("id").asText();
        String campaigns = "campaign_id in (select id from campaigns where project_id = ?)";
        for (String sql : List.of("select count(*) from customers where project_id = ? and id = 'c-1'",
                "select count(*) from orders where project_id = ? and customer_id = 'c-1'",
                "select count(*) from redemptions where project_id = ? and (customer_id = 'c-1' or response like '%c-1%')",
                "select count(*) from segment_members where project_id = ? and customer_id = 'c-1'",
                "select count(*) from loyalty_entries where project_id = ? and customer_id = 'c-1'",
                "select count(*) from loyalty_buckets where project_id = ? and customer_id = 'c-1'",
                "select count(*) from loyalty_members where project_id = ? and customer_id = 'c-1'",
                "select count(*) from counters where name like '%c-1%' and " + campaigns,
                "select count(*) from redemption_counters where name like '%c-1%' and " + campaigns,
                "select count(*) from audit_log where project_id = ? and (resource like '%c-1%' "
                        + "or after_state like '%c-1%' or before_state like '%c-1%')")) {
            try (var c = server.connect(); var st = c.prepareStatement(sql)) {
                st.setString(1, project);
                try (var rs = st.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as(sql).isZero();
                }
            }
        }
    }

    @Test
    void anErasedCustomersRedemptionStillCountsAndRollsBackExactly() {
        api().post("/v1/campaigns", Map.of("name", "once", "type", "CODES", "codes", Map.of("mode", "UNIVERSAL",
                "code", "ONCE"), "discount", Map.of("type", "AMOUNT", "amount", 100), "limits",
                Map.of("perCustomer", 1, "redemptions", 5)));
        String id = api().post("/v1/redemptions", Map.of("customer", "c-1", "codes", List.of("ONCE"), "order",
                Map.of("currency", "USD", "items", List.of(item("A", 1000, 1))))).json().get("id").asText();
        api().delete("/v1/customers/c-1");
        assertThat(api().get("/v1/campaigns/once/stats").json().get("redemptions").asLong()).isEqualTo(1);
        assertThat(api().get("/v1/redemptions/" + id).json().get("customer").asText()).startsWith("anon-");
        assertThat(api().post("/v1/redemptions/" + id + "/rollback", Map.of()).status()).isEqualTo(200);
        assertThat(api().get("/v1/campaigns/once/stats").json().get("redemptions").asLong()).isZero();
    }

    @Test
    void theAuditLogFindsAnErasedCustomersEntriesByItsIdWithoutHoldingIt() {
        api().delete("/v1/customers/c-1");
        JsonNode entries = api().get("/v1/audit?resource=customer/c-1").json().get("data");
        assertThat(entries.findValuesAsText("action")).containsExactly("customer.deleted", "customer.created");
        assertThat(entries.get(0).get("resource").asText()).startsWith("customer/anon-");
    }
}
