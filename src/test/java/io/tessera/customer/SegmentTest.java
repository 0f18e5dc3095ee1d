package io.tessera.customer;

import static io.tessera.testing.Bodies.item;
import static io.tessera.testing.Bodies.order;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Segments: a condition on the customer (dynamic) or a list of members (static), usable in campaign conditions. */
class SegmentTest extends ServerPerDatabase {

    private void loyalAbove5000() {
        api().post("/v1/segments", Map.of("name", "loyal", "condition", "customer.orders.total >= 5000"));
    }

    private void paidOrderOf6000() {
        api().post("/v1/orders", Map.of("id", "o-1", "customer", "c-1", "status", "PAID", "currency", "USD",
                "items", List.of(item("A", 6000, 1))));
    }

    private List<String> segmentsOf(String customer) {
        return api().get("/v1/customers/" + customer).json().get("segments").valueStream().map(JsonNode::asText).toList();
    }

    @Test
    void aCustomerMeetingASegmentConditionIsInTheSegment() {
        loyalAbove5000();
        paidOrderOf6000();
        assertThat(segmentsOf("c-1")).containsExactly("loyal");
    }

    @Test
    void aCustomerBelowASegmentConditionIsNotInTheSegment() {
        loyalAbove5000();
        api().put("/v1/customers/c-1", Map.of("attributes", Map.of()));
        assertThat(segmentsOf("c-1")).isEmpty();
    }

    @Test
    void aCampaignConditionSeesTheCustomersSegments() {
        loyalAbove5000();
        api().post("/v1/campaigns", Map.of("name", "loyal10", "type", "AUTO", "condition", "'loyal' in customer.segments",
                "discount", Map.of("type", "PERCENT", "percent", 10)));
        paidOrderOf6000();
        var v = api().post("/v1/validations", Map.of("customer", "c-1", "order", order(2000))).json();
        assertThat(v.get("applied").findValuesAsText("campaign")).containsExactly("loyal10");
    }

    @Test
    void aStaticSegmentHoldsTheCustomersItLists() {
        api().post("/v1/segments", Map.of("name", "beta", "customers", List.of("c-beta")));
        assertThat(segmentsOf("c-beta")).containsExactly("beta");
    }

    @Test
    void membersCannotBeAddedToADynamicSegment() {
        loyalAbove5000();
        assertThat(api().post("/v1/segments/loyal/members", Map.of("customers", List.of("x"))).status()).isEqualTo(422);
    }

    @Test
    void aSegmentWithABadConditionIsRefused() {
        Response r = api().post("/v1/segments", Map.of("name", "bad", "condition", "customer."));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors").findValuesAsText("field")).containsExactly("condition");
    }
}
